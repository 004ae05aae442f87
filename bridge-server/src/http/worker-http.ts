import { createServer, type Server } from 'node:http';
import { answerClientErrors } from './client-errors.ts';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from '../logger.ts';
import type { RequestHandler } from 'express';
import { errorHandler } from './errors.ts';

export interface WorkerHttp {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The worker role's own small listener: /healthz (the process runs), /readyz (its
 * dependencies answer) and /metrics (search lag, process metrics), so split
 * deployments can probe and scrape workers like api processes.
 */
export async function startWorkerHttp(options: {
  port: number;
  host: string;
  ready: () => Promise<void>;
  /** GET /metrics, guarded as on the api listener (METRICS_TOKEN or an administrator's token). */
  metrics: RequestHandler;
  logger: Logger;
}): Promise<WorkerHttp> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => res.json({ status: 'ok', role: 'worker' }));
  app.get('/readyz', async (_req, res) => {
    try {
      await options.ready();
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', message: (error as Error).message });
    }
  });
  app.get('/metrics', options.metrics);
  app.use(errorHandler(options.logger));
  const server = createServer(app);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`WORKER_HTTP_PORT ${options.port} is in use; choose another port for the worker's health and metrics listener.`)
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${port}`;
  options.logger.info({ url }, 'worker health and metrics are listening');
  return {
    server,
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
