import type { AssetsService } from '../services/assets.ts';
import type { ClientsService } from '../services/clients.ts';
import type { CollectionsService } from '../services/collections.ts';
import type { LocksService } from '../services/locks.ts';
import type { PlacementsService } from '../services/placements.ts';
import type { VersionsService } from '../services/versions.ts';
import type { MethodRegistry } from './registry.ts';

export interface CoreServices {
  assets: AssetsService;
  locks: LocksService;
  versions: VersionsService;
  collections: CollectionsService;
  placements: PlacementsService;
  clients: ClientsService;
}

/** Binds the core methods of the contract to their services (and REST paths). */
export function registerCoreMethods(registry: MethodRegistry, s: CoreServices): void {
  registry
    .register('assets.create', ({ actor }, p) => s.assets.create(actor, p), { verb: 'post', path: '/api/assets', status: 201 })
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
    .register('versions.list', async ({ actor }, p) => ({ versions: await s.versions.list(actor, p.assetId) }), {
      verb: 'get',
      path: '/api/assets/:assetId/versions',
    })
    .register('versions.restore', ({ actor }, p) => s.versions.restore(actor, p), {
      verb: 'post',
      path: '/api/assets/:assetId/versions/:number/restore',
      status: 201,
    })
    .register('collections.list', async ({ actor }, p) => ({ collections: await s.collections.list(actor, p.parentId) }), {
      verb: 'get',
      path: '/api/collections',
    })
    .register('collections.create', ({ actor }, p) => s.collections.create(actor, p), { verb: 'post', path: '/api/collections', status: 201 })
    .register('placements.report', async ({ actor }, p) => ({ placements: await s.placements.report(actor, p) }), {
      verb: 'post',
      path: '/api/placements',
    })
    .register('placements.list', async ({ actor }, p) => ({ placements: await s.placements.list(actor, p) }), {
      verb: 'get',
      path: '/api/placements',
    })
    .register('admin.clients', async ({ actor }) => ({ clients: await s.clients.list(actor) }), { verb: 'get', path: '/api/admin/clients' });
}
