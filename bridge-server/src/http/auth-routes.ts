import express, { type Request, type Response, type Router } from 'express';
import {
  deviceCodeRequestSchema,
  deviceTokenRequestSchema,
  isStockroomError,
  loginBodySchema,
  passwordChangeBodySchema,
  StockroomError,
  type SignedIn,
} from '@stockroom/shared-types';
import { actorForUser } from '../auth/actors.ts';
import { DeviceGrantError, type DeviceSignIn } from '../services/device-sign-in.ts';
import { approvePage, donePage, enterCodePage, signInPage } from '../auth/device-page.ts';
import type { OidcSignIn } from '../auth/oidc.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { rateLimited } from '../auth/rate-limits.ts';
import type { SessionUser, WebSession } from '../auth/web-session.ts';
import { SESSION_COOKIE } from '../auth/web-session.ts';
import type { Logger } from '../logger.ts';
import { validationError } from '../rpc/call.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { AuditService } from '../services/audit.ts';
import type { Db } from '../repositories/db.ts';
import type { TokensService } from '../services/tokens.ts';
import { toUser, type UsersService } from '../services/users.ts';
import { errorHandler } from './errors.ts';
import { guardInput } from './input-guard.ts';
import { authPageHeaders } from './security.ts';

/** Lifetime of the dashboard's WebSocket token (POST /auth/ws-token); it is revoked at sign-out too. */
const WS_TOKEN_TTL_MS = 12 * 3600_000;

export interface AuthRouteDeps {
  db: Db;
  web: WebSession;
  users: UsersService;
  tokens: TokensService;
  access: AccessPolicy;
  audit: AuditService;
  limits: RateLimits;
  device: DeviceSignIn;
  oidc: OidcSignIn | undefined;
  publicUrl: string | undefined;
  logger: Logger;
}

/** The sign-in endpoints of docs/protocol.md ("Sign-in"), mounted at /auth. */
export function authRouter(deps: AuthRouteDeps): Router {
  const { web, limits, audit, logger } = deps;
  const router = express.Router();
  const json = [express.json({ limit: '16kb' }), guardInput];
  const form = [express.urlencoded({ extended: false, limit: '16kb' }), guardInput];
  const pageHeaders = authPageHeaders();
  router.use((_req, res, next) => {
    // Nothing under /auth may be cached: tokens, CSRF tokens, per-user pages.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const signedIn = (req: Request, res: Response): SignedIn => ({ user: toUser(req.user!), csrfToken: web.csrfToken(req, res) });

  /**
   * Checks a password under the rate limits: a limited account or address is refused
   * at once (no hashing), so an attack on one account does not slow anybody else.
   */
  async function signIn(req: Request, res: Response, email: string, password: string): Promise<SessionUser> {
    const account = email.trim().toLowerCase();
    const ip = ipOf(req);
    const limited = (await limits.exhausted(limits.loginAccount, account)) ?? (await limits.exhausted(limits.loginAddress, ip));
    if (limited) {
      await audit.record({ action: 'auth.login.limited', targetType: 'user', targetId: account, ip, data: { email: account } });
      throw rateLimited(limited, 'Too many failed sign-ins for this account or address.');
    }
    const user = await new Promise<SessionUser | false>((resolve, reject) => {
      req.body = { ...(req.body as object), email, password };
      deps.web.passport.authenticate('local', { session: false }, (error: unknown, found: SessionUser | false) => (error ? reject(error) : resolve(found)))(
        req,
        res,
        (error: unknown) => reject(error),
      );
    });
    if (!user) {
      await audit.record({ action: 'auth.login.failed', targetType: 'user', targetId: account, ip, data: { email: account } });
      await Promise.all([limits.loginAccount.penalty(account), limits.loginAddress.penalty(ip)]);
      throw new StockroomError('UNAUTHENTICATED', 'The e-mail address or the password is wrong. Check both and try again.');
    }
    // req.logIn regenerates the session id (no session fixation).
    await new Promise<void>((resolve, reject) => req.logIn(user, (error) => (error ? reject(error) : resolve())));
    req.session.signedInAt = Date.now();
    await limits.loginAccount.delete(account).catch(() => {});
    await audit.record({
      action: 'auth.login',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      clientApp: 'dashboard',
      ip,
      data: { method: 'password' },
    });
    return user;
  }

  router.get('/csrf', async (req, res) => res.json({ csrfToken: web.csrfToken(req, res) }));

  router.post('/login', json, async (req: Request, res: Response) => {
    if (!req.is('application/json')) {
      throw new StockroomError('VALIDATION_FAILED', 'Send the e-mail address and password as JSON ({"email", "password"}).');
    }
    const body = loginBodySchema.safeParse(req.body);
    if (!body.success) throw new StockroomError('VALIDATION_FAILED', 'Send {"email", "password"} as JSON.');
    await signIn(req, res, body.data.email, body.data.password);
    res.json({ user: toUser(req.user!), csrfToken: web.freshCsrfToken(req, res) } satisfies SignedIn);
  });

  router.get('/me', async (req: Request, res: Response) => {
    if (!req.user) throw new StockroomError('UNAUTHENTICATED', 'Not signed in. Sign in with POST /auth/login.');
    res.json(signedIn(req, res));
  });

  router.get('/providers', (_req, res) => res.json({ password: true, oidc: deps.oidc !== undefined }));

  router.post('/logout', web.requireCsrfIfSignedIn, async (req: Request, res: Response) => {
    const user = req.user;
    if (user) {
      const actor = await actorForUser(deps.access, user, ipOf(req), req.session.id);
      const wsTokenIds = req.session.wsTokenIds ?? [];
      await deps.db.$transaction((tx) => deps.tokens.revokeIds(tx, actor, wsTokenIds, 'sign-out'));
      await audit.record({ action: 'auth.logout', actorId: user.id, targetType: 'user', targetId: user.id, clientApp: 'dashboard', ip: ipOf(req) });
      await new Promise<void>((resolve, reject) => req.logout((error) => (error ? reject(error) : resolve())));
    }
    await new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.post('/password', json, web.requireCsrf, async (req: Request, res: Response) => {
    const user = req.user;
    if (!user) throw new StockroomError('UNAUTHENTICATED', 'Not signed in. Sign in with POST /auth/login.');
    const body = passwordChangeBodySchema.safeParse(req.body);
    if (!body.success) throw validationError('POST /auth/password', body.error);
    const account = user.email.toLowerCase();
    // Guessing the current password here is as limited as at sign-in.
    const limited = await limits.exhausted(limits.loginAccount, account);
    if (limited) throw rateLimited(limited, 'Too many wrong passwords for this account.');
    const actor = await actorForUser(deps.access, user, ipOf(req), req.session.id);
    try {
      await deps.users.changeOwnPassword(actor, body.data.currentPassword, body.data.newPassword);
    } catch (error) {
      if (isStockroomError(error) && error.code === 'UNAUTHENTICATED') await limits.loginAccount.penalty(account);
      throw error;
    }
    res.status(204).end();
  });

  router.post('/ws-token', web.requireCsrf, async (req: Request, res: Response) => {
    const user = req.user;
    if (!user) throw new StockroomError('UNAUTHENTICATED', 'Not signed in. Sign in with POST /auth/login.');
    await limits.consume(limits.tokenIssue, user.id, 'Too many tokens were requested.');
    const expiresAt = new Date(Date.now() + WS_TOKEN_TTL_MS);
    const created = await deps.tokens.create(user.id, { name: 'dashboard session', scopes: ['*'], expiresAt, sessionBound: true });
    req.session.wsTokenIds = [...(req.session.wsTokenIds ?? []).slice(-50), created.id];
    await audit.record({
      action: 'token.create',
      actorId: user.id,
      targetType: 'token',
      targetId: created.id,
      clientApp: 'dashboard',
      ip: ipOf(req),
      data: { name: 'dashboard session', via: 'session' },
    });
    res.json({ token: created.secret, expiresAt: expiresAt.toISOString() });
  });

  // ---- device sign-in --------------------------------------------------------

  router.post('/device/code', json, async (req: Request, res: Response) => {
    await limits.consume(limits.deviceCode, ipOf(req), 'Too many sign-in codes were requested from this address.');
    const body = deviceCodeRequestSchema.safeParse(req.body);
    if (!body.success)
      throw new StockroomError('VALIDATION_FAILED', 'Send {"clientApp", "machine"} as JSON.', { issues: body.error.issues.map((i) => i.message) });
    const base = deps.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`;
    res.json(await deps.device.start({ ...body.data, address: ipOf(req) }, `${base}/auth/device`));
  });

  router.post('/device/token', json, async (req: Request, res: Response) => {
    await limits.consume(limits.deviceToken, ipOf(req), 'Too many polls from this address.');
    const body = deviceTokenRequestSchema.safeParse(req.body);
    if (!body.success) throw new StockroomError('VALIDATION_FAILED', 'Send {"deviceCode"} as JSON.');
    try {
      res.json(await deps.device.poll(body.data.deviceCode, ipOf(req)));
    } catch (error) {
      if (!(error instanceof DeviceGrantError)) throw error;
      res.status(400).json(error.body);
    }
  });

  router.get('/device', pageHeaders, async (req: Request, res: Response) => {
    const code = typeof req.query.code === 'string' ? req.query.code.slice(0, 20) : '';
    res.type('html');
    if (!req.user) return res.send(signInPage(web.csrfToken(req, res), code));
    if (!code) return res.send(enterCodePage(req.user.name));
    const pending = await deps.device.pending(code);
    if (!pending)
      return res.status(404).send(enterCodePage(req.user.name, 'This code is unknown, expired or was already used. Check it, or start again in the app.'));
    res.send(approvePage(web.csrfToken(req, res), req.user.name, pending));
  });

  router.post('/device/sign-in', pageHeaders, form, web.requireCsrf, async (req: Request, res: Response) => {
    const { email = '', password = '', code = '' } = req.body as Record<string, string>;
    try {
      await signIn(req, res, String(email), String(password));
    } catch (error) {
      if (!(error instanceof StockroomError)) throw error;
      const status = error.code === 'RATE_LIMITED' ? 429 : 401;
      return res
        .status(status)
        .type('html')
        .send(signInPage(web.csrfToken(req, res), String(code), error.message));
    }
    res.redirect(303, `/auth/device${code ? `?code=${encodeURIComponent(String(code).slice(0, 20))}` : ''}`);
  });

  router.post('/device/decision', pageHeaders, form, web.requireCsrf, async (req: Request, res: Response) => {
    const { code = '', decision = '' } = req.body as Record<string, string>;
    if (!req.user) return res.redirect(303, `/auth/device?code=${encodeURIComponent(String(code).slice(0, 20))}`);
    const actor = await actorForUser(deps.access, req.user, ipOf(req), req.session.id);
    const approved = decision === 'approve';
    const device = await deps.device.decide(actor, String(code), approved);
    res.type('html').send(donePage(approved, device));
  });

  // ---- single sign-on ----------------------------------------------------------

  if (deps.oidc) {
    const oidc = deps.oidc;
    router.get('/oidc/login', async (req, res) => res.redirect(303, await oidc.start(req)));
    router.get('/oidc/callback', pageHeaders, async (req, res) => {
      const { user, returnTo } = await oidc.finish(req, ipOf(req));
      await new Promise<void>((resolve, reject) => req.logIn(user, (error) => (error ? reject(error) : resolve())));
      req.session.signedInAt = Date.now();
      await audit.record({
        action: 'auth.login',
        actorId: user.id,
        targetType: 'user',
        targetId: user.id,
        clientApp: 'dashboard',
        ip: ipOf(req),
        data: { method: 'oidc' },
      });
      res.redirect(303, returnTo);
    });
  }

  // Body too large, bad JSON, CSRF refusals: the same error bodies as everywhere.
  router.use(errorHandler(logger));
  return router;
}
