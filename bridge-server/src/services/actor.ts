import type { ClientApp, CollectionRole } from '@stockroom/shared-types';

/** Who is calling a service, and from where. Built by the transports after authentication. */
export interface Actor {
  user: { id: string; name: string; email: string; role: 'admin' | 'member' };
  clientApp: ClientApp | string;
  tokenId?: string;
  sessionId?: string;
  ip?: string;
  /** The caller's role per collection (direct and through groups), loaded at authentication; see AccessPolicy. */
  grants?: ReadonlyMap<string, CollectionRole>;
  /** The token's scopes; absent for a browser session (all the user's rights). */
  scopes?: readonly string[];
}
