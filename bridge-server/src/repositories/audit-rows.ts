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
