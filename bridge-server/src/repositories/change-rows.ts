import type { NewAuditRow } from './audit.ts';
import type { Tx } from './db.ts';
import type { NewOutboxEvent } from './outbox.ts';

/**
 * A change's audit rows and outbox events in one statement (the audit rows in a data-modifying
 * WITH, which runs whether or not the INSERT below reads it). Ids follow the order given, as
 * `outbox.insert` promises; the outbox trigger NOTIFYs each event on commit.
 */
export async function insertChangeRows(tx: Tx, audits: NewAuditRow[], events: NewOutboxEvent[]): Promise<void> {
  await tx.$executeRaw`
    WITH audit AS (
      INSERT INTO audit_events ("actorId", action, "targetType", "targetId", "clientApp", ip, data)
      SELECT (a ->> 'actorId')::uuid, a ->> 'action', a ->> 'targetType', a ->> 'targetId', a ->> 'clientApp', a ->> 'ip', a -> 'data'
        FROM jsonb_array_elements(${JSON.stringify(audits)}::jsonb) WITH ORDINALITY AS x(a, n) ORDER BY n
    )
    INSERT INTO outbox_events (event, data)
    SELECT e ->> 'event', e -> 'data' FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) WITH ORDINALITY AS y(e, n) ORDER BY n`;
}
