import type { DeliveredEvent } from '../adapters/event-bus.ts';
import type { Logger } from '../logger.ts';
import type { Connection } from './connection.ts';
import { CLOSE_UNAUTHENTICATED } from './peer.ts';

/**
 * Applies the internal access events to this process's WebSocket connections:
 * a revoked token or a disabled (or demoted) account loses its connections at
 * once (4401: sign in again); changed grants are reloaded. Every process receives
 * these through the outbox, so connections on other processes end too.
 * Returns true when the event was an internal one (never delivered to clients).
 */
export function applyAccessEvent(event: DeliveredEvent, connections: Iterable<Connection>, logger: Logger): boolean {
  switch (event.event) {
    case 'token.revoked': {
      const ids = new Set((event.data as { tokenIds: string[] }).tokenIds);
      for (const connection of connections) {
        if (connection.tokenId && ids.has(connection.tokenId)) connection.terminate(CLOSE_UNAUTHENTICATED, 'token revoked');
      }
      return true;
    }
    case 'user.disabled': {
      const { userId, reason } = event.data as { userId: string; reason?: string };
      for (const connection of connections) {
        if (connection.userId === userId) connection.terminate(CLOSE_UNAUTHENTICATED, reason === 'role' ? 'role changed' : 'account disabled');
      }
      return true;
    }
    case 'grants.changed': {
      for (const connection of connections) {
        connection.refreshGrants().catch((error: unknown) => logger.warn({ err: error }, 'could not reload grants; closing the connection'));
      }
      return true;
    }
    default:
      return false;
  }
}
