import type { InvitationsService } from '../services/invitations.ts';
import type { MethodRegistry } from './registry.ts';

/** Invitations (administrators): methods and their REST paths. Accepting one is public: http/invitation-routes.ts. */
export function registerInvitationMethods(registry: MethodRegistry, invitations: InvitationsService): void {
  registry
    .register('invitations.list', ({ actor }) => invitations.list(actor), { verb: 'get', path: '/api/invitations' })
    .register('invitations.create', ({ actor }, p) => invitations.create(actor, p), { verb: 'post', path: '/api/invitations' })
    .register('invitations.revoke', ({ actor }, p) => invitations.revoke(actor, p.id), { verb: 'post', path: '/api/invitations/:id/revoke' });
}
