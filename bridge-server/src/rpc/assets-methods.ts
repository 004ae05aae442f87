import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** assets.*: create, read, edit, delete, search, check-out and check-in: each method bound to one service call (and its REST path). */
export function registerAssetsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'assets' | 'locks' | 'search' | 'versions'>): void {
  registry
    .register('assets.create', ({ actor }, p) => s.assets.create(actor, p), { verb: 'post', path: '/api/assets', status: 201 })
    // Before assets.get, whose path would take "forced-unlocks" for an id.
    .register('assets.forcedUnlocks', ({ actor }, p) => s.locks.forcedUnlocksOf(actor, new Date(p.since)).then((unlocks) => ({ unlocks })), {
      verb: 'get',
      path: '/api/assets/forced-unlocks',
    })
    .register('assets.get', ({ actor }, p) => s.assets.get(actor, p.id), { verb: 'get', path: '/api/assets/:id' })
    .register('assets.update', ({ actor }, p) => s.assets.update(actor, p), { verb: 'patch', path: '/api/assets/:id' })
    .register('assets.delete', ({ actor }, p) => s.assets.delete(actor, p.id), { verb: 'delete', path: '/api/assets/:id' })
    .register('assets.checkout', ({ actor }, p) => s.locks.checkout(actor, p.id), { verb: 'post', path: '/api/assets/:id/checkout' })
    .register('assets.checkin', ({ actor }, p) => s.versions.checkin(actor, p), { verb: 'post', path: '/api/assets/:id/checkin', status: 201 })
    .register('assets.releaseCheckout', ({ actor }, p) => s.locks.release(actor, p.id), { verb: 'post', path: '/api/assets/:id/release' })
    .register('assets.forceUnlock', ({ actor }, p) => s.locks.forceUnlock(actor, p.id, p.reason), {
      verb: 'post',
      path: '/api/assets/:id/force-unlock',
    })
    .register('assets.search', ({ actor }, p) => s.search.search(actor, p), { verb: 'post', path: '/api/assets/search' });
}
