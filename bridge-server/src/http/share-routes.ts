import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import { guestCommentBodySchema, isStockroomError, shareUnlockBodySchema, StockroomError } from '@stockroom/shared-types';
import type { BlobStore } from '../ports/blob-store.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { PUBLIC_PRESETS, ShareRefused, type PublicPreset, type PublicSharesService, type ShareRefusalReason, type Visitor } from '../services/public-shares.ts';
import { DASHBOARD_BUILD_COMMAND, DASHBOARD_DIST } from './dashboard.ts';
import { sendError } from './errors.ts';
import { refusalPage } from './share-refusal-page.ts';
import { sendBlob } from './send-blob.ts';

const SHARE_HTML = path.join(DASHBOARD_DIST, 'share.html');

/** The public page's headers: its own scripts and media only, never framed, and no Referer (the secret is in the address). */
function sharePageHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

const REFUSAL_STATUS: Record<ShareRefusalReason, number> = { unknown: 404, empty: 404, expired: 410, revoked: 410, password: 401, 'wrong-password': 401 };

/**
 * The public side of share links, under /s/<secret>: the page (the React app built with
 * the dashboard), its data, the item's poster/preview/proxy, the download and guest
 * comments. Nothing here takes a token or a cookie session, and nothing reaches an asset
 * the link does not show.
 */
export function shareRouter(deps: { shares: PublicSharesService; blobStore: BlobStore; limits: RateLimits; secureCookies: boolean }): Router {
  const { shares, blobStore, limits } = deps;
  const router = express.Router();
  const visitorOf = (req: Request): Visitor => ({ ip: req.ip ?? req.socket.remoteAddress, userAgent: req.get('user-agent') });

  router.use('/s', sharePageHeaders(), cookieParser(), async (req, res, next) => {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Cache-Control', 'no-store');
    await limits.consume(limits.shareRequest, visitorOf(req).ip ?? 'unknown', 'Too many requests to shared links from your address.');
    next();
  });

  const open = (req: Request) => shares.open(String(req.params.secret), cookieOf(req), visitorOf(req));
  const cookieOf = (req: Request): string | undefined => {
    const cookies = (req.cookies ?? {}) as Record<string, string>;
    return Object.entries(cookies).find(([name]) => name.startsWith('sr_share_'))?.[1];
  };

  const page = (res: Response, status: number, html: string) => void res.status(status).type('html').send(html);
  // A refused link answers the page routes with the refusal page and the others in the one error
  // shape; every other error goes on to the app's error middleware (http/errors.ts).
  const refusedAsPage: ErrorRequestHandler = (error, req, res, next) => {
    if (error instanceof ShareRefused) return page(res, REFUSAL_STATUS[error.reason], refusalPage(error.reason, String(req.params.secret)).html);
    if (isStockroomError(error) && error.code === 'RATE_LIMITED') return page(res, 429, refusalPage('rate-limited').html);
    next(error);
  };
  const refusedAsJson: ErrorRequestHandler = (error, _req, res, next) => {
    if (!(error instanceof ShareRefused)) return next(error);
    const code = error.reason === 'unknown' || error.reason === 'empty' ? 'NOT_FOUND' : 'FORBIDDEN';
    sendError(res, new StockroomError(code, refusalPage(error.reason).message, { reason: error.reason }));
  };

  router.get(
    '/s/:secret',
    async (req: Request, res: Response) => {
      await open(req);
      if (!existsSync(SHARE_HTML)) {
        res.status(503).type('text/plain').send(`The share page is not built on this server. Build it with: ${DASHBOARD_BUILD_COMMAND}`);
        return;
      }
      page(res, 200, readFileSync(SHARE_HTML, 'utf8'));
    },
    refusedAsPage,
  );

  router.post(
    '/s/:secret/unlock',
    express.urlencoded({ extended: false, limit: '4kb' }),
    async (req: Request, res: Response) => {
      const secret = String(req.params.secret);
      const body = shareUnlockBodySchema.safeParse(req.body);
      if (!body.success) throw new ShareRefused('wrong-password');
      await limits.consume(limits.sharePassword, `${secret.slice(0, 12)}:${visitorOf(req).ip}`, 'Too many wrong passwords for this link.');
      const { link, cookie } = await shares.unlock(secret, body.data.password, visitorOf(req));
      if (cookie) {
        res.cookie(shares.cookieName(link), cookie, { httpOnly: true, sameSite: 'strict', secure: deps.secureCookies || req.secure, path: `/s/${secret}` });
      }
      res.redirect(303, `/s/${encodeURIComponent(secret)}`);
    },
    refusedAsPage,
  );

  router.get(
    '/s/:secret/api',
    async (req: Request, res: Response) => {
      const link = await open(req);
      res.json(await shares.view(link, String(req.params.secret), visitorOf(req)));
    },
    refusedAsJson,
  );

  const media: express.RequestHandler = async (req, res) => {
    const { index, what } = itemParams(req);
    const link = await open(req);
    const blob = what === 'download' ? await shares.download(link, index, visitorOf(req)) : await shares.derivative(link, index, what as PublicPreset);
    await sendBlob(req, res, blobStore, blob);
  };
  router.get('/s/:secret/items/:index/:what', media, refusedAsJson);
  router.head('/s/:secret/items/:index/:what', media, refusedAsJson);

  router.post(
    '/s/:secret/items/:index/comments',
    express.json({ limit: '32kb' }),
    async (req: Request, res: Response) => {
      const { index } = itemParams(req, true);
      const link = await open(req);
      const body = guestCommentBodySchema.safeParse(req.body);
      if (!body.success) {
        throw new StockroomError('VALIDATION_FAILED', 'Give your name and a comment (at most 10,000 characters).', { issues: body.error.issues });
      }
      await limits.consume(limits.shareComment, `${link.id}:${visitorOf(req).ip}`, 'You have sent many comments in a short time.');
      res.status(201).json({ comment: await shares.comment(link, index, body.data, visitorOf(req)) });
    },
    refusedAsJson,
  );

  // Anything else under a link: the same answer as an unknown address.
  router.all(/^\/s\/.*/, (_req, res) => sendError(res, new StockroomError('NOT_FOUND', 'This link does not show that. Open the link you were sent again.')));
  return router;
}

function itemParams(req: Request, commentsRoute = false): { index: number; what: string } {
  const index = String(req.params.index);
  const what = commentsRoute ? 'comments' : String(req.params.what);
  if (!/^\d{1,4}$/.test(index) || (!commentsRoute && what !== 'download' && !(PUBLIC_PRESETS as readonly string[]).includes(what))) {
    throw new StockroomError('NOT_FOUND', 'This link does not show that. Open the link you were sent again.');
  }
  return { index: Number(index), what };
}
