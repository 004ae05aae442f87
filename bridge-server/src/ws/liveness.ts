/** What liveness needs of a socket (a `ws` WebSocket). */
export interface PingedSocket {
  ping(): void;
  terminate(): void;
  on(event: 'pong', listener: () => void): unknown;
}

/**
 * Every socket, signed in or not, is pinged every interval; one that has not answered the last
 * ping by the next is gone (a dead peer, a half-open connection) and is cut off, so nobody
 * holds sockets forever.
 */
export class Liveness {
  /** Sockets that answered the last ping (or were opened since). */
  private readonly alive = new WeakSet<PingedSocket>();
  private readonly timer: NodeJS.Timeout;

  constructor(sockets: () => Iterable<PingedSocket>, intervalMs: number) {
    this.timer = setInterval(() => {
      for (const socket of sockets()) {
        if (!this.alive.has(socket)) {
          socket.terminate();
          continue;
        }
        this.alive.delete(socket);
        socket.ping();
      }
    }, intervalMs);
    this.timer.unref();
  }

  watch(socket: PingedSocket): void {
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
