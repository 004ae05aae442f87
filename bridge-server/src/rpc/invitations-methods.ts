import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** invitations.* (administrators): each method bound to one service call (and its REST path). Accepting one is public: http/invitation-routes.ts. */
export function registerInvitationsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'invitations'>): void {
  registry
    .register('invitations.list', ({ actor }) => s.invitations.list(actor), { verb: 'get', path: '/api/invitations' })
    .register('invitations.create', ({ actor }, p) => s.invitations.create(actor, p), { verb: 'post', path: '/api/invitations' })
    .register('invitations.revoke', ({ actor }, p) => s.invitations.revoke(actor, p.id), { verb: 'post', path: '/api/invitations/:id/revoke' });
}
