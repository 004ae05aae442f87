import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Every answer (JSON errors, CSV, metrics...): browsers must not guess another type than the one declared. */
export const noSniff: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

/** Headers of the server-rendered sign-in pages: no scripts at all, forms only to this server, never framed. */
export function authPageHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** Headers of the dashboard (/admin): its own scripts only, WebSocket and fetch to this server, never framed. */
export function dashboardHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // WebAssembly compilation only (not eval): uploads hash with hash-wasm's SHA-256, about 2.5x the JavaScript one.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false, // set by the TLS proxy, which knows whether TLS is used
  });
}

/**
 * WebSocket origin policy (docs/protocol.md): authentication rests on the token in
 * session.hello, never on the origin or cookies. A handshake is refused only when a
 * web page of another site opens it: an Origin that is present, not "null" (Figma's
 * plugin iframe), not this server's own, and not configured.
 */
export function wsOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return true;
  if (allowed.includes(origin) || allowed.includes('*')) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
