import type { z } from 'zod';

/** REST calls take an API token, or the dashboard's session cookie. */
export const API_SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];

/** The error answers every operation may give, all of the one Error schema. */
export function errorResponses(error: z.ZodType) {
  const content = { 'application/json': { schema: error } };
  return {
    '4XX': { description: 'Refused: VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, ASSET_LOCKED, VERSION_CONFLICT, RATE_LIMITED…', content },
    '5XX': { description: 'INTERNAL: a server fault; `data.reference` finds it in the logs', content },
  };
}
export type ErrorResponses = ReturnType<typeof errorResponses>;
