import express, { type Request, type Response, type Router } from 'express';
import { invitationAcceptBodySchema, invitationLookupBodySchema, StockroomError } from '@stockroom/shared-types';
import type { z } from 'zod';
import { rateLimited, type RateLimits } from '../auth/rate-limits.ts';
import type { Logger } from '../logger.ts';
import { toStockroomError } from '../rpc/call.ts';
import type { InvitationsService } from '../services/invitations.ts';
import { sendError } from './errors.ts';
import { guardInput } from './input-guard.ts';

/**
 * The invitee's side of an invitation, without a sign-in: look a link up, then accept it
 * with a name and password. Wrong secrets count against the address like failed sign-ins,
 * so links cannot be guessed.
 */
export function invitationRouter(deps: { invitations: InvitationsService; limits: RateLimits; logger: Logger }): Router {
  const { invitations, limits, logger } = deps;
  const router = express.Router();
  const json = [express.json({ limit: '16kb' }), guardInput];
  const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

  const handle =
    <S extends z.ZodType, R>(schema: S, what: string, work: (body: z.output<S>, req: Request) => Promise<R>) =>
    async (req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      try {
        if (!req.is('application/json')) throw new StockroomError('VALIDATION_FAILED', `Send ${what} as JSON.`);
        const body = schema.safeParse(req.body);
        if (!body.success) {
          const issues = body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          throw new StockroomError('VALIDATION_FAILED', `Send ${what}: ${issues.map((i) => `${i.path} — ${i.message}`).join('; ')}.`, { issues });
        }
        const ip = ipOf(req);
        const limited = await limits.exhausted(limits.loginAddress, ip);
        if (limited) throw rateLimited(limited, 'Too many invitation attempts from this address.');
        try {
          res.json(await work(body.data, req));
        } catch (error) {
          if (error instanceof StockroomError && error.code === 'NOT_FOUND') await limits.loginAddress.penalty(ip);
          throw error;
        }
      } catch (error) {
        sendError(res, toStockroomError(error, logger, { path: req.path }));
      }
    };

  router.post(
    '/auth/invitations/lookup',
    json,
    handle(invitationLookupBodySchema, '{"token"}', (body) => invitations.lookup(body.token)),
  );
  router.post(
    '/auth/invitations/accept',
    json,
    handle(invitationAcceptBodySchema, '{"token", "name", "password"}', (body, req) => invitations.accept(body, ipOf(req))),
  );
  return router;
}
