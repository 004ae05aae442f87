import type { ClientApp } from '@stockroom/shared-types';

/** Who is calling a service, and from where. Built by the transports after authentication. */
export interface Actor {
  user: { id: string; name: string; email: string; role: 'admin' | 'member' };
  clientApp: ClientApp | string;
  tokenId?: string;
  sessionId?: string;
  ip?: string;
}
