import pg from 'pg';
import type { EventName } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import { EVENTS_CHANNEL, outbox, parseEventNotification } from '../repositories/outbox.ts';

export interface DeliveredEvent {
  id: bigint;
  event: EventName;
  data: unknown;
}

type Listener = (event: DeliveredEvent) => void;

/** How the LISTEN connection shows in pg_stat_activity. */
export const EVENT_BUS_APPLICATION_NAME = 'stockroom-events';

/**
 * Delivers every committed outbox event to this process: LISTEN on the channel
 * that ChangeRecorder NOTIFYs, then read the row by id. Postgres sends
 * notifications only after commit and in commit order, so every process sees
 * every event, in order, without sharing memory.
 *
 * Notifications sent while the connection is down are lost, so after every
 * reconnect (LISTEN first, then read) the committed events after the last
 * position this process is sure of are replayed. Ids are taken before commit,
 * so an id below one already delivered may still commit later, or never (a
 * rollback): like the search indexer, a missing id counts as a gap until every
 * transaction that could hold it has ended, and the position moves past it only then.
 */
export class PgEventBus {
  private client: pg.Client | undefined;
  private readonly listeners = new Set<Listener>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Every id at or below this was delivered or is a gap that can no longer fill. */
  private cursor: bigint | undefined;
  /** Ids above the cursor already delivered (a replay skips them). */
  private readonly seen = new Set<bigint>();
  /** Ids above the cursor not seen yet, with the snapshot xmax when first missed. */
  private readonly gaps = new Map<bigint, bigint>();

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
    private readonly options: { reconnectDelayMs?: number; sweepIntervalMs?: number } = {},
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: EVENT_BUS_APPLICATION_NAME });
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      const id = parseEventNotification(msg.payload)?.id;
      if (!id) return;
      this.enqueue(() => this.deliverById(client, BigInt(id)), id);
    });
    client.on('error', (error) => {
      this.logger.warn({ reason: error.message }, 'event listener connection lost; reconnecting');
      this.scheduleReconnect();
    });
    client.on('end', () => {
      if (this.client === client) this.scheduleReconnect();
    });
    // On a reconnect the replay goes first in line, ahead of any notification that
    // arrives as soon as LISTEN is in place, so events stay in commit order.
    let listening!: (ok: boolean) => void;
    if (this.cursor !== undefined) {
      const ready = new Promise<boolean>((resolve) => (listening = resolve));
      this.enqueue(async () => {
        if (await ready) await this.replay(client);
      }, 'replay');
    }
    try {
      await client.connect();
      await outbox.listen(client);
    } catch (error) {
      listening?.(false);
      throw error;
    }
    this.client = client;
    listening?.(true);
    if (this.cursor === undefined) {
      this.cursor = await outbox.lastId(client);
      // Now and then, the same replay moves the cursor on (so `seen` stays small) and catches anything missed.
      this.sweepTimer = setInterval(() => {
        const current = this.client;
        if (current) this.enqueue(() => this.replay(current), 'sweep');
      }, this.options.sweepIntervalMs ?? 30_000);
      this.sweepTimer.unref();
    }
  }

  private enqueue(work: () => Promise<void>, what: string): void {
    this.chain = this.chain.then(work).catch((error) => {
      this.logger.error({ err: error, outboxId: what }, 'could not deliver an event');
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const old = this.client;
    this.client = undefined;
    void old?.end().catch(() => {});
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.start().catch(() => this.scheduleReconnect());
    }, this.options.reconnectDelayMs ?? 1000);
  }

  private async deliverById(client: pg.Client, id: bigint): Promise<void> {
    if (this.seen.has(id) || (this.cursor !== undefined && id <= this.cursor && !this.gaps.has(id))) return;
    const row = await outbox.byId(client, id);
    if (!row) return;
    this.deliver({ id, event: row.event, data: row.data });
  }

  private deliver(event: DeliveredEvent): void {
    this.seen.add(event.id);
    this.gaps.delete(event.id);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.event }, 'event listener failed');
      }
    }
  }

  /** Delivers committed events after the cursor that were not delivered, then moves the cursor past final gaps. */
  private async replay(client: pg.Client): Promise<void> {
    const from = this.cursor ?? 0n;
    const snapshot = await outbox.snapshot(client);
    const rows = await outbox.after(client, from);
    let replayed = 0;
    for (const row of rows) {
      const id = BigInt(row.id);
      if (this.seen.has(id)) continue;
      this.deliver({ id, event: row.event, data: row.data });
      replayed += 1;
    }
    if (replayed) this.logger.info({ replayed, after: from.toString() }, 'events committed while the listener was away were delivered');
    this.advance(BigInt(snapshot.xmin), BigInt(snapshot.xmax));
  }

  private advance(xmin: bigint, xmax: bigint): void {
    let next = this.cursor ?? 0n;
    const highest = [...this.seen].reduce((max, id) => (id > max ? id : max), next);
    while (next < highest) {
      const id = next + 1n;
      if (!this.seen.has(id)) {
        const firstMissed = this.gaps.get(id);
        if (firstMissed === undefined) this.gaps.set(id, xmax);
        // Final once every transaction running when it was first missed has ended.
        if (firstMissed === undefined || xmin < firstMissed) break;
        this.gaps.delete(id);
      }
      this.seen.delete(id);
      next = id;
    }
    this.cursor = next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.sweepTimer);
    await this.chain.catch(() => {});
    await this.client?.end().catch(() => {});
    this.client = undefined;
  }
}
