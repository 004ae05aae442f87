import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { errorBodySchema, methods, type MethodName } from '@stockroom/shared-types';
import { z } from 'zod';
import type { MethodRegistry } from '../rpc/registry.ts';
import { SERVER_VERSION } from '../version.ts';

/** The OpenAPI document of the REST mirror, generated from the same zod schemas as the protocol. */
export function buildOpenApiDocument(registry: MethodRegistry): object {
  const openapi = new OpenAPIRegistry();
  openapi.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const errorResponse = { description: 'An error with a stable code', content: { 'application/json': { schema: z.object({ error: errorBodySchema }) } } };
  for (const entry of registry.list()) {
    if (!entry.rest) continue;
    const spec = methods[entry.name as MethodName];
    const pathParams = [...entry.rest.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const params = spec.params as unknown as z.ZodType;
    const inBody = entry.rest.verb === 'post' || entry.rest.verb === 'patch';
    openapi.registerPath({
      method: entry.rest.verb,
      path: entry.rest.path.replace(/:(\w+)/g, '{$1}'),
      operationId: entry.name,
      summary: spec.summary,
      security: [{ bearer: [] }],
      request: {
        ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, z.string()]))) } : {}),
        ...(inBody ? { body: { content: { 'application/json': { schema: params } } } } : {}),
      },
      responses: {
        [entry.rest.status ?? 200]: { description: 'Success', content: { 'application/json': { schema: spec.result as unknown as z.ZodType } } },
        default: errorResponse,
      },
      ...(!inBody ? { description: `Parameters besides the path go in the query string. Schema: see the ${entry.name} method.` } : {}),
    });
  }
  return new OpenApiGeneratorV31(openapi.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Stockroom bridge REST API', version: SERVER_VERSION },
  });
}
