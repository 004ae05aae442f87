import type { DerivativesService } from '../services/derivatives.ts';
import type { MethodRegistry } from './registry.ts';

/** Binds derivative and job methods to the derivatives service (and REST paths). */
export function registerMediaMethods(registry: MethodRegistry, derivatives: DerivativesService): void {
  registry
    .register('derivatives.list', async ({ actor }, p) => ({ derivatives: await derivatives.list(actor, p.assetId, p.number) }), {
      verb: 'get',
      path: '/api/assets/:assetId/derivatives',
    })
    .register('jobs.list', ({ actor }, p) => derivatives.jobs(actor, p), { verb: 'get', path: '/api/jobs' })
    .register('jobs.retry', async ({ actor }, p) => ({ job: await derivatives.retry(actor, p.id) }), { verb: 'post', path: '/api/jobs/:id/retry' });
}
