import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** audit.*: the audit log: each method bound to one service call (and its REST path). */
export function registerAuditMethods(registry: MethodRegistry, s: Pick<MethodServices, 'audit'>): void {
  registry.register('audit.query', ({ actor }, p) => s.audit.query(actor, p), { verb: 'get', path: '/api/audit' });
}
