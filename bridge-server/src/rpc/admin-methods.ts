import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** admin.*: overview figures, locks, settings and connected clients: each method bound to one service call (and its REST path). */
export function registerAdminMethods(registry: MethodRegistry, s: Pick<MethodServices, 'adminStats' | 'clients'>): void {
  registry
    .register('admin.clients', async ({ actor }) => ({ clients: await s.clients.list(actor) }), { verb: 'get', path: '/api/admin/clients' })
    .register('admin.stats', ({ actor }, p) => s.adminStats.stats(actor, p), { verb: 'get', path: '/api/admin/stats' })
    .register('admin.locks', ({ actor }, p) => s.adminStats.locks(actor, p), { verb: 'get', path: '/api/admin/locks' })
    .register('admin.settings', async ({ actor }) => s.adminStats.settings(actor), { verb: 'get', path: '/api/admin/settings' });
}
