import type { IncomingMessage } from 'node:http';
import { clientAppSchema, StockroomError } from '@stockroom/shared-types';
import type { Actor } from '../services/actor.ts';
import type { TokensService } from '../services/tokens.ts';

/** Header a script or plugin may send to say which app it is (default: script). */
export const CLIENT_APP_HEADER = 'stockroom-client';

/** Bearer-token authentication for HTTP requests; tokens are never read from URLs. */
export function bearerAuthenticator(tokens: TokensService) {
  return async (req: IncomingMessage): Promise<Actor> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new StockroomError('UNAUTHENTICATED', 'Send your API token in an "Authorization: Bearer <token>" header.');
    }
    const auth = await tokens.authenticate(match[1]!);
    const app = clientAppSchema.safeParse(req.headers[CLIENT_APP_HEADER]);
    return {
      user: { id: auth.user.id, name: auth.user.name, email: auth.user.email, role: auth.user.role },
      clientApp: app.success ? app.data : 'script',
      tokenId: auth.tokenId,
      ip: req.socket.remoteAddress,
    };
  };
}

export type Authenticate = ReturnType<typeof bearerAuthenticator>;
