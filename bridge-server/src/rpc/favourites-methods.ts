import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** favourites.*: a person's own stars, each method bound to one service call (and its REST path). */
export function registerFavouriteMethods(registry: MethodRegistry, s: Pick<MethodServices, 'favourites'>): void {
  registry
    .register('favourites.list', ({ actor }) => s.favourites.list(actor), { verb: 'get', path: '/api/favourites' })
    .register('favourites.set', ({ actor }, p) => s.favourites.set(actor, p), { verb: 'post', path: '/api/favourites' })
    .register('favourites.import', ({ actor }, p) => s.favourites.import(actor, p), { verb: 'post', path: '/api/favourites/import' });
}
