import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** users.*: accounts: each method bound to one service call (and its REST path). */
export function registerUsersMethods(registry: MethodRegistry, s: Pick<MethodServices, 'users'>): void {
  registry
    .register('users.list', async ({ actor }, p) => ({ users: await s.users.list(actor, p) }), { verb: 'get', path: '/api/users' })
    .register('users.create', ({ actor }, p) => s.users.createForActor(actor, p), { verb: 'post', path: '/api/users', status: 201 })
    .register('users.update', ({ actor }, p) => s.users.update(actor, p), { verb: 'patch', path: '/api/users/:id' });
}
