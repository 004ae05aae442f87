import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** library.*: bulk actions, trash, duplicates, thumbnails: each method bound to one service call (and its REST path). */
export function registerLibraryMethods(registry: MethodRegistry, s: Pick<MethodServices, 'library'>): void {
  registry
    .register('library.bulk', ({ actor }, p) => s.library.bulk(actor, p), { verb: 'post', path: '/api/library/bulk' })
    .register('library.trash', ({ actor }, p) => s.library.trash(actor, p), { verb: 'get', path: '/api/library/trash' })
    .register('library.restore', ({ actor }, p) => s.library.restore(actor, p), { verb: 'post', path: '/api/library/restore' })
    .register('library.duplicates', ({ actor }, p) => s.library.duplicates(actor, p), { verb: 'post', path: '/api/library/duplicates' })
    .register('library.thumbnails', ({ actor }, p) => s.library.thumbnails(actor, p), { verb: 'post', path: '/api/library/thumbnails' });
}
