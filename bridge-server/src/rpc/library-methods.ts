import type { CollectionChangesService } from '../services/collection-changes.ts';
import type { LibraryService } from '../services/library.ts';
import type { MethodRegistry } from './registry.ts';

/** Binds the library's bulk actions, trash and restore, duplicates, thumbnails, collection rename and delete, and their REST paths. */
export function registerLibraryMethods(registry: MethodRegistry, library: LibraryService, collections: CollectionChangesService): void {
  registry
    .register('library.bulk', ({ actor }, p) => library.bulk(actor, p), { verb: 'post', path: '/api/library/bulk' })
    .register('library.trash', ({ actor }, p) => library.trash(actor, p), { verb: 'get', path: '/api/library/trash' })
    .register('library.restore', ({ actor }, p) => library.restore(actor, p), { verb: 'post', path: '/api/library/restore' })
    .register('library.duplicates', ({ actor }, p) => library.duplicates(actor, p), { verb: 'post', path: '/api/library/duplicates' })
    .register('library.thumbnails', ({ actor }, p) => library.thumbnails(actor, p), { verb: 'post', path: '/api/library/thumbnails' })
    .register('collections.update', ({ actor }, p) => collections.update(actor, p), { verb: 'patch', path: '/api/collections/:id' })
    .register('collections.delete', ({ actor }, p) => collections.delete(actor, p), { verb: 'post', path: '/api/collections/:id/delete' });
}
