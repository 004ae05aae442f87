import type { EventName } from '@stockroom/shared-types';
import type { PoolClient } from 'pg';
import type { Sql, Tx } from './db.ts';

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

/** Anything that runs a parameterised statement: a pool, a pooled client, a dedicated connection. */
export type Querier = Pick<PoolClient, 'query'>;

export interface OutboxRow {
  id: string;
  event: EventName;
  data: unknown;
}

export interface NewOutboxEvent {
  event: string;
  data: unknown;
}

/** The running transactions' horizon: ids below xmin can no longer appear; xmax is the next transaction. */
export interface SnapshotBounds {
  xmin: string;
  xmax: string;
}

/** Rows in, rows out: the outbox table, its notifications and the search indexers' cursors. */
export const outbox = {
  // Plain SQL rather than Prisma's create: this runs for every change (three times per
  // thumbnailed image), and each create goes through Prisma's query compiler, which cost
  // more CPU than the insert itself.
  async insert(tx: Tx, events: NewOutboxEvent[]): Promise<void> {
    if (events.length === 1) {
      const [outgoing] = events as [NewOutboxEvent];
      await tx.$executeRaw`INSERT INTO outbox_events (event, data) VALUES (${outgoing.event}, ${JSON.stringify(outgoing.data)}::jsonb)`;
    } else if (events.length > 1) {
      // A batch (a worker recording many versions' metadata) in one statement, ids in the given order.
      await tx.$executeRaw`
        INSERT INTO outbox_events (event, data)
        SELECT e ->> 'event', e -> 'data' FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n`;
    }
  },

  async listen(client: Querier): Promise<void> {
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  },

  async lastId(client: Querier): Promise<bigint> {
    const { rows } = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM outbox_events');
    return BigInt(rows[0]?.max ?? '0');
  },

  async byId(client: Querier, id: bigint): Promise<{ event: EventName; data: unknown } | null> {
    const result = await client.query<{ event: EventName; data: unknown }>('SELECT event, data FROM outbox_events WHERE id = $1', [id.toString()]);
    return result.rows[0] ?? null;
  },

  async snapshot(client: Querier): Promise<SnapshotBounds> {
    const {
      rows: [snapshot],
    } = await client.query<SnapshotBounds>(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax',
    );
    return snapshot!;
  },

  /** Committed events after `from`, oldest first (by the bigint column, not the text alias); ids as text. */
  async after(client: Querier, from: bigint, limit?: number): Promise<OutboxRow[]> {
    const { rows } =
      limit === undefined
        ? await client.query<OutboxRow>('SELECT o.id::text AS id, o.event, o.data FROM outbox_events o WHERE o.id > $1 ORDER BY o.id', [from.toString()])
        : await client.query<OutboxRow>('SELECT o.id::text AS id, o.event, o.data FROM outbox_events o WHERE o.id > $1 ORDER BY o.id LIMIT $2', [
            from.toString(),
            limit,
          ]);
    return rows;
  },

  async lastIdOf(tx: Tx): Promise<bigint> {
    const [mark] = await tx.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM outbox_events`;
    return mark?.id ?? 0n;
  },

  async pageOf(tx: Tx, after: bigint, limit: number): Promise<Array<{ id: bigint; event: string; data: unknown }>> {
    return tx.$queryRaw<{ id: bigint; event: string; data: unknown }[]>`
      SELECT id, event, data FROM outbox_events WHERE id > ${after} ORDER BY id LIMIT ${limit}`;
  },

  /** Deletes up to `limit` events at or below the lowest search cursor and older than `keepAfter`; returns how many. */
  async pruneBatch(tx: Tx, keepAfter: Date, limit: number): Promise<number> {
    return tx.$executeRaw`
      DELETE FROM outbox_events WHERE id IN (
        SELECT id FROM outbox_events
         WHERE id <= (SELECT min("outboxId") FROM search_index_cursors)
           AND "createdAt" < ${keepAfter}
         ORDER BY id
         LIMIT ${limit})`;
  },

  /** Creates the cursor row of a backend if needed, locks it for the transaction and reads it with the snapshot bounds. */
  async lockCursor(client: Querier, backend: string): Promise<SnapshotBounds & { cursor: string }> {
    const {
      rows: [state],
    } = await client.query<{ cursor: string; xmin: string; xmax: string }>(
      `INSERT INTO search_index_cursors AS c (backend, "outboxId", "updatedAt") VALUES ($1, 0, now())
       ON CONFLICT (backend) DO UPDATE SET backend = c.backend
       RETURNING c."outboxId" AS cursor,
                 pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
                 pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
      [backend],
    );
    return state!;
  },

  async moveCursor(client: Querier, backend: string, to: bigint): Promise<void> {
    await client.query('UPDATE search_index_cursors SET "outboxId" = $1, "updatedAt" = now() WHERE backend = $2', [to.toString(), backend]);
  },

  /** Events after a backend's cursor, leaving out ids already applied and events of the given names. */
  async pendingFor(sql: Sql, backend: string, appliedIds: string[], ignoredEvents: string[]): Promise<{ pending: number; oldest: Date | null }> {
    const {
      rows: [row],
    } = await sql.query<{ pending: string; oldest: Date | null }>(
      `SELECT count(*) AS pending, min(o."createdAt") AS oldest
         FROM outbox_events o
        WHERE o.id > coalesce((SELECT "outboxId" FROM search_index_cursors WHERE backend = $1), 0)
          AND NOT (o.id = ANY($2::bigint[]))
          AND o.event <> ALL($3::text[])`,
      [backend, appliedIds, ignoredEvents],
    );
    return { pending: Number(row?.pending ?? 0), oldest: row?.oldest ?? null };
  },
};

/** Begins a transaction on a pooled connection, runs `work`, commits; rolls back (or drops a broken connection) on failure. */
export async function inSqlTransaction<T>(sql: Sql, work: (client: Querier) => Promise<T>): Promise<T> {
  const client = await sql.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is thrown away rather than returned to the pool.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
