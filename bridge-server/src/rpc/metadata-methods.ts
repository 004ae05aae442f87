import type { MetadataFieldsService } from '../services/metadata-fields.ts';
import type { MethodRegistry } from './registry.ts';

/** Structured metadata: collection schemas, assets' field values, tag suggestions, and their REST paths. */
export function registerMetadataMethods(registry: MethodRegistry, metadata: MetadataFieldsService): void {
  registry
    .register('metadata.getSchema', ({ actor }, p) => metadata.getSchema(actor, p.collectionId), { verb: 'get', path: '/api/collections/:collectionId/metadata-schema' })
    .register('metadata.saveSchema', ({ actor }, p) => metadata.saveSchema(actor, p), { verb: 'post', path: '/api/collections/:collectionId/metadata-schema' })
    .register('metadata.getFields', ({ actor }, p) => metadata.getFields(actor, p.assetId), { verb: 'get', path: '/api/assets/:assetId/fields' })
    .register('metadata.saveFields', ({ actor }, p) => metadata.saveFields(actor, p), { verb: 'post', path: '/api/assets/:assetId/fields' })
    .register('metadata.suggestTags', ({ actor }, p) => metadata.suggestTags(actor, p.prefix), { verb: 'get', path: '/api/tags' });
}
