import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** groups.*: groups of users: each method bound to one service call (and its REST path). */
export function registerGroupsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'groups'>): void {
  registry
    .register('groups.list', async ({ actor }) => ({ groups: await s.groups.list(actor) }), { verb: 'get', path: '/api/groups' })
    .register('groups.create', ({ actor }, p) => s.groups.create(actor, p), { verb: 'post', path: '/api/groups', status: 201 })
    .register('groups.delete', ({ actor }, p) => s.groups.delete(actor, p.id), { verb: 'delete', path: '/api/groups/:id' })
    .register('groups.addMember', ({ actor }, p) => s.groups.addMember(actor, p.groupId, p.userId), {
      verb: 'post',
      path: '/api/groups/:groupId/members/:userId',
    })
    .register('groups.removeMember', ({ actor }, p) => s.groups.removeMember(actor, p.groupId, p.userId), {
      verb: 'delete',
      path: '/api/groups/:groupId/members/:userId',
    });
}
