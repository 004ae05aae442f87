import type { CollectionRole } from '@stockroom/shared-types';
import type { Actor } from '../../../src/services/actor.ts';

/** A member with these collection roles (and, optionally, a token's scopes). */
export const member = (grants: Record<string, CollectionRole> = {}, scopes?: string[]): Actor => ({
  user: { id: 'u-member', name: 'Mo', email: 'mo@example.com', role: 'member' },
  clientApp: 'premiere',
  grants: new Map(Object.entries(grants)),
  ...(scopes ? { scopes } : {}),
});

/** An administrator (optionally through a token with these scopes). */
export const admin = (scopes?: string[]): Actor => ({
  user: { id: 'u-admin', name: 'Al', email: 'al@example.com', role: 'admin' },
  clientApp: 'dashboard',
  ...(scopes ? { scopes } : {}),
});
