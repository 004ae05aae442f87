import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** placements.*: where used: each method bound to one service call (and its REST path). */
export function registerPlacementsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'placements'>): void {
  registry
    .register('placements.report', async ({ actor }, p) => ({ placements: await s.placements.report(actor, p) }), {
      verb: 'post',
      path: '/api/placements',
    })
    .register('placements.list', async ({ actor }, p) => ({ placements: await s.placements.list(actor, p) }), {
      verb: 'get',
      path: '/api/placements',
    });
}
