import type { CollectionRole, Prisma } from '@stockroom/prisma';
import type { Tx } from './db.ts';

const groupInclude = { members: { include: { user: true }, orderBy: { createdAt: 'asc' } } } as const;
export type GroupRow = Prisma.GroupGetPayload<{ include: typeof groupInclude }>;

const grantInclude = { user: { select: { name: true } }, group: { select: { name: true } } } as const;
export type GrantRow = Prisma.CollectionGrantGetPayload<{ include: typeof grantInclude }>;

export type GrantSubject = { userId: string } | { groupId: string };

/** Rows in, rows out: groups and their members. */
export const groupRows = {
  async all(tx: Tx): Promise<GroupRow[]> {
    return tx.group.findMany({ include: groupInclude, orderBy: { name: 'asc' }, take: 1000 });
  },

  async create(tx: Tx, row: { name: string; description: string }): Promise<GroupRow> {
    return tx.group.create({ data: row, include: groupInclude });
  },

  async find(tx: Tx, id: string): Promise<GroupRow | null> {
    return tx.group.findUnique({ where: { id }, include: groupInclude });
  },

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.group.delete({ where: { id } });
  },

  async addMember(tx: Tx, groupId: string, userId: string): Promise<void> {
    await tx.groupMember.upsert({ where: { groupId_userId: { groupId, userId } }, create: { groupId, userId }, update: {} });
  },

  /** Returns how many memberships went (0 or 1). */
  async removeMember(tx: Tx, groupId: string, userId: string): Promise<number> {
    return (await tx.groupMember.deleteMany({ where: { groupId, userId } })).count;
  },
};

/** Rows in, rows out: collection grants to users and groups. */
export const grantRows = {
  async ofCollection(tx: Tx, collectionId: string): Promise<GrantRow[]> {
    return tx.collectionGrant.findMany({ where: { collectionId }, include: grantInclude, orderBy: { createdAt: 'asc' } });
  },

  /** Every grant that applies to a user: direct ones and those of the user's groups. */
  async ofUser(tx: Tx, userId: string): Promise<Array<{ collectionId: string; role: CollectionRole }>> {
    // Plain SQL: every authenticated request reads this (see `Sql` in db.ts for why).
    return tx.$queryRaw<Array<{ collectionId: string; role: CollectionRole }>>`
      SELECT g."collectionId"::text AS "collectionId", g.role::text AS role
        FROM collection_grants g
       WHERE g."userId" = ${userId}::uuid
          OR g."groupId" IN (SELECT m."groupId" FROM group_members m WHERE m."userId" = ${userId}::uuid)`;
  },

  async roleOf(tx: Tx, collectionId: string, subject: GrantSubject): Promise<CollectionRole | null> {
    return (await tx.collectionGrant.findFirst({ where: { collectionId, ...subject }, select: { role: true } }))?.role ?? null;
  },

  async upsert(tx: Tx, collectionId: string, subject: GrantSubject, role: CollectionRole): Promise<GrantRow> {
    const where =
      'userId' in subject
        ? { collectionId_userId: { collectionId, userId: subject.userId } }
        : { collectionId_groupId: { collectionId, groupId: subject.groupId } };
    return tx.collectionGrant.upsert({ where, create: { collectionId, role, ...subject }, update: { role }, include: grantInclude });
  },

  async delete(tx: Tx, collectionId: string, subject: GrantSubject): Promise<void> {
    await tx.collectionGrant.deleteMany({ where: { collectionId, ...subject } });
  },

  async create(tx: Tx, collectionId: string, subject: GrantSubject, role: CollectionRole): Promise<void> {
    await tx.collectionGrant.create({ data: { collectionId, role, ...subject } });
  },

  async collectionExists(tx: Tx, id: string): Promise<boolean> {
    return (await tx.collection.findUnique({ where: { id }, select: { id: true } })) !== null;
  },

  async subjectExists(tx: Tx, type: 'user' | 'group', id: string): Promise<boolean> {
    const found =
      type === 'user' ? await tx.user.findUnique({ where: { id }, select: { id: true } }) : await tx.group.findUnique({ where: { id }, select: { id: true } });
    return found !== null;
  },
};
