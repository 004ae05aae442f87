import type { BrandKitsService } from '../services/brand-kits.ts';
import type { MethodRegistry } from './registry.ts';

/** Brand kits: methods and their REST paths. */
export function registerBrandMethods(registry: MethodRegistry, kits: BrandKitsService): void {
  registry
    .register('brandKits.list', async ({ actor }) => ({ kits: await kits.list(actor) }), { verb: 'get', path: '/api/brand-kits' })
    .register('brandKits.get', ({ actor }, p) => kits.get(actor, p), { verb: 'get', path: '/api/brand-kits/:collectionId' })
    .register('brandKits.save', ({ actor }, p) => kits.save(actor, p), { verb: 'post', path: '/api/brand-kits/:collectionId' })
    .register('brandKits.remove', ({ actor }, p) => kits.remove(actor, p.collectionId), { verb: 'delete', path: '/api/brand-kits/:collectionId' });
}
