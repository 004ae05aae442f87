import { StockroomError, type CollectionRole, type Grant } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { grantRows, type GrantSubject } from '../repositories/groups.ts';

type SubjectType = 'user' | 'group';

/** Per-collection roles given to users and groups; managers of the collection and administrators change them. */
export class GrantsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(actor: Actor, collectionId: string): Promise<Grant[]> {
    await requireCollection(this.db, collectionId);
    this.access.assert(actor, 'collection.manage', { collectionId });
    const rows = await grantRows.ofCollection(this.db, collectionId);
    return rows.map(toGrant);
  }

  async set(actor: Actor, params: { collectionId: string; subjectType: SubjectType; subjectId: string; role: CollectionRole }): Promise<Grant> {
    const { collectionId, subjectType, subjectId, role } = params;
    return this.db.$transaction(async (tx) => {
      await requireCollection(tx, collectionId);
      this.access.assert(actor, 'collection.manage', { collectionId });
      await requireSubject(tx, subjectType, subjectId);
      if (subjectType === 'user' && subjectId === actor.user.id && actor.user.role !== 'admin' && role !== 'manager') {
        throw new StockroomError('CONFLICT', 'You cannot lower your own role in a collection you manage. Ask another manager or an administrator.');
      }
      const subject = subjectOf(subjectType, subjectId);
      const previousRole = await grantRows.roleOf(tx, collectionId, subject);
      const row = await grantRows.upsert(tx, collectionId, subject, role);
      await this.changes.record(
        tx,
        actor,
        { action: 'grant.set', targetType: 'collection', targetId: collectionId, data: { subjectType, subjectId, role, previousRole } },
        [{ event: 'grants.changed', data: { collectionId } }],
      );
      return toGrant(row);
    });
  }

  async remove(actor: Actor, params: { collectionId: string; subjectType: SubjectType; subjectId: string }): Promise<{ removed: boolean }> {
    const { collectionId, subjectType, subjectId } = params;
    return this.db.$transaction(async (tx) => {
      await requireCollection(tx, collectionId);
      this.access.assert(actor, 'collection.manage', { collectionId });
      const subject = subjectOf(subjectType, subjectId);
      const previousRole = await grantRows.roleOf(tx, collectionId, subject);
      if (!previousRole) return { removed: false };
      await grantRows.delete(tx, collectionId, subject);
      await this.changes.record(
        tx,
        actor,
        { action: 'grant.remove', targetType: 'collection', targetId: collectionId, data: { subjectType, subjectId, previousRole } },
        [{ event: 'grants.changed', data: { collectionId } }],
      );
      return { removed: true };
    });
  }
}

function toGrant(row: {
  collectionId: string;
  userId: string | null;
  groupId: string | null;
  role: CollectionRole;
  createdAt: Date;
  user: { name: string } | null;
  group: { name: string } | null;
}): Grant {
  return {
    collectionId: row.collectionId,
    subjectType: row.userId ? 'user' : 'group',
    subjectId: (row.userId ?? row.groupId)!,
    subjectName: row.user?.name ?? row.group?.name ?? '',
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}

function subjectOf(type: SubjectType, id: string): GrantSubject {
  return type === 'user' ? { userId: id } : { groupId: id };
}

async function requireCollection(db: Db | Tx, id: string): Promise<void> {
  if (!(await grantRows.collectionExists(db, id)))
    throw new StockroomError('NOT_FOUND', 'This collection does not exist. Pick one from collections.list.', { collectionId: id });
}

async function requireSubject(tx: Tx, type: SubjectType, id: string): Promise<void> {
  if (!(await grantRows.subjectExists(tx, type, id)))
    throw new StockroomError('NOT_FOUND', `There is no such ${type}. Pick one from ${type}s.list.`, { subjectType: type, subjectId: id });
}
