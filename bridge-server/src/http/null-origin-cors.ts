import type { RequestHandler } from 'express';
import { BRAND_CONTENT_HEADERS, HTTP_STATUS, StockroomError, UPLOAD_PATH } from '@stockroom/shared-types';

/** Sign-in endpoints a plugin calls before it has a token. */
const DEVICE_PATHS = new Set(['/auth/device/code', '/auth/device/token']);

const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-None-Match', 'If-Range', 'Range', 'X-Stockroom-Client'].join(', ');
const EXPOSED_HEADERS = ['Content-Length', 'Content-Disposition', 'Content-Range', 'ETag', 'Stockroom-Error', ...Object.values(BRAND_CONTENT_HEADERS)].join(
  ', ',
);

/**
 * CORS for Figma's plugin iframe, whose origin is the opaque `null` (any sandboxed
 * iframe sends it, so the origin proves nothing). A `null`-origin request may reach
 * the REST mirror, downloads and thumbnails only with a bearer token — its cookies are
 * dropped before the session middleware sees them, and `Access-Control-Allow-Credentials`
 * is never sent — plus the two device sign-in endpoints. Requests with any other
 * origin, and same-origin dashboard requests, are untouched. Tus uploads answer CORS
 * themselves (tus-node-server); here they only get the bearer rule.
 */
export function nullOriginCors(): RequestHandler {
  return (req, res, next) => {
    if (req.headers.origin !== 'null') return next();
    const api = req.path.startsWith('/api/');
    if (!api && !DEVICE_PATHS.has(req.path)) return next();
    delete req.headers.cookie;
    const upload = req.path === UPLOAD_PATH || req.path.startsWith(`${UPLOAD_PATH}/`);
    if (!upload) {
      res.vary('Origin');
      res.set('Access-Control-Allow-Origin', 'null');
      if (req.method === 'OPTIONS') {
        res.set({
          'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, DELETE',
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Max-Age': '600',
        });
        res.status(204).end();
        return;
      }
      res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (api && req.method !== 'OPTIONS' && !/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) {
      const error = new StockroomError(
        'UNAUTHENTICATED',
        'Requests from a plugin or sandboxed page (Origin: null) need an "Authorization: Bearer <token>" header; cookies are never accepted from them. Sign in with the device flow first.',
        { reason: 'null-origin-without-token' },
      );
      res.status(HTTP_STATUS.UNAUTHENTICATED).json({ error: error.toJSON() });
      return;
    }
    next();
  };
}
