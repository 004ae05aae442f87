import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** brandKits.*: brand kits: each method bound to one service call (and its REST path). */
export function registerBrandKitsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'brandKits'>): void {
  registry
    .register('brandKits.list', async ({ actor }) => ({ kits: await s.brandKits.list(actor) }), { verb: 'get', path: '/api/brand-kits' })
    .register('brandKits.get', ({ actor }, p) => s.brandKits.get(actor, p), { verb: 'get', path: '/api/brand-kits/:collectionId' })
    .register('brandKits.save', ({ actor }, p) => s.brandKits.save(actor, p), { verb: 'post', path: '/api/brand-kits/:collectionId' })
    .register('brandKits.remove', ({ actor }, p) => s.brandKits.remove(actor, p.collectionId), { verb: 'delete', path: '/api/brand-kits/:collectionId' });
}
