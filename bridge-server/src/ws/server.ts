import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { WebSocketServer } from 'ws';
import type { PgEventBus } from '../adapters/event-bus.ts';
import { applyAccessEvent } from './access-events.ts';
import { wsOriginAllowed } from '../http/security.ts';
import { Connection, type ConnectionDeps } from './connection.ts';
import { Liveness } from './liveness.ts';

/** Hard limit at which `ws` itself closes the socket (1009); below it, oversized frames get an error reply. */
const HARD_LIMIT_FACTOR = 4;

export class WsGateway {
  private readonly wss: WebSocketServer;
  readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;
  private readonly liveness: Liveness | undefined;

  constructor(
    server: HttpServer,
    bus: PgEventBus,
    private readonly deps: ConnectionDeps & { allowedOrigins?: readonly string[]; pingIntervalMs?: number },
  ) {
    this.wss = new WebSocketServer({
      server,
      path: '/ws',
      maxPayload: deps.maxFrameBytes * HARD_LIMIT_FACTOR,
      // Origin policy (docs/protocol.md): pages of other sites may not open the socket; auth rests on the token.
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
        wsOriginAllowed(info.req, deps.allowedOrigins ?? []) ? done(true) : done(false, 403, 'origin not allowed'),
    });
    // ws repeats the HTTP server's errors (a port in use) here; the composition root handles them where it listens.
    this.wss.on('error', (error) => deps.logger.debug({ err: error }, 'http server error seen by the websocket server'));
    if (deps.pingIntervalMs) this.liveness = new Liveness(() => this.wss.clients, deps.pingIntervalMs);
    this.wss.on('connection', (socket, req: IncomingMessage) => {
      this.liveness?.watch(socket);
      const connection = new Connection(socket, req.socket.remoteAddress, deps);
      this.connections.add(connection);
      socket.on('close', () => this.connections.delete(connection));
    });
    this.unsubscribe = bus.subscribe((event) => {
      if (applyAccessEvent(event, this.connections, deps.logger)) return;
      for (const connection of this.connections) connection.deliver(event);
    });
  }

  async close(): Promise<void> {
    this.liveness?.stop();
    this.unsubscribe();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
