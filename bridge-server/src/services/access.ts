import { COLLECTION_ROLES, StockroomError, type CollectionRole } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { grantRows } from '../repositories/groups.ts';

export type Action =
  | 'asset.read'
  | 'asset.create'
  | 'asset.edit'
  | 'asset.checkout'
  | 'asset.delete'
  | 'asset.forceUnlock'
  /** Comment on a version, resolve and reopen comments. */
  | 'asset.comment'
  /** Set a version's review status (in review, changes requested, approved). */
  | 'asset.review'
  /** Create and revoke share links to an asset or a collection. */
  | 'asset.share'
  | 'collection.read'
  | 'collection.create'
  /** See and change a collection's grants. */
  | 'collection.manage'
  | 'placement.report'
  /** Manage one's own API tokens. */
  | 'token.manage'
  | 'admin.read'
  | 'admin.manage';

export interface Resource {
  /** The collection the action touches; null: an unfiled asset (or a top-level collection for collection.create). */
  collectionId?: string | null;
  /** Creator of the asset, for the rules of unfiled assets. */
  createdById?: string;
  /**
   * What a caller who may not even read the resource is told: the very NOT_FOUND a
   * missing one gets, so neither its existence nor its collection leaks.
   */
  hiddenAs?: StockroomError;
}

/** The weakest collection role that allows each collection-scoped action. */
const MIN_ROLE: Partial<Record<Action, CollectionRole>> = {
  'asset.read': 'viewer',
  'collection.read': 'viewer',
  'asset.create': 'contributor',
  'asset.edit': 'editor',
  'asset.checkout': 'editor',
  'asset.delete': 'editor',
  'asset.forceUnlock': 'manager',
  'asset.comment': 'viewer',
  'asset.review': 'editor',
  'asset.share': 'editor',
  'collection.manage': 'manager',
  'collection.create': 'manager',
};

/** Token scopes are levels: read < write < admin; `*` is admin. */
const SCOPE_LEVEL: Record<string, number> = { read: 1, write: 2, admin: 3, '*': 3 };
const ACTION_LEVEL: Record<Action, number> = {
  'asset.read': 1,
  'collection.read': 1,
  'asset.create': 2,
  'asset.edit': 2,
  'asset.checkout': 2,
  'asset.delete': 2,
  'asset.forceUnlock': 2,
  'asset.comment': 2,
  'asset.review': 2,
  'asset.share': 2,
  'collection.create': 2,
  'collection.manage': 2,
  'placement.report': 2,
  'token.manage': 2,
  'admin.read': 3,
  'admin.manage': 3,
};

const ADMIN_ONLY: ReadonlySet<Action> = new Set<Action>(['admin.read', 'admin.manage']);
const rank = (role: CollectionRole) => COLLECTION_ROLES.indexOf(role);

/** Which collections a member may read: every one (`'all'`), or these ids (unfiled assets are readable by every member). */
export type ReadableCollections = 'all' | string[];

/**
 * The one place that decides who may do what. Services call `assert` before any
 * state change and `can`/`readableCollectionIds` to filter what they list;
 * transports never decide.
 *
 * The decision is synchronous: the transports load the caller's collection grants
 * into the Actor when they authenticate it (`grantsOf`); a WebSocket connection
 * reloads them before every request and, for event delivery, when grants change
 * (internal `grants.changed` event).
 *
 * Rules (docs/protocol.md, "Permissions"): admins may do everything; members get
 * what their strongest grant in the collection allows (viewer < contributor <
 * editor < manager); unfiled assets are the team's shared inbox — every member may
 * read, add, edit and check them out, only their creator (or an admin) may delete
 * them and only an admin may force-unlock them; top-level collections are created
 * by admins, sub-collections by managers of the parent. A token's scopes narrow all this.
 */
export class AccessPolicy {
  constructor(
    private readonly db?: Db,
    private readonly grantsRepo: Pick<typeof grantRows, 'ofUser'> = grantRows,
  ) {}

  can(actor: Actor, action: Action, resource: Resource = {}): boolean {
    if (!scopeAllows(actor, action)) return false;
    if (actor.user.role === 'admin') return true;
    if (ADMIN_ONLY.has(action)) return false;
    if (action === 'placement.report' || action === 'token.manage') return true;
    const collectionId = resource.collectionId ?? null;
    if (collectionId === null) return this.canUnfiled(actor, action, resource);
    const needed = MIN_ROLE[action];
    const role = actor.grants?.get(collectionId);
    return needed !== undefined && role !== undefined && rank(role) >= rank(needed);
  }

  assert(actor: Actor, action: Action, resource: Resource = {}): void {
    if (!this.can(actor, action, resource)) {
      const collectionId = resource.collectionId;
      if (MIN_ROLE[action] && typeof collectionId === 'string' && !this.can(actor, 'asset.read', { collectionId })) {
        throw resource.hiddenAs ?? collectionNotFound(collectionId);
      }
      throw new StockroomError('FORBIDDEN', forbiddenMessage(actor, action), {
        action,
        ...(resource.collectionId ? { collectionId: resource.collectionId } : {}),
      });
    }
  }

  /**
   * Who receives a live event. One about a collection's content (`collectionId`, or the
   * `asset` it carries) goes to those who may read that collection (unfiled content: every
   * member); one about connected clients (`client.*`) to administrators; any other to every
   * signed-in caller.
   */
  canSeeEvent(actor: Actor, event: { event: string; data: unknown }): boolean {
    const data = event.data as { collectionId?: string | null; asset?: { collectionId?: string | null } } | null | undefined;
    const collectionId = data?.collectionId !== undefined ? data.collectionId : data?.asset?.collectionId;
    if (collectionId !== undefined && !this.can(actor, 'asset.read', { collectionId })) return false;
    if (event.event.startsWith('client.') && !this.can(actor, 'admin.read')) return false;
    // A person's stars are theirs alone.
    if (event.event === 'favourites.changed') return (event.data as { userId?: string }).userId === actor.user.id;
    return true;
  }

  /** The role the actor holds in a collection (admins: manager everywhere). */
  roleIn(actor: Actor, collectionId: string): CollectionRole | undefined {
    if (actor.user.role === 'admin') return 'manager';
    return actor.grants?.get(collectionId);
  }

  /** True when the actor manages at least one collection (may look up users and groups to grant them access). */
  managesAnyCollection(actor: Actor): boolean {
    if (actor.user.role === 'admin') return true;
    return [...(actor.grants?.values() ?? [])].some((role) => role === 'manager');
  }

  /** For search and lists: which collections' assets the actor may see, besides unfiled ones. */
  readableCollectionIds(actor: Actor): ReadableCollections {
    if (actor.user.role === 'admin') return 'all';
    return [...(actor.grants?.keys() ?? [])];
  }

  /** Loads the effective role per collection of a user: direct grants and those of their groups, the strongest wins. */
  async grantsOf(userId: string, via?: Db | Tx): Promise<Map<string, CollectionRole>> {
    const db = via ?? this.db;
    if (!db) throw new Error('AccessPolicy has no database to load grants from');
    const rows = await this.grantsRepo.ofUser(db, userId);
    const grants = new Map<string, CollectionRole>();
    for (const row of rows) {
      const current = grants.get(row.collectionId);
      if (!current || rank(row.role) > rank(current)) grants.set(row.collectionId, row.role);
    }
    return grants;
  }

  private canUnfiled(actor: Actor, action: Action, resource: Resource): boolean {
    switch (action) {
      case 'asset.read':
      case 'asset.create':
      case 'asset.edit':
      case 'asset.checkout':
      case 'asset.comment':
      case 'asset.review':
        return true;
      case 'asset.share':
        return resource.createdById !== undefined && resource.createdById === actor.user.id;
      case 'asset.delete':
        return resource.createdById !== undefined && resource.createdById === actor.user.id;
      default:
        // force-unlock of unfiled assets, top-level collections, grants of nothing: administrators.
        return false;
    }
  }
}

/** The answer for a collection that does not exist, and for one the caller may not see. */
export function collectionNotFound(collectionId: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'This collection does not exist. Pick one from collections.list.', { collectionId });
}

function scopeAllows(actor: Actor, action: Action): boolean {
  if (!actor.scopes) return true;
  const level = Math.max(0, ...actor.scopes.map((s) => SCOPE_LEVEL[s] ?? 0));
  return level >= ACTION_LEVEL[action];
}

function forbiddenMessage(actor: Actor, action: Action): string {
  if (!scopeAllows(actor, action)) {
    return 'This token’s scopes do not allow that. Use a token with more scopes, or create one in the dashboard.';
  }
  switch (action) {
    case 'asset.forceUnlock':
      return 'Only a manager of the collection or an administrator can remove somebody else’s lock. Ask the holder to check in or release it.';
    case 'admin.read':
    case 'admin.manage':
      return 'This needs an administrator account.';
    case 'collection.manage':
      return 'Only a manager of this collection or an administrator can see and change who has access to it.';
    case 'collection.create':
      return 'Top-level collections are created by administrators; sub-collections by managers of the parent collection. Ask one of them.';
    default:
      return `You do not have permission to ${action.replace('.', ' ')} here. Ask a manager of the collection for access.`;
  }
}
