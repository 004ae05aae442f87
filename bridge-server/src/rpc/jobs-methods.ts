import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** jobs.*: the derivative jobs, and running one again: each method bound to one service call (and its REST path). */
export function registerJobsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'jobs'>): void {
  registry
    .register('jobs.list', ({ actor }, p) => s.jobs.list(actor, p), { verb: 'get', path: '/api/jobs' })
    .register('jobs.retry', async ({ actor }, p) => ({ job: await s.jobs.retry(actor, p.id) }), { verb: 'post', path: '/api/jobs/:id/retry' });
}
