import { StockroomError } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';

export type Action =
  | 'asset.read'
  | 'asset.create'
  | 'asset.edit'
  | 'asset.checkout'
  | 'asset.delete'
  | 'asset.forceUnlock'
  | 'collection.read'
  | 'collection.create'
  | 'placement.report'
  | 'admin.read';

export interface Resource {
  collectionId?: string | null;
}

const ADMIN_ONLY: ReadonlySet<Action> = new Set<Action>(['asset.forceUnlock', 'admin.read']);

/**
 * The one place that decides who may do what. Services call `assert` before any
 * state change; transports never decide.
 */
export class AccessPolicy {
  can(actor: Actor, action: Action, _resource: Resource = {}): boolean {
    if (actor.user.role === 'admin') return true;
    return !ADMIN_ONLY.has(action);
  }

  assert(actor: Actor, action: Action, resource: Resource = {}): void {
    if (!this.can(actor, action, resource)) {
      throw new StockroomError('FORBIDDEN', forbiddenMessage(action), { action });
    }
  }
}

function forbiddenMessage(action: Action): string {
  switch (action) {
    case 'asset.forceUnlock':
      return 'Only an administrator can remove somebody else’s lock. Ask the holder to check in or release it, or ask an administrator.';
    case 'admin.read':
      return 'This needs an administrator account.';
    default:
      return `You do not have permission to ${action.replace('.', ' ')} here. Ask a manager of the collection for access.`;
  }
}
