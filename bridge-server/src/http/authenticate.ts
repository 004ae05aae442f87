import type { IncomingMessage } from 'node:http';
import { bearerActor } from '../auth/actors.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';
import type { TokensService } from '../services/tokens.ts';

export { CLIENT_APP_HEADER } from '../auth/actors.ts';

/**
 * Bearer-token authentication for HTTP requests; tokens are never read from URLs.
 * The composition root uses auth/request-auth.ts instead, which also accepts the
 * dashboard's session cookie; this one stays for bearer-only callers.
 */
export function bearerAuthenticator(tokens: TokensService, access: AccessPolicy) {
  return async (req: IncomingMessage): Promise<Actor> => bearerActor(tokens, access, req);
}

export type Authenticate = (req: IncomingMessage) => Promise<Actor>;
