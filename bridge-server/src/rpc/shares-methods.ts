import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** shares.*: share links: each method bound to one service call (and its REST path). */
export function registerSharesMethods(registry: MethodRegistry, s: Pick<MethodServices, 'shares'>): void {
  registry
    .register('shares.list', async ({ actor }, p) => ({ links: await s.shares.list(actor, p) }), { verb: 'get', path: '/api/shares' })
    .register('shares.create', ({ actor }, p) => s.shares.create(actor, p), { verb: 'post', path: '/api/shares', status: 201 })
    .register('shares.revoke', ({ actor }, p) => s.shares.revoke(actor, p.id), { verb: 'post', path: '/api/shares/:id/revoke' })
    .register('shares.usage', ({ actor }, p) => s.shares.usage(actor, p), { verb: 'get', path: '/api/shares/:id/usage' });
}
