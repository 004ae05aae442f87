import { StockroomError, type Group } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { PG_UNIQUE_VIOLATION } from '../repositories/db.ts';
import { groupRows, type GroupRow } from '../repositories/groups.ts';
import { userRows } from '../repositories/people.ts';
import { toUserRef } from './mappers.ts';

/** Groups of users, so a collection can be granted to a team at once. Administrators manage them. */
export class GroupsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(actor: Actor): Promise<Group[]> {
    if (!this.access.managesAnyCollection(actor)) this.access.assert(actor, 'admin.read');
    const rows = await groupRows.all(this.db);
    return rows.map(toGroup);
  }

  async create(actor: Actor, params: { name: string; description?: string }): Promise<Group> {
    this.access.assert(actor, 'admin.manage');
    try {
      return await this.db.$transaction(async (tx) => {
        const row = await groupRows.create(tx, { name: params.name, description: params.description ?? '' });
        await this.changes.record(tx, actor, { action: 'group.create', targetType: 'group', targetId: row.id, data: { name: row.name } }, []);
        return toGroup(row);
      });
    } catch (error) {
      const e = error as { code?: string; meta?: { code?: string } };
      if (e?.code === 'P2002' || e?.code === PG_UNIQUE_VIOLATION || e?.meta?.code === PG_UNIQUE_VIOLATION) {
        throw new StockroomError('CONFLICT', `A group named “${params.name}” exists already. Choose another name.`, { name: params.name });
      }
      throw error;
    }
  }

  async delete(actor: Actor, id: string): Promise<{ id: string }> {
    this.access.assert(actor, 'admin.manage');
    return this.db.$transaction(async (tx) => {
      const row = await requireGroup(tx, id);
      await groupRows.delete(tx, id);
      await this.changes.record(tx, actor, { action: 'group.delete', targetType: 'group', targetId: id, data: { name: row.name } }, [
        { event: 'grants.changed', data: { groupId: id } },
      ]);
      return { id };
    });
  }

  async addMember(actor: Actor, groupId: string, userId: string): Promise<Group> {
    this.access.assert(actor, 'admin.manage');
    return this.db.$transaction(async (tx) => {
      await requireGroup(tx, groupId);
      if (!(await userRows.byId(tx, userId))) throw new StockroomError('NOT_FOUND', 'There is no such account.', { userId });
      await groupRows.addMember(tx, groupId, userId);
      await this.changes.record(tx, actor, { action: 'group.addMember', targetType: 'group', targetId: groupId, data: { userId } }, [
        { event: 'grants.changed', data: { groupId } },
      ]);
      return toGroup(await requireGroup(tx, groupId));
    });
  }

  async removeMember(actor: Actor, groupId: string, userId: string): Promise<Group> {
    this.access.assert(actor, 'admin.manage');
    return this.db.$transaction(async (tx) => {
      await requireGroup(tx, groupId);
      const removed = await groupRows.removeMember(tx, groupId, userId);
      if (removed > 0) {
        await this.changes.record(tx, actor, { action: 'group.removeMember', targetType: 'group', targetId: groupId, data: { userId } }, [
          { event: 'grants.changed', data: { groupId } },
        ]);
      }
      return toGroup(await requireGroup(tx, groupId));
    });
  }
}

async function requireGroup(tx: Tx, id: string): Promise<GroupRow> {
  const row = await groupRows.find(tx, id);
  if (!row) throw new StockroomError('NOT_FOUND', 'There is no such group. Pick one from groups.list.', { groupId: id });
  return row;
}

function toGroup(row: {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  members: { user: { id: string; name: string; email: string } }[];
}): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
    members: row.members.map((m) => toUserRef(m.user)),
  };
}
