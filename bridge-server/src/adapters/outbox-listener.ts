import pg from 'pg';
import type { Logger } from '../logger.ts';
import { outbox, parseEventNotification } from '../repositories/outbox.ts';

export interface OutboxListener {
  stop(): Promise<void>;
}

/**
 * A bare LISTEN on the outbox channel that calls `onEvent` with each new event's name
 * (null for a payload without one), and `onListening` whenever (re)connected; it
 * reconnects after a second when the connection is lost.
 */
export async function listenToOutbox(
  connectionString: string,
  logger: Logger,
  handlers: { onEvent(event: string | null): void; onListening(): void },
): Promise<OutboxListener> {
  let listener: pg.Client | undefined;
  let stopped = false;
  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString });
    client.on('notification', (msg) => handlers.onEvent((msg.payload && parseEventNotification(msg.payload)?.event) || null));
    client.on('error', (error) => {
      logger.warn({ err: error }, 'search indexer lost its notification connection; reconnecting');
      void client.end().catch(() => {});
      if (!stopped) setTimeout(() => void listen().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await outbox.listen(client);
    listener = client;
    handlers.onListening();
  };
  await listen();
  return {
    async stop() {
      stopped = true;
      await listener?.end().catch(() => {});
    },
  };
}
