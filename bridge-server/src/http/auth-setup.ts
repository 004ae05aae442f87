import type { Express, RequestHandler } from 'express';
import { UPLOAD_PATH } from '@stockroom/shared-types';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { auditExportRouter } from './audit-export.ts';
import { authRouter } from './auth-routes.ts';
import { dashboardHeaders } from './security.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { AuditService } from '../services/audit.ts';
import type { HousekeepingTask } from '../services/housekeeping.ts';
import type { Db } from '../repositories/db.ts';
import type { TokensService } from '../services/tokens.ts';
import type { UsersService } from '../services/users.ts';
import { DeviceSignIn } from '../services/device-sign-in.ts';
import { OidcSignIn } from '../auth/oidc.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { requestAuthenticator } from '../auth/request-auth.ts';
import { loadSessionSecret } from '../auth/secret.ts';
import { PrismaSessionStore } from '../auth/session-store.ts';
import { createWebSession } from '../auth/web-session.ts';

const PRUNE_EVERY_MS = 3600_000;

export interface AuthDeps {
  config: Config;
  db: Db;
  logger: Logger;
  users: UsersService;
  tokens: TokensService;
  access: AccessPolicy;
  audit: AuditService;
  limits: RateLimits;
}

/**
 * Sign-in for the HTTP transport: sessions (passport + Postgres store), CSRF,
 * device sign-in, optional OIDC, and the request authenticator that accepts a
 * bearer token or the session cookie. `mount` must run before the routes that
 * should see the session (the REST mirror, downloads, /admin).
 */
export function setUpAuth(deps: AuthDeps) {
  const { config, db, logger } = deps;
  const store = new PrismaSessionStore(db);
  const web = createWebSession({
    users: deps.users,
    store,
    secret: loadSessionSecret(config.auth.sessionSecret, config.dataDir),
    secureCookies: config.publicUrl?.startsWith('https:') ?? false,
  });
  const device = new DeviceSignIn(db, deps.tokens, deps.audit, { ttlMs: config.auth.deviceCodeTtlMs, intervalMs: config.auth.devicePollIntervalMs });
  const oidc = config.auth.oidc ? new OidcSignIn(config.auth.oidc, deps.users, deps.audit, logger) : undefined;
  const authenticate = requestAuthenticator({ tokens: deps.tokens, access: deps.access, web });

  return {
    web,
    device,
    authenticate,
    mount(app: Express): void {
      if (config.auth.trustProxy !== undefined) app.set('trust proxy', config.auth.trustProxy);
      // Not on the tus endpoint: it answers through srvx, whose res.end(callback) express-session's
      // res.end wrapper writes as a body chunk (a crash for every upload from a signed-in browser);
      // uploads authenticate with a bearer token, never with the cookie session.
      const notForUploads = web.middleware.map(
        (handler): RequestHandler =>
          (req, res, next) =>
            req.originalUrl.startsWith(UPLOAD_PATH) ? next() : handler(req, res, next),
      );
      app.use(['/auth', '/api', '/admin'], notForUploads);
      app.use('/admin', dashboardHeaders());
      app.use('/auth', authRouter({ ...deps, web, device, oidc, publicUrl: config.publicUrl }));
      app.use(auditExportRouter(deps.audit, authenticate));
    },
    /** Expired sessions, device codes and rate-limit counters; once per cluster (see services/housekeeping.ts). */
    pruneTask: {
      name: 'housekeeping-auth-prune',
      everyMs: PRUNE_EVERY_MS,
      run: async () => {
        await store.prune().catch((error: unknown) => logger.warn({ err: error }, 'could not prune sessions'));
        await device.prune().catch((error: unknown) => logger.warn({ err: error }, 'could not prune device codes'));
        await deps.limits.prune().catch((error: unknown) => logger.warn({ err: error }, 'could not prune rate-limit counters'));
        await deps.tokens.pruneSessionBound().catch((error: unknown) => logger.warn({ err: error }, 'could not prune dashboard WebSocket tokens'));
      },
    } satisfies HousekeepingTask,
  };
}
