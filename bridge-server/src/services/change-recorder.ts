import type { EventData, EventName } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { Tx } from './db.ts';

/**
 * The channel a trigger on `outbox_events` NOTIFYs with each new row as "<id>:<event>"
 * (see the outbox_notify_trigger and outbox_notify_event_name migrations).
 */
export const EVENTS_CHANNEL = 'stockroom_events';

/** Reads a notification of EVENTS_CHANNEL; a bare id (the payload before the event name was added) has no event. */
export function parseEventNotification(payload: string): { id: string; event: string | null } | null {
  const match = /^(\d+)(?::(.+))?$/.exec(payload);
  return match ? { id: match[1]!, event: match[2] ?? null } : null;
}

export type OutgoingEvent = { [E in EventName]: { event: E; data: EventData<E> } }[EventName];

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  data?: Record<string, unknown>;
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

  // Plain SQL rather than Prisma's create: these run for every change (three times per
  // thumbnailed image), and each create goes through Prisma's query compiler, which cost
  // more CPU than the insert itself.
  async record(tx: Tx, actor: Actor | null, audit: AuditEntry | null, events: OutgoingEvent[]): Promise<void> {
    if (audit) {
      await tx.$executeRaw`
        INSERT INTO audit_events ("actorId", action, "targetType", "targetId", "clientApp", ip, data)
        VALUES (${actor?.user.id ?? null}::uuid, ${audit.action}, ${audit.targetType}, ${audit.targetId},
                ${actor?.clientApp ?? null}, ${actor?.ip ?? null}, ${JSON.stringify(audit.data ?? {})}::jsonb)`;
    }
    if (events.length === 1) {
      const [outgoing] = events as [OutgoingEvent];
      await tx.$executeRaw`INSERT INTO outbox_events (event, data) VALUES (${outgoing.event}, ${JSON.stringify(outgoing.data)}::jsonb)`;
    } else if (events.length > 1) {
      // A batch (a worker recording many versions' metadata) in one statement, ids in the given order.
      await tx.$executeRaw`
        INSERT INTO outbox_events (event, data)
        SELECT e ->> 'event', e -> 'data' FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n`;
    }
    for (const outgoing of events) {
      for (const listener of this.listeners) await listener(tx, outgoing);
    }
  }
}
