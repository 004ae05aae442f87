import type { ConnectionState } from '@stockroom/bridge-client';

/** Asked from a little before the drop: events in flight at that moment may never have arrived. */
const IN_FLIGHT_MS = 5_000;

/**
 * When the panel lost its connection, on the server's clock. A computer's clock can be
 * minutes off, so the moment is the server time of the last hello plus the time that
 * passed here since; after a reconnect the panel asks for what it missed from then on.
 */
export class AwayClock {
  private anchor: { serverMs: number; localMs: number } | null = null;
  private droppedAtMs: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** A hello answered: the server's clock at that moment. */
  connected(serverTime: string): void {
    const serverMs = Date.parse(serverTime);
    this.anchor = Number.isNaN(serverMs) ? null : { serverMs, localMs: this.now() };
  }

  stateChanged(state: ConnectionState, previous: ConnectionState): void {
    if (previous === 'open' && state !== 'open' && this.anchor && this.droppedAtMs === null) {
      this.droppedAtMs = this.anchor.serverMs + (this.now() - this.anchor.localMs);
    }
  }

  /** After a reconnect: the server time to ask from (once), or null when the drop was not seen. */
  takeAwaySince(): string | null {
    if (this.droppedAtMs === null) return null;
    const since = new Date(this.droppedAtMs - IN_FLIGHT_MS).toISOString();
    this.droppedAtMs = null;
    return since;
  }
}
