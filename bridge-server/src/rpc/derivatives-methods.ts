import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** derivatives.*: made files of a version: each method bound to one service call (and its REST path). */
export function registerDerivativesMethods(registry: MethodRegistry, s: Pick<MethodServices, 'derivatives' | 'derivativeActions'>): void {
  registry
    .register('derivatives.list', async ({ actor }, p) => ({ derivatives: await s.derivatives.list(actor, p.assetId, p.number) }), {
      verb: 'get',
      path: '/api/assets/:assetId/derivatives',
    })
    .register('derivatives.regenerate', ({ actor }, p) => s.derivativeActions.regenerate(actor, p), { verb: 'post', path: '/api/library/regenerate' });
}
