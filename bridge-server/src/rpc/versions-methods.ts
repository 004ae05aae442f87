import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** versions.*: history and restore: each method bound to one service call (and its REST path). */
export function registerVersionsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'versions'>): void {
  registry
    .register('versions.list', async ({ actor }, p) => ({ versions: await s.versions.list(actor, p.assetId) }), {
      verb: 'get',
      path: '/api/assets/:assetId/versions',
    })
    .register('versions.restore', ({ actor }, p) => s.versions.restore(actor, p), {
      verb: 'post',
      path: '/api/assets/:assetId/versions/:number/restore',
      status: 201,
    });
}
