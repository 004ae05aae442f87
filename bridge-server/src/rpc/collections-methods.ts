import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** collections.*: list, create, rename, move, delete: each method bound to one service call (and its REST path). */
export function registerCollectionsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'collectionChanges' | 'collections'>): void {
  registry
    .register('collections.list', async ({ actor }, p) => ({ collections: await s.collections.list(actor, p.parentId) }), {
      verb: 'get',
      path: '/api/collections',
    })
    .register('collections.create', ({ actor }, p) => s.collections.create(actor, p), { verb: 'post', path: '/api/collections', status: 201 })
    .register('collections.update', ({ actor }, p) => s.collectionChanges.update(actor, p), { verb: 'patch', path: '/api/collections/:id' })
    .register('collections.move', ({ actor }, p) => s.collectionChanges.move(actor, p), { verb: 'post', path: '/api/collections/:id/move' })
    .register('collections.delete', ({ actor }, p) => s.collectionChanges.delete(actor, p), { verb: 'post', path: '/api/collections/:id/delete' });
}
