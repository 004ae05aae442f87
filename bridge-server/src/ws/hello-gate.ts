import { StockroomError } from '@stockroom/shared-types';
import type { Actor } from '../services/actor.ts';
import { CLOSE_HELLO_TIMEOUT, CLOSE_UNAUTHENTICATED, closeFirmly, sendError, type Peer } from './peer.ts';
import type { ClientSession } from './session.ts';

/**
 * The rules before sign-in on one socket: the first request must be session.hello, anything
 * else first gets UNAUTHENTICATED and the socket closes (4401), as it does after a failed
 * hello; requests pipelined behind a running hello wait for it instead of being refused; a
 * socket that has not said hello within the deadline is closed (4408).
 */
export class HelloGate {
  private helloing: Promise<void> | undefined;
  private readonly deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly peer: Peer,
    private readonly session: ClientSession,
    /** Absent: no deadline. */
    helloTimeoutMs?: number,
  ) {
    if (helloTimeoutMs === undefined) return;
    this.deadline = setTimeout(() => {
      if (this.session.actor || this.helloing) return;
      sendError(peer, null, new StockroomError('UNAUTHENTICATED', `Send session.hello within ${Math.round(helloTimeoutMs / 1000)} seconds of connecting.`));
      closeFirmly(peer, CLOSE_HELLO_TIMEOUT, 'session.hello not sent in time');
    }, helloTimeoutMs);
    this.deadline.unref();
  }

  /** True for the request that signs the connection in: a session.hello while nobody is, or is being, signed in. */
  opens(method: string): boolean {
    return !this.session.actor && !this.helloing && method === 'session.hello';
  }

  /** Answers session.hello, after `limited` (true: over the message limit, answered already). */
  hello(id: number | string, params: unknown, limited: () => Promise<boolean>): void {
    // Taken before any await, so a request sent right behind it (without waiting for the answer) waits for it.
    this.helloing = limited().then((over) => (over ? undefined : this.signIn(id, params)));
    void this.helloing.finally(() => {
      if (!this.session.actor) this.helloing = undefined;
    });
  }

  /** The hello that a request pipelined behind it waits for, while one is being answered. */
  get running(): Promise<void> | undefined {
    return this.session.actor ? undefined : this.helloing;
  }

  /** The signed-in actor; without one the request is refused and the socket closed. */
  admit(id: number | string): Actor | undefined {
    const actor = this.session.actor;
    if (!actor) {
      sendError(this.peer, id, new StockroomError('UNAUTHENTICATED', 'Send session.hello with your token first.'));
      this.peer.close(CLOSE_UNAUTHENTICATED, 'authenticate first');
    }
    return actor;
  }

  /** The socket closed: no deadline any more. */
  stop(): void {
    clearTimeout(this.deadline);
  }

  private async signIn(id: number | string, params: unknown): Promise<void> {
    const outcome = await this.session.signIn(params);
    if (!outcome.ok) {
      sendError(this.peer, id, outcome.error);
      this.peer.close(CLOSE_UNAUTHENTICATED, outcome.closeReason);
      return;
    }
    clearTimeout(this.deadline);
    this.peer.send({ id, result: outcome.result });
  }
}
