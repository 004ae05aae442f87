import type { EventData, EventName } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import { insertAuditRow, type NewAuditRow } from '../repositories/audit.ts';
import { insertChangeRows } from '../repositories/change-rows.ts';
import type { Tx } from '../repositories/db.ts';
import { outbox } from '../repositories/outbox.ts';

export type OutgoingEvent = { [E in EventName]: { event: E; data: EventData<E> } }[EventName];

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  data?: Record<string, unknown>;
}

/** Where a change's audit row and events are written (the outbox and audit repositories; in-memory in unit specs). */
export interface ChangeRows {
  insertAudit: typeof insertAuditRow;
  insertEvents: typeof outbox.insert;
  /** Audit rows and events in one statement, when the store can (one round trip instead of two or more). */
  insertChange?: typeof insertChangeRows;
}

/** Work that must happen in the same transaction as an event (enqueue a job, index a change...). */
export type TransactionalListener = (tx: Tx, event: OutgoingEvent) => Promise<void>;

/**
 * Writes a state change's audit row and its outgoing events (the outbox) in the
 * caller's transaction. A trigger on the outbox NOTIFYs every server process of
 * each new row; Postgres delivers the notification only if the transaction commits.
 */
export class ChangeRecorder {
  private readonly listeners: TransactionalListener[] = [];

  /** Runs `listener` inside the transaction of every recorded event. */
  onEvent(listener: TransactionalListener): void {
    this.listeners.push(listener);
  }

  /** Runs `listener` inside the transaction of each recorded event of the kinds it declares. */
  on(events: readonly EventName[], listener: TransactionalListener): void {
    const handled = new Set<string>(events);
    this.listeners.push((tx, outgoing) => (handled.has(outgoing.event) ? listener(tx, outgoing) : Promise.resolve()));
  }

  constructor(private readonly rows: ChangeRows = { insertAudit: insertAuditRow, insertEvents: outbox.insert, insertChange: insertChangeRows }) {}

  /** Writes the audit rows (one entry or several, in order), then the events in order, then runs the listeners of each event. */
  async record(tx: Tx, actor: Actor | null, audit: AuditEntry | AuditEntry[] | null, events: OutgoingEvent[]): Promise<void> {
    const audits = (audit === null ? [] : Array.isArray(audit) ? audit : [audit]).map((entry) => auditRow(actor, entry));
    if (this.rows.insertChange) {
      if (audits.length > 0 || events.length > 0) await this.rows.insertChange(tx, audits, events);
    } else {
      for (const row of audits) await this.rows.insertAudit(tx, row);
      if (events.length > 0) await this.rows.insertEvents(tx, events);
    }
    for (const outgoing of events) {
      for (const listener of this.listeners) await listener(tx, outgoing);
    }
  }
}

function auditRow(actor: Actor | null, audit: AuditEntry): NewAuditRow {
  return {
    actorId: actor?.user.id ?? null,
    action: audit.action,
    targetType: audit.targetType,
    targetId: audit.targetId,
    clientApp: actor?.clientApp ?? null,
    ip: actor?.ip ?? null,
    data: audit.data ?? {},
  };
}
