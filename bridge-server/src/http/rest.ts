import express, { type Request, type Router } from 'express';
import type { z } from 'zod';
import { methods, type MethodName } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import { invoke } from '../rpc/call.ts';
import type { MethodRegistry } from '../rpc/registry.ts';
import type { Authenticate } from './authenticate.ts';

/**
 * The REST mirror: every registered method with a REST binding, with the same
 * validation and services as the WebSocket transport. Params come from the
 * path, then the query string (GET/DELETE) or the JSON body.
 */
export function restRouter(registry: MethodRegistry, authenticate: Authenticate, logger: Logger): Router {
  const router = express.Router();
  for (const entry of registry.list()) {
    if (!entry.rest) continue;
    const { verb, path, status = 200 } = entry.rest;
    // Failures reach the error middleware (http/errors.ts) through Express 5's promise handling.
    router[verb](path, async (req, res) => {
      const actor = await authenticate(req);
      const params = paramsOf(entry.name, req);
      const result = await invoke(entry, { actor }, params, req.log ?? logger);
      res.status(status).json(result);
    });
  }
  return router;
}

function paramsOf(method: MethodName, req: Request): Record<string, unknown> {
  const source = req.method === 'GET' || req.method === 'DELETE' ? fromQuery(req.query as Record<string, unknown>) : (req.body ?? {});
  const merged = { ...(typeof source === 'object' ? source : {}), ...req.params } as Record<string, unknown>;
  return coerceNumbers(method, merged);
}

/** Query strings and path segments are text; turn digits into numbers where the contract wants a number. */
function coerceNumbers(method: MethodName, params: Record<string, unknown>): Record<string, unknown> {
  const result = (methods[method].params as z.ZodType).safeParse(params);
  if (result.success) return params;
  const out = { ...params };
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (issue.code === 'invalid_type' && issue.expected === 'number' && typeof key === 'string' && typeof out[key] === 'string') {
      const n = Number(out[key]);
      if (Number.isFinite(n)) out[key] = n;
    }
    if (issue.code === 'invalid_type' && issue.expected === 'boolean' && typeof key === 'string' && (out[key] === 'true' || out[key] === 'false')) {
      out[key] = out[key] === 'true';
    }
  }
  return out;
}

function fromQuery(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && /^[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        /* plain text after all */
      }
    }
    out[key] = value;
  }
  return out;
}
