import pg from 'pg';
import type { EventName } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import { EVENTS_CHANNEL, parseEventNotification } from '../services/change-recorder.ts';

export interface DeliveredEvent {
  id: bigint;
  event: EventName;
  data: unknown;
}

type Listener = (event: DeliveredEvent) => void;

/**
 * Delivers every committed outbox event to this process: LISTEN on the channel
 * that ChangeRecorder NOTIFYs, then read the row by id. Postgres sends
 * notifications only after commit and in commit order, so every process sees
 * every event, in order, without sharing memory.
 */
export class PgEventBus {
  private client: pg.Client | undefined;
  private readonly listeners = new Set<Listener>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      const id = parseEventNotification(msg.payload)?.id;
      if (!id) return;
      this.chain = this.chain.then(() => this.deliver(client, id)).catch((error) => {
        this.logger.error({ err: error, outboxId: id }, 'could not deliver an event');
      });
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'event listener connection lost; reconnecting');
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const old = this.client;
    this.client = undefined;
    void old?.end().catch(() => {});
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.start().catch(() => this.scheduleReconnect());
    }, 1000);
  }

  private async deliver(client: pg.Client, id: string): Promise<void> {
    const result = await client.query<{ event: EventName; data: unknown }>('SELECT event, data FROM outbox_events WHERE id = $1', [id]);
    const row = result.rows[0];
    if (!row) return;
    const delivered: DeliveredEvent = { id: BigInt(id), event: row.event, data: row.data };
    for (const listener of this.listeners) {
      try {
        listener(delivered);
      } catch (error) {
        this.logger.error({ err: error, event: row.event }, 'event listener failed');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.chain.catch(() => {});
    await this.client?.end().catch(() => {});
    this.client = undefined;
  }
}
