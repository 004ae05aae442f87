import { errorBodySchema, requestIdSchema, type ErrorBody } from '@stockroom/shared-types';
import { z } from 'zod';

/** One decoded frame from the server. */
export type IncomingFrame =
  | { kind: 'result'; id: number | string | null; result: unknown }
  | { kind: 'error'; id: number | string | null; error: ErrorBody }
  | { kind: 'event'; event: string; data: unknown }
  | { kind: 'invalid'; reason: string };

// The envelope schemas in shared-types are a union whose `result: unknown` branch would
// also accept an error frame, so frames are told apart by their keys first. Error codes
// are taken as strings: a newer server may send a code this client does not know yet.
const errorFrame = z.object({
  id: requestIdSchema.nullable(),
  error: errorBodySchema.extend({ code: z.string() }),
});
const resultFrame = z.object({ id: requestIdSchema, result: z.unknown() });
const eventFrame = z.object({ event: z.string().min(1), data: z.unknown() });

/** Decodes a text frame; never throws. */
export function parseFrame(text: string): IncomingFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { kind: 'invalid', reason: 'not a JSON object' };
  }
  if ('event' in json) {
    const frame = eventFrame.safeParse(json);
    return frame.success ? { kind: 'event', event: frame.data.event, data: frame.data.data } : { kind: 'invalid', reason: 'malformed event frame' };
  }
  if ('error' in json) {
    const frame = errorFrame.safeParse(json);
    return frame.success ? { kind: 'error', id: frame.data.id, error: frame.data.error as ErrorBody } : { kind: 'invalid', reason: 'malformed error frame' };
  }
  if ('result' in json) {
    const frame = resultFrame.safeParse(json);
    return frame.success ? { kind: 'result', id: frame.data.id, result: frame.data.result } : { kind: 'invalid', reason: 'malformed response frame' };
  }
  return { kind: 'invalid', reason: 'neither a response nor an event frame' };
}

export function encodeRequest(id: number, method: string, params: unknown): string {
  return JSON.stringify(params === undefined ? { id, method } : { id, method, params });
}
