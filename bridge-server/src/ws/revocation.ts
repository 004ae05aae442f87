import { closeFirmly, type Peer } from './peer.ts';

/** How long a revoked connection waits for its running requests to be answered. */
const ANSWER_BEFORE_CLOSE_MS = 500;

/**
 * Ending a connection from the server's side (token revoked, account disabled, roles
 * unavailable): nothing new is taken or delivered from then on, but requests already running
 * are answered first (briefly), so a client that revokes its own token learns that it worked.
 */
export class Revocation {
  private inFlight = 0;
  private readonly whenIdle: Array<() => void> = [];
  private ended = false;

  constructor(private readonly peer: Peer) {}

  get revoked(): boolean {
    return this.ended;
  }

  /** Answers one request; a revocation meanwhile waits for it. */
  async answering(work: () => Promise<void>): Promise<void> {
    this.inFlight += 1;
    try {
      await work();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
    }
  }

  revoke(code: number, reason: string): void {
    this.ended = true;
    const close = () => closeFirmly(this.peer, code, reason);
    if (this.inFlight === 0) return close();
    const timer = setTimeout(close, ANSWER_BEFORE_CLOSE_MS);
    this.whenIdle.push(() => {
      clearTimeout(timer);
      close();
    });
  }
}
