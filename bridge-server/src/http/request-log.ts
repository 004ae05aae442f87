import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { CLIENT_APP_HEADER } from './authenticate.ts';
import type { Logger } from '../logger.ts';

const REQUEST_ID_HEADER = 'X-Request-Id';

/** An id a proxy or client sent is kept when it is short and plain, so log lines across hops line up. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes would fill the log every few seconds and tell nothing. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Query parameters whose values are credentials (OIDC code and state, device codes, signatures). */
const SECRET_QUERY = /code|state|token|secret|password|key|sig/i;

export function requestIdOf(req: IncomingMessage): string {
  return typeof req.id === 'string' ? req.id : String(req.id ?? '');
}

/**
 * One log line per finished request with its id, status and duration. The id is taken from
 * an incoming X-Request-Id when sane, else generated, and is sent back in the same header.
 * Requests are logged by a serializer that picks fields (never headers or cookies) and
 * masks share-link secrets in paths and credential-like query values.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOf(req.url)) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    quietReqLogger: true,
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, string | undefined>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: maskUrl(req.url),
        clientApp: req.headers[CLIENT_APP_HEADER],
        userAgent: req.headers['user-agent'],
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0]!;
}

/** Share links carry their secret in the path (/s/<secret>/...); query values named like credentials are masked. */
function maskUrl(url: string): string {
  const parsed = new URL(url, 'http://x');
  const path = parsed.pathname.replace(/^\/s\/[^/]+/, '/s/[redacted]');
  for (const key of [...parsed.searchParams.keys()]) if (SECRET_QUERY.test(key)) parsed.searchParams.set(key, '[redacted]');
  const query = parsed.searchParams.toString();
  return query ? `${path}?${query}` : path;
}
