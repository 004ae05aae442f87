import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { BridgeClient, type BridgeClientOptions, type ConnectionState, type WebSocketConstructor } from '../../src/index.ts';

/** The `ws` class, counting the sockets it opens (to see reconnect storms). */
export function countingWebSocket(): { WebSocket: WebSocketConstructor; opened: () => number } {
  let opened = 0;
  class CountingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      opened += 1;
    }
  }
  return { WebSocket: CountingWebSocket, opened: () => opened };
}

export function makeClient(serverUrl: string, token: string, overrides: Partial<BridgeClientOptions> = {}): BridgeClient {
  return new BridgeClient({
    serverUrl,
    token,
    client: { app: 'script', appVersion: 'test', pluginVersion: '0.0.0' },
    WebSocket,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.2 },
    requestTimeoutMs: 10_000,
    ...overrides,
  });
}

/** Resolves with the first value pushed that matches, or rejects after timeoutMs. */
export function nextMatching<T>(subscribe: (push: (value: T) => void) => () => void, match: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`nothing matching arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = subscribe((value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

export function recordStates(client: BridgeClient): ConnectionState[] {
  const states: ConnectionState[] = [];
  client.onStateChange((state) => states.push(state));
  return states;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback TCP proxy whose open connections can be frozen: bytes stop flowing both
 * ways but nothing closes, as when a laptop sleeps or a network path dies silently.
 */
export async function startFreezableProxy(targetPort: () => number): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const live = new Set<[Socket, Socket]>();
  const server = createServer((downstream) => {
    const upstream = connect(targetPort(), '127.0.0.1');
    const pair: [Socket, Socket] = [downstream, upstream];
    for (const socket of pair) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        if (live.delete(pair)) for (const other of pair) other.destroy();
      });
    }
    live.add(pair);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    freeze() {
      for (const pair of live) {
        const [downstream, upstream] = pair;
        downstream.unpipe(upstream);
        upstream.unpipe(downstream);
        downstream.pause();
        upstream.pause();
      }
      live.clear();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
