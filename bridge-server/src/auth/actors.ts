import type { IncomingMessage } from 'node:http';
import { clientAppSchema, StockroomError } from '@stockroom/shared-types';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';
import type { AuthenticatedToken, TokensService } from '../services/tokens.ts';

/** Header a script or plugin may send to say which app it is (default: script). */
export const CLIENT_APP_HEADER = 'stockroom-client';

/** The Actor of a checked API token, with its grants and scopes loaded. */
export async function actorForToken(access: AccessPolicy, auth: AuthenticatedToken, clientApp: string, ip: string | undefined): Promise<Actor> {
  return {
    user: { id: auth.user.id, name: auth.user.name, email: auth.user.email, role: auth.user.role },
    clientApp,
    tokenId: auth.tokenId,
    ip,
    scopes: auth.scopes,
    grants: await access.grantsOf(auth.user.id),
  };
}

/** The Actor of a signed-in browser session (all the user's rights; no token scopes). */
export async function actorForUser(
  access: AccessPolicy,
  user: { id: string; name: string; email: string; role: 'admin' | 'member' },
  ip: string | undefined,
  sessionId?: string,
): Promise<Actor> {
  return {
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    clientApp: 'dashboard',
    sessionId,
    ip,
    grants: await access.grantsOf(user.id),
  };
}

/** Reads a bearer token from the Authorization header only: never from a URL or a cookie. */
export function bearerOf(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function clientAppOf(req: IncomingMessage): string {
  const app = clientAppSchema.safeParse(req.headers[CLIENT_APP_HEADER]);
  return app.success ? app.data : 'script';
}

export async function bearerActor(tokens: TokensService, access: AccessPolicy, req: IncomingMessage): Promise<Actor> {
  const secret = bearerOf(req);
  if (!secret) throw new StockroomError('UNAUTHENTICATED', 'Send your API token in an "Authorization: Bearer <token>" header.');
  const auth = await tokens.authenticate(secret);
  // Express's req.ip honours `trust proxy` (the client behind a TLS proxy); plain requests have the socket's.
  return actorForToken(access, auth, clientAppOf(req), (req as IncomingMessage & { ip?: string }).ip ?? req.socket.remoteAddress);
}
