import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One round trip a client made to PostgreSQL: a simple query, or an extended-protocol batch up to its Sync. */
export interface RoundTrip {
  /** Which client connection (numbered in the order they opened). */
  connection: number;
  /** performance.now() when the proxy saw the request. */
  at: number;
  sql: string;
}

/**
 * A TCP proxy in front of PostgreSQL that logs every round trip of every connection through
 * it: each simple Query message, and each extended-protocol batch (Parse/Bind/Execute…)
 * closed by a Sync — the unit the client waits on. Hand-written: `pg-protocol` parses only
 * the server's messages, and this needs the client's.
 */
export class PgStatementLog {
  readonly trips: RoundTrip[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private connections = 0;

  private constructor(private readonly target: URL) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy for `databaseUrl`; `url` is the same database reached through it. */
  static async start(databaseUrl: string): Promise<PgStatementLog & { url: string }> {
    const log = new PgStatementLog(new URL(databaseUrl));
    await new Promise<void>((resolve) => log.server.listen(0, '127.0.0.1', resolve));
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String((log.server.address() as AddressInfo).port);
    return Object.assign(log, { url: url.toString() });
  }

  /** Round trips seen since `mark` (an index into `trips`). */
  since(mark: number): RoundTrip[] {
    return this.trips.slice(mark);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const id = ++this.connections;
    const upstream = connect(Number(this.target.port || 5432), this.target.hostname);
    this.sockets.add(client).add(upstream);
    const reader = new FrontendReader((sql) => this.trips.push({ connection: id, at: performance.now(), sql }));
    client.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }
}

const PROTOCOL_3 = 196608;

/** Reads the client's side of the protocol: untyped start-up messages, then typed messages. */
class FrontendReader {
  private buffer = Buffer.alloc(0);
  private started = false;
  /** Statement text by prepared-statement name, for a Bind that reuses one. */
  private readonly prepared = new Map<string, string>();
  private batch: string[] = [];

  constructor(private readonly onRoundTrip: (sql: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerLength = this.started ? 5 : 4;
      if (this.buffer.length < headerLength) return;
      const length = this.buffer.readInt32BE(headerLength - 4);
      const total = length + headerLength - 4;
      if (this.buffer.length < total) return;
      const message = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      if (!this.started) {
        // SSLRequest, GSSENCRequest and CancelRequest are untyped too; only StartupMessage ends that phase.
        if (message.readInt32BE(4) === PROTOCOL_3) this.started = true;
      } else {
        this.read(String.fromCharCode(message[0]!), message.subarray(5));
      }
    }
  }

  private read(type: string, body: Buffer): void {
    switch (type) {
      case 'Q':
        this.onRoundTrip(cString(body, 0).text);
        break;
      case 'P': {
        const name = cString(body, 0);
        const sql = cString(body, name.next).text;
        if (name.text) this.prepared.set(name.text, sql);
        this.batch.push(sql);
        break;
      }
      case 'B': {
        const portal = cString(body, 0);
        const statement = cString(body, portal.next).text;
        if (statement && this.batch.length === 0) this.batch.push(this.prepared.get(statement) ?? `<prepared ${statement}>`);
        break;
      }
      case 'S':
        this.onRoundTrip(this.batch.join('; '));
        this.batch = [];
        break;
    }
  }
}

function cString(buffer: Buffer, start: number): { text: string; next: number } {
  const end = buffer.indexOf(0, start);
  return { text: buffer.toString('utf8', start, end), next: end + 1 };
}
