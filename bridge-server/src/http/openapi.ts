import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { errorResponseSchema, methods, type MethodName } from '@stockroom/shared-types';
import { z } from 'zod';
import type { MethodRegistry } from '../rpc/registry.ts';
import { SERVER_VERSION } from '../version.ts';
import { API_SECURITY, errorResponses } from './openapi-common.ts';
import { registerAuthPaths } from './openapi-auth.ts';
import { registerHttpPaths } from './openapi-http.ts';
import { registerInvitationPaths } from './openapi-invitations.ts';

/**
 * The OpenAPI 3.1 document of every HTTP path: sign-in (/auth), the REST mirror (generated from the method
 * registry and the zod schemas of the protocol), resumable uploads (tus), downloads, the
 * audit CSV export, health and metrics. Every error answer is the one `Error` schema.
 */
export function buildOpenApiDocument(registry: MethodRegistry, options: { oidc: boolean } = { oidc: false }): object {
  const openapi = new OpenAPIRegistry();
  openapi.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API token (sr_…).' });
  openapi.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'stockroom.sid',
    description: 'The dashboard session; changes also need the X-CSRF-Token header (GET /auth/csrf).',
  });
  const error = errorResponseSchema.meta({ id: 'Error' });
  const errors = errorResponses(error);
  for (const entry of registry.list()) {
    if (!entry.rest) continue;
    const spec = methods[entry.name as MethodName];
    const pathParams = [...entry.rest.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const shape = objectShape(spec.params as unknown as z.ZodType);
    const rest = shape ? Object.fromEntries(Object.entries(shape).filter(([key]) => !pathParams.includes(key))) : undefined;
    const inBody = entry.rest.verb === 'post' || entry.rest.verb === 'patch';
    openapi.registerPath({
      method: entry.rest.verb,
      path: entry.rest.path.replace(/:(\w+)/g, '{$1}'),
      operationId: entry.name,
      summary: spec.summary,
      description: `The REST form of the \`${entry.name}\` method (the same parameters and answer over the WebSocket).${
        !inBody && rest && Object.values(rest).some(isStructured) ? ' Query parameters holding objects or arrays are sent as JSON text.' : ''
      }`,
      tags: [entry.name.split('.')[0]!],
      security: API_SECURITY,
      request: {
        ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, (shape?.[p] as z.ZodType | undefined) ?? z.string()]))) } : {}),
        ...(inBody
          ? { body: { required: true, content: { 'application/json': { schema: rest ? z.object(rest) : (spec.params as unknown as z.ZodType) } } } }
          : {}),
        ...(!inBody && rest && Object.keys(rest).length ? { query: z.object(rest) } : {}),
      },
      responses: {
        [entry.rest.status ?? 200]: { description: 'Success', content: { 'application/json': { schema: spec.result as unknown as z.ZodType } } },
        ...errors,
      },
    });
  }
  registerHttpPaths(openapi, errors);
  registerAuthPaths(openapi, errors, options);
  registerInvitationPaths(openapi, errors);
  return new OpenApiGeneratorV31(openapi.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Stockroom bridge API',
      version: SERVER_VERSION,
      description:
        'Every REST path of a Stockroom bridge server. Errors are always `{"error": {code, message, data?}}` with a stable `code` (see docs/protocol.md). The same methods are available over the WebSocket at /ws.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This server' }],
  });
}

/** The fields of an object schema, looking through defaults and optional wrappers. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>) : undefined;
}

function isStructured(schema: z.ZodType): boolean {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  return current instanceof z.ZodObject || current instanceof z.ZodArray || current instanceof z.ZodRecord;
}
