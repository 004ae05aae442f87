import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** grants.*: who may do what in a collection: each method bound to one service call (and its REST path). */
export function registerGrantsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'grants'>): void {
  registry
    .register('grants.list', async ({ actor }, p) => ({ grants: await s.grants.list(actor, p.collectionId) }), {
      verb: 'get',
      path: '/api/collections/:collectionId/grants',
    })
    .register('grants.set', ({ actor }, p) => s.grants.set(actor, p), { verb: 'post', path: '/api/collections/:collectionId/grants' })
    .register('grants.remove', ({ actor }, p) => s.grants.remove(actor, p), {
      verb: 'delete',
      path: '/api/collections/:collectionId/grants/:subjectType/:subjectId',
    });
}
