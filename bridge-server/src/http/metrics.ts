import type { Request, Response } from 'express';
import { register } from 'prom-client';

/** GET /metrics: every metric on prom-client's default registry, in the Prometheus text format. */
export async function metricsHandler(_req: Request, res: Response): Promise<void> {
  res.type(register.contentType).send(await register.metrics());
}
