import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** metadata.*: collection schemas, assets' field values, tag suggestions: each method bound to one service call (and its REST path). */
export function registerMetadataMethods(registry: MethodRegistry, s: Pick<MethodServices, 'metadata'>): void {
  registry
    .register('metadata.getSchema', ({ actor }, p) => s.metadata.getSchema(actor, p.collectionId), {
      verb: 'get',
      path: '/api/collections/:collectionId/metadata-schema',
    })
    .register('metadata.saveSchema', ({ actor }, p) => s.metadata.saveSchema(actor, p), {
      verb: 'post',
      path: '/api/collections/:collectionId/metadata-schema',
    })
    .register('metadata.getFields', ({ actor }, p) => s.metadata.getFields(actor, p.assetId), { verb: 'get', path: '/api/assets/:assetId/fields' })
    .register('metadata.saveFields', ({ actor }, p) => s.metadata.saveFields(actor, p), { verb: 'post', path: '/api/assets/:assetId/fields' })
    .register('metadata.suggestTags', ({ actor }, p) => s.metadata.suggestTags(actor, p.prefix), { verb: 'get', path: '/api/tags' });
}
