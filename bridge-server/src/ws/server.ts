import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { WebSocketServer } from 'ws';
import type { PgEventBus } from '../adapters/event-bus.ts';
import { applyAccessEvent } from '../auth/revocation.ts';
import { wsOriginAllowed } from '../http/security.ts';
import { Connection, type ConnectionDeps } from './connection.ts';

/** Hard limit at which `ws` itself closes the socket (1009); below it, oversized frames get an error reply. */
const HARD_LIMIT_FACTOR = 4;

export class WsGateway {
  private readonly wss: WebSocketServer;
  readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;

  constructor(server: HttpServer, bus: PgEventBus, private readonly deps: ConnectionDeps & { allowedOrigins?: readonly string[] }) {
    this.wss = new WebSocketServer({
      server,
      path: '/ws',
      maxPayload: deps.maxFrameBytes * HARD_LIMIT_FACTOR,
      // Origin policy (docs/protocol.md): pages of other sites may not open the socket; auth rests on the token.
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
        wsOriginAllowed(info.req, deps.allowedOrigins ?? []) ? done(true) : done(false, 403, 'origin not allowed'),
    });
    this.wss.on('connection', (socket, req: IncomingMessage) => {
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
    this.unsubscribe();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
