import type { Prisma } from '@stockroom/prisma';
import type { Tx } from './db.ts';

export interface NewAuditRow {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  clientApp: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

/** Plain SQL rather than Prisma's create: an audit row goes with most changes (see outbox.insert). */
export async function insertAuditRow(tx: Tx, row: NewAuditRow): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO audit_events ("actorId", action, "targetType", "targetId", "clientApp", ip, data)
    VALUES (${row.actorId}::uuid, ${row.action}, ${row.targetType}, ${row.targetId},
            ${row.clientApp}, ${row.ip}, ${JSON.stringify(row.data)}::jsonb)`;
}

export type AuditRecord = Prisma.AuditEventGetPayload<object>;

export interface AuditQuery {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  clientApp?: string;
  from?: string;
  to?: string;
  /** Rows below this id. */
  cursor?: string;
}

/** Rows in, rows out: the audit log. */
export const auditRows = {
  async create(tx: Tx, row: NewAuditRow): Promise<void> {
    await tx.auditEvent.create({ data: { ...row, data: row.data as object } });
  },

  /** Newest first. An action ending in "." matches every action it starts. */
  async page(tx: Tx, query: AuditQuery, take: number): Promise<AuditRecord[]> {
    return tx.auditEvent.findMany({ where: whereOf(query), orderBy: { id: 'desc' }, take });
  },

  /** Force-unlocks of a holder's locks by somebody else after `since`, newest first, on assets not deleted. */
  async forcedUnlocksOf(tx: Tx, holderId: string, since: Date, take: number): Promise<ForcedUnlockRow[]> {
    return tx.$queryRaw<ForcedUnlockRow[]>`
      SELECT a."targetId" AS "assetId", s.name AS "assetName", s."collectionId", a."createdAt" AS at,
             a.data->>'reason' AS reason, u.id AS "byId", u.name AS "byName", u.email AS "byEmail"
      FROM audit_events a
      JOIN assets s ON s.id::text = a."targetId" AND s."deletedAt" IS NULL
      JOIN users u ON u.id = a."actorId"
      WHERE a."createdAt" > ${since} AND a.action = 'asset.forceUnlock'
        AND a.data->>'previousHolder' = ${holderId} AND a."actorId" <> ${holderId}::uuid
      ORDER BY a.id DESC
      LIMIT ${take}`;
  },
};

export interface ForcedUnlockRow {
  assetId: string;
  assetName: string;
  collectionId: string | null;
  at: Date;
  reason: string | null;
  byId: string;
  byName: string;
  byEmail: string;
}

function whereOf(f: AuditQuery): Prisma.AuditEventWhereInput {
  return {
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.action ? (f.action.endsWith('.') ? { action: { startsWith: f.action } } : { action: f.action }) : {}),
    ...(f.targetType ? { targetType: f.targetType } : {}),
    ...(f.targetId ? { targetId: f.targetId } : {}),
    ...(f.clientApp ? { clientApp: f.clientApp } : {}),
    ...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: new Date(f.from) } : {}), ...(f.to ? { lt: new Date(f.to) } : {}) } } : {}),
    ...(f.cursor ? { id: { lt: BigInt(f.cursor) } } : {}),
  };
}
