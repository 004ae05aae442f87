import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';

/** Methods that can change the caller's own roles: they are reloaded before the answer goes out (read your writes). */
const CHANGES_OWN_ROLES = new Set(['collections.create', 'grants.set', 'grants.remove', 'groups.addMember', 'groups.removeMember', 'groups.delete']);

/**
 * Keeps a signed-in connection's collection roles current. They are read afresh before every
 * request (one indexed query), so a grant change made through any connection or process applies
 * to the very next call; after a grants.changed event they are reloaded, and the events and
 * requests that arrive meanwhile wait for it, so none is judged by the old roles.
 * Administrators have no collection roles to load.
 */
export class CurrentRoles {
  /** A reload in progress, and the work queued behind it. */
  private pending: Promise<void> | undefined;

  constructor(
    private readonly access: Pick<AccessPolicy, 'grantsOf'>,
    private readonly actorOf: () => Actor | undefined,
    /** Roles could not be loaded: the connection must end. */
    private readonly unavailable: (error: unknown) => void,
  ) {}

  /** Reloads the roles (after a grants.changed event), ahead of whatever comes next. */
  refresh(): Promise<void> {
    const actor = this.actorOf();
    if (!actor || actor.user.role === 'admin') return Promise.resolve();
    const load = this.load(actor);
    this.enqueue(() => load);
    return load;
  }

  async beforeRequest(): Promise<void> {
    if (this.pending) await this.pending;
    const actor = this.actorOf();
    if (actor && actor.user.role !== 'admin') await this.load(actor);
  }

  async afterRequest(method: string): Promise<void> {
    if (CHANGES_OWN_ROLES.has(method)) await this.refresh();
  }

  /** Runs now, or after a reload in progress (and what is queued behind it). */
  inOrder(task: () => void): void {
    if (this.pending) this.enqueue(task);
    else task();
  }

  private async load(actor: Actor): Promise<void> {
    const grants = await this.access.grantsOf(actor.user.id);
    if (this.actorOf() === actor) actor.grants = grants;
  }

  private enqueue(task: () => Promise<void> | void): void {
    const next = (this.pending ?? Promise.resolve()).then(task).catch(this.unavailable);
    this.pending = next;
    void next.then(() => {
      if (this.pending === next) this.pending = undefined;
    });
  }
}
