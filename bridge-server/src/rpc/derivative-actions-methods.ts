import type { DerivativeActionsService } from '../services/derivative-actions.ts';
import type { MethodRegistry } from './registry.ts';

/** Bulk derivative actions of the library and their REST path. */
export function registerDerivativeActionMethods(registry: MethodRegistry, actions: DerivativeActionsService): void {
  registry.register('derivatives.regenerate', ({ actor }, p) => actions.regenerate(actor, p), { verb: 'post', path: '/api/library/regenerate' });
}
