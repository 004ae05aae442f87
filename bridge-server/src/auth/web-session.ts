import type { IncomingMessage } from 'node:http';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { StockroomError } from '@stockroom/shared-types';
import type { UsersService } from '../services/users.ts';
import { PrismaSessionStore } from './session-store.ts';

export const SESSION_COOKIE = 'stockroom.sid';
export const CSRF_COOKIE = 'stockroom.csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Idle sessions end after this; activity renews it. */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** Every session ends after this, active or not. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 3600_000;

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'member';
  createdAt: Date;
  disabledAt: Date | null;
}

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (absolute session lifetime). */
    signedInAt?: number;
    /** Tokens made by POST /auth/ws-token for this session: revoked at sign-out. */
    wsTokenIds?: string[];
    /** Set for anonymous visitors who asked for a CSRF token, so the session (and the token) persists. */
    anonymous?: boolean;
    /** OIDC login in progress: state, nonce, PKCE verifier, where to go afterwards. */
    oidc?: { state: string; nonce: string; codeVerifier: string; returnTo: string };
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user
    interface User extends SessionUser {}
  }
}

/**
 * Cookie sessions for the dashboard and the sign-in pages: passport (local
 * strategy: e-mail + argon2id password) on express-session, stored in Postgres;
 * CSRF double-submit tokens bound to the session (csrf-csrf).
 */
export function createWebSession(deps: { users: UsersService; store: PrismaSessionStore; secret: string; secureCookies: boolean }) {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      deps.users.verifyPassword(email, password).then(
        (user) => done(null, user ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    // A disabled or deleted account has no session any more.
    deps.users.findActive(id).then(
      (user) => done(null, user ?? false),
      (error: unknown) => done(error),
    );
  });

  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: deps.secret,
    store: deps.store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined, // follows express's `trust proxy`
    cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies ? true : 'auto', maxAge: SESSION_IDLE_MS, path: '/' },
  });

  const csrf = doubleCsrf({
    getSecret: () => deps.secret,
    getSessionIdentifier: (req) => req.session?.id ?? '',
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', path: '/', secure: deps.secureCookies, httpOnly: true },
    getCsrfTokenFromRequest: (req) => (req.headers[CSRF_HEADER] as string | undefined) ?? (req.body as { _csrf?: string } | undefined)?._csrf,
  });

  /** Secure like the session cookie: always with an https PUBLIC_URL, else when the request came over TLS (directly or through a trusted proxy). */
  const csrfCookieSecurity = (req: Request) => ({ secure: deps.secureCookies || req.secure });

  /** Ends sessions older than the absolute lifetime. */
  const maxAge: RequestHandler = (req, _res, next) => {
    const signedInAt = req.session?.signedInAt;
    if (req.user && signedInAt && Date.now() - signedInAt > SESSION_MAX_AGE_MS) {
      req.logout({ keepSessionInfo: false }, () => next());
      return;
    }
    next();
  };

  const middleware: RequestHandler[] = [cookieParser(), sessionMiddleware, passport.initialize(), passport.session(), maxAge];

  return {
    passport,
    middleware,
    /** A CSRF token for this session (creating the anonymous session when needed). */
    csrfToken(req: Request, res: Response): string {
      if (!req.user) req.session.anonymous = true;
      return csrf.generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false, cookieOptions: csrfCookieSecurity(req) });
    },
    /** Fresh token after the session id changed (sign-in). */
    freshCsrfToken(req: Request, res: Response): string {
      return csrf.generateCsrfToken(req, res, { overwrite: true, cookieOptions: csrfCookieSecurity(req) });
    },
    csrfValid(req: Request): boolean {
      return csrf.validateRequest(req);
    },
    /** Rejects a state-changing request without a valid CSRF token. */
    requireCsrf: ((req: Request, _res: Response, next: NextFunction) => {
      if (SAFE_METHODS.has(req.method) || csrf.validateRequest(req)) return next();
      next(csrfError());
    }) as RequestHandler,
    /** Like requireCsrf, for requests that change nothing when not signed in (sign-out). */
    requireCsrfIfSignedIn: ((req: Request, _res: Response, next: NextFunction) => {
      if (!req.user || SAFE_METHODS.has(req.method) || csrf.validateRequest(req)) return next();
      next(csrfError());
    }) as RequestHandler,
  };
}

export type WebSession = ReturnType<typeof createWebSession>;

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfError(): StockroomError {
  return new StockroomError(
    'FORBIDDEN',
    'This request lacks a valid CSRF token. Reload the page and try again (scripts: send the X-CSRF-Token header from GET /auth/csrf, or use an API token).',
    { reason: 'csrf' },
  );
}

/** The signed-in user of a request that went through the session middleware, if any. */
export function sessionUserOf(req: IncomingMessage): SessionUser | undefined {
  return (req as Request).user ?? undefined;
}
