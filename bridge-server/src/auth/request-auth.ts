import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { StockroomError } from '@stockroom/shared-types';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';
import type { TokensService } from '../services/tokens.ts';
import { actorForUser, bearerActor, bearerOf } from './actors.ts';
import { csrfError, SAFE_METHODS, sessionUserOf, type WebSession } from './web-session.ts';

/**
 * Who sent an HTTP request: an API token in the Authorization header, or else the
 * dashboard's session cookie — and then a change must carry the CSRF token. Routes
 * mounted before the session middleware (e.g. tus uploads) see only bearer tokens.
 */
export function requestAuthenticator(deps: { tokens: TokensService; access: AccessPolicy; web: WebSession }) {
  return async (req: IncomingMessage): Promise<Actor> => {
    if (bearerOf(req) !== undefined || req.headers.authorization) return bearerActor(deps.tokens, deps.access, req);
    const user = sessionUserOf(req);
    if (!user) {
      throw new StockroomError('UNAUTHENTICATED', 'Sign in first: send an "Authorization: Bearer <token>" header, or sign in to the dashboard.');
    }
    const express = req as Request;
    if (!SAFE_METHODS.has(req.method ?? 'GET') && !deps.web.csrfValid(express)) throw csrfError();
    return actorForUser(deps.access, user, express.ip ?? req.socket.remoteAddress, express.session?.id);
  };
}
