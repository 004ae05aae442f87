import type { NextFunction, Request, Response } from 'express';
import { Gauge, Histogram, register } from 'prom-client';

// Metrics on prom-client's default registry (served at /metrics), one set per process.
const durations =
  (register.getSingleMetric('stockroom_http_request_duration_seconds') as Histogram<'method' | 'route' | 'status'> | undefined) ??
  new Histogram({
    name: 'stockroom_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, from arrival to the last byte sent.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });

/** Times every request; the route label is the matched pattern (bounded), never the raw URL. */
export function requestDurations(req: Request, res: Response, next: NextFunction): void {
  const stop = durations.startTimer();
  res.once('finish', () => {
    const route = req.route?.path;
    stop({ method: req.method, route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
  });
  next();
}

let connections: (() => number) | undefined;
let queueDepth: (() => Promise<Array<{ queue: string; queued: number; active: number }>>) | undefined;

/** The open WebSocket connections of this process, read when scraped. */
export function reportWebSocketConnections(count: () => number): void {
  connections = count;
  if (register.getSingleMetric('stockroom_websocket_connections')) return;
  new Gauge({
    name: 'stockroom_websocket_connections',
    help: 'Open WebSocket connections on this process.',
    collect() {
      this.set(connections?.() ?? 0);
    },
  });
}

/** Jobs waiting and running per queue (the same for every process: it is read from Postgres). */
export function reportQueueDepth(read: () => Promise<Array<{ queue: string; queued: number; active: number }>>): void {
  queueDepth = read;
  if (register.getSingleMetric('stockroom_queue_jobs')) return;
  new Gauge({
    name: 'stockroom_queue_jobs',
    help: 'Jobs in each queue by state (queued: waiting, including deferred retries; active: running).',
    labelNames: ['queue', 'state'],
    async collect() {
      this.reset();
      for (const q of (await queueDepth?.().catch(() => [])) ?? []) {
        this.set({ queue: q.queue, state: 'queued' }, q.queued);
        this.set({ queue: q.queue, state: 'active' }, q.active);
      }
    },
  });
}
