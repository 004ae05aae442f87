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
};

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
