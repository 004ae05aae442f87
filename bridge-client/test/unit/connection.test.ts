import { PROTOCOL_VERSION, type StockroomError } from '@stockroom/shared-types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection, type ConnectionOptions, type ConnectionState, type HelloResult } from '../../src/connection.ts';
import type { PendingRequests } from '../../src/pending.ts';
import type { WebSocketLike } from '../../src/websocket.ts';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

interface SentFrame {
  id: number;
  method: string;
  params?: unknown;
}

/**
 * A socket following the WebSocket API's rules: send() throws until it is open, and the
 * close event comes after close() returns, never inside it. The test plays the bridge.
 */
class FakeSocket implements WebSocketLike {
  readyState = CONNECTING;
  readonly sent: SentFrame[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    sockets.push(this);
  }

  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error('InvalidStateError: the socket is not open');
    this.sent.push(JSON.parse(data) as SentFrame);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.closedWith = { code, reason };
    queueMicrotask(() => this.finishClose(code ?? 1005, reason ?? ''));
  }

  /** The server accepts the socket. */
  accept(): void {
    this.readyState = OPEN;
    this.onopen?.({});
  }

  /** The server answers the last request of `method`. */
  answer(method: string, result: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ id: this.lastRequest(method).id, result }) });
  }

  refuse(method: string, code: string, message: string): void {
    this.onmessage?.({ data: JSON.stringify({ id: this.lastRequest(method).id, error: { code, message } }) });
  }

  /** The connection ends from the far side (server gone, network lost). */
  drop(code = 1006): void {
    if (this.readyState === CLOSED) return;
    this.finishClose(code, '');
  }

  lastRequest(method: string): SentFrame {
    const frame = this.sent.findLast((f) => f.method === method);
    if (!frame) throw new Error(`no ${method} was sent (sent: ${this.sent.map((f) => f.method).join(', ') || 'nothing'})`);
    return frame;
  }

  private finishClose(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ code, reason });
  }
}

let sockets: FakeSocket[] = [];

const hello: HelloResult = {
  sessionId: 'session-1',
  user: {
    id: '5f0c7f4e-6f2b-4e0b-9b43-0d6f1c2a8e11',
    name: 'Ana',
    email: 'ana@example.com',
    role: 'member',
    createdAt: '2026-01-01T00:00:00.000Z',
    disabledAt: null,
  },
  protocol: PROTOCOL_VERSION,
  serverVersion: 'test',
  serverTime: '2026-01-01T00:00:00.000Z',
};

/** Answers each frame to the waiting request, as the request layer does. */
function onFrame(pending: PendingRequests, data: unknown): void {
  const frame = JSON.parse(String(data)) as { id: number; result?: unknown; error?: { code: string; message: string } };
  if (frame.error) pending.reject(frame.id, frame.error as never);
  else pending.resolve(frame.id, frame.result);
}

function makeConnection(overrides: Partial<ConnectionOptions> = {}) {
  const states: ConnectionState[] = [];
  const errors: StockroomError[] = [];
  const reconnected: HelloResult[] = [];
  const signedIn: FakeSocket[] = [];
  let token = 'token-1';
  const connection = new Connection(
    {
      WebSocket: FakeSocket,
      url: 'ws://bridge.test/ws',
      token: () => token,
      client: { app: 'script', appVersion: '', pluginVersion: '' },
      autoReconnect: true,
      // No jitter, so each delay is exact: 100, 200, 400… ms.
      backoff: { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2, jitter: 0 },
      requestTimeoutMs: 5_000,
      heartbeatIntervalMs: 0,
      ...overrides,
    },
    {
      onFrame,
      onSignedIn: async (socket) => {
        signedIn.push(socket as FakeSocket);
      },
      onError: (error) => errors.push(error),
      onListenerError: (error) => {
        throw error;
      },
    },
  );
  connection.onStateChange((state) => states.push(state));
  connection.onReconnected((result) => reconnected.push(result));
  return { connection, states, errors, reconnected, signedIn, setToken: (next: string) => (token = next) };
}

/** The server accepts the newest socket and answers session.hello. */
async function acceptLatest(): Promise<FakeSocket> {
  const socket = sockets.at(-1)!;
  socket.accept();
  socket.answer('session.hello', hello);
  await vi.advanceTimersByTimeAsync(0);
  return socket;
}

/** Lets `ms` pass and tells whether a new socket was opened meanwhile. */
async function newSocketAfter(ms: number): Promise<boolean> {
  const before = sockets.length;
  await vi.advanceTimersByTimeAsync(ms);
  return sockets.length > before;
}

beforeEach(() => {
  sockets = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Connection state machine', () => {
  it('idle → connecting → open: opens the socket, signs in with the current token, then counts as open', async () => {
    const { connection, states, signedIn, setToken } = makeConnection();
    expect(connection.state).toBe('idle');
    expect(connection.openLink()).toBeNull();
    setToken('token-2');
    const connected = connection.connect(false);
    expect(connection.state).toBe('connecting');
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe('ws://bridge.test/ws');
    sockets[0]!.accept();
    expect(sockets[0]!.lastRequest('session.hello').params).toEqual({
      token: 'token-2',
      client: { app: 'script', appVersion: '', pluginVersion: '' },
      protocol: PROTOCOL_VERSION,
    });
    expect(connection.state).toBe('connecting');
    sockets[0]!.answer('session.hello', hello);
    await expect(connected).resolves.toEqual(hello);
    expect(states).toEqual(['connecting', 'open']);
    expect(signedIn).toEqual([sockets[0]]);
    expect(connection.session).toEqual(hello);
    expect(connection.openLink()?.socket).toBe(sockets[0]);
    // Connecting again while open is the same session, no new socket.
    await expect(connection.connect(false)).resolves.toEqual(hello);
    expect(sockets).toHaveLength(1);
  });

  it('open → reconnecting → open after a drop, then → closed on close(): signs in again, tells onReconnected, lets a waiting call through', async () => {
    const { connection, states, reconnected, signedIn, errors } = makeConnection();
    const connected = connection.connect(false);
    await acceptLatest();
    await connected;

    sockets[0]!.drop(1006);
    expect(connection.state).toBe('reconnecting');
    expect(connection.session).toBeNull();
    expect(connection.openLink()).toBeNull();
    let waited = false;
    const waiting = connection.waitUntilOpen('assets.get', 60_000).then(() => (waited = true));

    expect(await newSocketAfter(100)).toBe(true);
    await acceptLatest();
    await waiting;
    expect(waited).toBe(true);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(reconnected).toEqual([hello]);
    expect(signedIn).toEqual([sockets[0], sockets[1]]);
    expect(connection.openLink()?.socket).toBe(sockets[1]);

    connection.close();
    expect(states.at(-1)).toBe('closed');
    expect(sockets[1]!.closedWith).toEqual({ code: 1000, reason: 'client closed' });
    // A closed connection stays closed: no reconnect later, waiting is refused at once.
    expect(await newSocketAfter(60_000)).toBe(false);
    await expect(connection.waitUntilOpen('assets.get', 1_000)).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(errors).toEqual([]);
  });

  it('a close() during connecting: connect() rejects, the socket is closed, nothing reconnects', async () => {
    const { connection, states } = makeConnection();
    const connected = connection.connect(true);
    const outcome = connected.then(
      () => 'connected',
      (error: StockroomError) => error,
    );
    sockets[0]!.accept();
    connection.close();
    // The bridge's late answer to session.hello changes nothing.
    sockets[0]!.onmessage?.({ data: JSON.stringify({ id: sockets[0]!.lastRequest('session.hello').id, result: hello }) });
    const error = await outcome;
    expect(error).toMatchObject({ code: 'DISCONNECTED', message: expect.stringMatching(/client was closed/) });
    expect(states).toEqual(['connecting', 'closed']);
    expect(sockets[0]!.closedWith?.code).toBe(1000);
    expect(connection.session).toBeNull();
    expect(await newSocketAfter(60_000)).toBe(false);
    expect(connection.state).toBe('closed');
  });

  it('a close() while waiting to reconnect cancels the backoff', async () => {
    const { connection, states } = makeConnection();
    const connected = connection.connect(false);
    await acceptLatest();
    await connected;
    sockets[0]!.drop();
    expect(connection.state).toBe('reconnecting');
    connection.close();
    expect(await newSocketAfter(60_000)).toBe(false);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'closed']);
  });

  it('backs off 100, 200, 400 ms between failed reconnects, and starts again at 100 ms after a good connection', async () => {
    const { connection, states } = makeConnection();
    const connected = connection.connect(false);
    await acceptLatest();
    await connected;

    sockets[0]!.drop();
    for (const delay of [100, 200, 400]) {
      expect(await newSocketAfter(delay - 1)).toBe(false);
      expect(await newSocketAfter(1)).toBe(true);
      if (delay < 400) {
        // Refused at the door: the bridge is still down.
        sockets.at(-1)!.drop(1006);
        await vi.advanceTimersByTimeAsync(0);
        expect(connection.state).toBe('reconnecting');
      }
    }
    await acceptLatest();
    expect(connection.state).toBe('open');

    // The next drop starts from the first delay again, not from 800 ms.
    sockets.at(-1)!.drop();
    expect(await newSocketAfter(99)).toBe(false);
    expect(await newSocketAfter(1)).toBe(true);
    await acceptLatest();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open', 'reconnecting', 'open']);
  });

  it('connect() without retry makes one attempt: an unreachable bridge ends in closed with DISCONNECTED', async () => {
    const { connection, states } = makeConnection();
    const connected = connection.connect(false);
    sockets[0]!.drop(1006);
    await expect(connected).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(states).toEqual(['connecting', 'closed']);
    expect(await newSocketAfter(60_000)).toBe(false);
  });

  it('connect({ retry }) keeps trying an unreachable bridge with backoff, until maxAttempts', async () => {
    const { connection, states } = makeConnection({ backoff: { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2, jitter: 0, maxAttempts: 3 } });
    const outcome = connection.connect(true).then(
      () => 'connected',
      (error: StockroomError) => error.code,
    );
    sockets[0]!.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.state).toBe('reconnecting');
    expect(await newSocketAfter(100)).toBe(true);
    sockets[1]!.drop();
    expect(await newSocketAfter(200)).toBe(true);
    sockets[2]!.drop();
    expect(await outcome).toBe('DISCONNECTED');
    expect(states).toEqual(['connecting', 'reconnecting', 'closed']);
    expect(await newSocketAfter(60_000)).toBe(false);
  });

  it('a refused sign-in on reconnect stops for good (closed, onError), never retrying the same token', async () => {
    const { connection, states, errors } = makeConnection();
    const connected = connection.connect(false);
    await acceptLatest();
    await connected;
    sockets[0]!.drop();
    expect(await newSocketAfter(100)).toBe(true);
    sockets[1]!.accept();
    sockets[1]!.refuse('session.hello', 'UNAUTHENTICATED', 'This token was revoked.');
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'closed']);
    expect(errors.map((e) => e.code)).toEqual(['UNAUTHENTICATED']);
    expect(await newSocketAfter(60_000)).toBe(false);
  });

  it('without autoReconnect a drop ends in closed, and waiting callers and onError hear DISCONNECTED', async () => {
    const { connection, states, errors } = makeConnection({ autoReconnect: false });
    const connected = connection.connect(false);
    await acceptLatest();
    await connected;
    sockets[0]!.drop(1011);
    expect(states).toEqual(['connecting', 'open', 'closed']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'DISCONNECTED', data: { closeCode: 1011 } });
    expect(await newSocketAfter(60_000)).toBe(false);
  });

  it('a silent socket is asked session.whoami after a heartbeat interval and given up when it does not answer', async () => {
    const { connection, states } = makeConnection({ heartbeatIntervalMs: 1_000 });
    const connected = connection.connect(false);
    await acceptLatest();
    await connected;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets[0]!.lastRequest('session.whoami')).toBeDefined();
    expect(connection.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets[0]!.closedWith).toEqual({ code: 4000, reason: 'no answer to heartbeat' });
    expect(connection.state).toBe('reconnecting');
    expect(await newSocketAfter(100)).toBe(true);
    await acceptLatest();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    connection.close();
  });

  it('a handshake that is not answered in time fails with TIMEOUT', async () => {
    const { connection, states } = makeConnection();
    const outcome = connection.connect(false).then(
      () => 'connected',
      (error: StockroomError) => error.code,
    );
    sockets[0]!.accept();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await outcome).toBe('TIMEOUT');
    expect(states).toEqual(['connecting', 'closed']);
    expect(sockets[0]!.closedWith?.code).toBe(1000);
  });
});
