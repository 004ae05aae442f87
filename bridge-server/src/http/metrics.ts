import type { Request, Response } from 'express';
import { collectDefaultMetrics, register } from 'prom-client';

let defaultsCollected = false;

/** GET /metrics: every metric on prom-client's default registry, in the Prometheus text format. */
export async function metricsHandler(_req: Request, res: Response): Promise<void> {
  if (!defaultsCollected) {
    // Process metrics (CPU, memory, event loop lag), registered once per process.
    collectDefaultMetrics();
    defaultsCollected = true;
  }
  res.type(register.contentType).send(await register.metrics());
}
