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
