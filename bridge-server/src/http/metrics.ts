import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, register } from 'prom-client';
import { StockroomError } from '@stockroom/shared-types';
import { bearerOf } from '../auth/actors.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';
import type { Authenticate } from './authenticate.ts';

let defaultsCollected = false;

/**
 * GET /metrics: every metric on prom-client's default registry, in the Prometheus text
 * format — for a scraper holding `METRICS_TOKEN` (as a bearer token) or an administrator's
 * API token. Metrics tell how busy the server is and what it holds: not for anyone.
 */
export function metricsHandler(deps: { metricsToken: string | undefined; authenticate: Authenticate; access: AccessPolicy }) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!matchesToken(bearerOf(req), deps.metricsToken)) {
      let actor: Actor;
      try {
        actor = await deps.authenticate(req);
      } catch {
        throw new StockroomError('UNAUTHENTICATED', 'Send the METRICS_TOKEN (or an administrator’s API token) in an "Authorization: Bearer <token>" header.');
      }
      deps.access.assert(actor, 'admin.read');
    }
    if (!defaultsCollected) {
      // Process metrics (CPU, memory, event loop lag), registered once per process.
      collectDefaultMetrics();
      defaultsCollected = true;
    }
    res.type(register.contentType).send(await register.metrics());
  };
}

function matchesToken(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
