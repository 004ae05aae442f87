import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Logger } from '../logger.ts';

/** Where `vite build` (dashboard/vite.config.ts) writes the admin app. */
export const DASHBOARD_DIST = path.join(import.meta.dirname, '..', '..', 'dashboard', 'dist');
export const DASHBOARD_BUILD_COMMAND = 'pnpm --filter @stockroom/bridge-server build:dashboard';

/**
 * Serves the built admin dashboard at /admin. Hashed assets are cached for a
 * year; index.html is never cached, and every unknown path under /admin gets it
 * so the app's own router shows the page (deep links and reloads work).
 */
export function dashboardRouter(logger: Logger, dist = DASHBOARD_DIST): Router {
  const router = express.Router();
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) logger.warn({ build: DASHBOARD_BUILD_COMMAND }, 'the admin dashboard is not built; /admin answers 503 until it is');
  router.use('/static', express.static(path.join(dist, 'static'), { immutable: true, maxAge: '365d', index: false }));
  router.use('/static', (_req, res) => void res.status(404).type('text/plain').send('No such file in this dashboard build.'));
  router.use(express.static(dist, { index: false, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send(`The admin dashboard is not built on this server. Build it with: ${DASHBOARD_BUILD_COMMAND}`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
