import type { AdminStatsService } from '../services/admin-stats.ts';
import type { MethodRegistry } from './registry.ts';

/** Binds the dashboard's admin methods (overview figures, locks, settings) and their REST paths. */
export function registerAdminMethods(registry: MethodRegistry, s: { adminStats: AdminStatsService }): void {
  registry
    .register('admin.stats', ({ actor }, p) => s.adminStats.stats(actor, p), { verb: 'get', path: '/api/admin/stats' })
    .register('admin.locks', ({ actor }, p) => s.adminStats.locks(actor, p), { verb: 'get', path: '/api/admin/locks' })
    .register('admin.settings', async ({ actor }) => s.adminStats.settings(actor), { verb: 'get', path: '/api/admin/settings' });
}
