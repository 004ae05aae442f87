import { StockroomError, type EventData } from '@stockroom/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';
import type { BridgeClient, HelloResult } from '../../src/index.ts';
import { countingWebSocket, makeClient, nextMatching, recordStates, sleep, startFreezableProxy } from './support.ts';

let server: TestServer;
const clients: BridgeClient[] = [];
const track = (client: BridgeClient) => (clients.push(client), client);

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server?.destroy();
});

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('BridgeClient when the bridge goes away', () => {
  it('reconnects by itself after a server restart: signs in again, resubscribes, receives events again', async () => {
    const counter = countingWebSocket();
    const client = track(makeClient(server.url, server.adminToken, { WebSocket: counter.WebSocket }));
    const first = await client.connect();
    await client.subscribe(['client.connected']);
    const states = recordStates(client);
    const reconnected = new Promise<HelloResult>((resolve) => client.onReconnected(resolve));

    // Sent before the server stops, never answered: fails with a clear DISCONNECTED.
    const inFlight = errorOf(client.call('admin.clients'));
    const stopping = server.stop();
    const dropped = await inFlight;
    expect(dropped).toBeInstanceOf(StockroomError);
    expect(dropped).toMatchObject({ code: 'DISCONNECTED', data: { method: 'admin.clients' } });
    expect((dropped as StockroomError).message).toMatch(/dropped before admin\.clients was answered/);
    await stopping;
    expect(client.state).toBe('reconnecting');

    // While the bridge is down: a call with a short timeout gives up, one with a long timeout waits.
    const impatient = errorOf(client.call('session.whoami', undefined, { timeoutMs: 150 }));
    const patient = client.call('session.whoami', undefined, { timeoutMs: 30_000 });
    expect(await impatient).toMatchObject({ code: 'TIMEOUT' });
    await sleep(400);
    const attemptsWhileDown = counter.opened();
    // The first socket, then at least one attempt while the bridge was down.
    expect(attemptsWhileDown).toBeGreaterThanOrEqual(2);

    await server.start();
    const hello = await reconnected;
    expect(hello.sessionId).not.toBe(first.sessionId);
    expect(hello.user.id).toBe(first.user.id);
    expect(client.state).toBe('open');
    expect(states[0]).toBe('reconnecting');
    expect(states.at(-1)).toBe('open');
    expect((await patient).sessionId).toBe(hello.sessionId);

    // The server forgets subscriptions with the connection: events arrive only because the client resubscribed.
    const figmaConnected = nextMatching<EventData<'client.connected'>>(
      (push) => client.on('client.connected', push),
      (data) => data.client.client.app === 'figma',
    );
    const figma = track(makeClient(server.url, server.adminToken, { client: { app: 'figma' } }));
    const figmaHello = await figma.connect();
    expect((await figmaConnected).client.sessionId).toBe(figmaHello.sessionId);
  });

  it('stops for good when the bridge refuses the token on reconnect (revoked meanwhile)', async () => {
    const user = await server.createUser();
    const { tokenId } = await server.stockroom.services.tokens.authenticate(user.token);
    const counter = countingWebSocket();
    const client = track(
      makeClient(server.url, user.token, {
        WebSocket: counter.WebSocket,
        reconnect: { initialDelayMs: 20, maxDelayMs: 40, factor: 2, jitter: 0 },
      }),
    );
    await client.connect();
    const errors: StockroomError[] = [];
    client.onError((error) => errors.push(error));
    const closed = nextMatching<string>(
      (push) => client.onStateChange(push),
      (state) => state === 'closed',
    );

    await server.stockroom.services.tokens.revoke(tokenId);
    await server.restart();
    await closed;
    expect(errors.map((e) => e.code)).toContain('UNAUTHENTICATED');
    const opened = counter.opened();
    await sleep(400);
    // At 20-40 ms between attempts a retry loop would have opened many more sockets.
    expect(counter.opened()).toBe(opened);
    expect(client.state).toBe('closed');
    expect(await errorOf(client.call('session.whoami'))).toMatchObject({ code: 'DISCONNECTED' });
  });

  it('gives up on a connection that went silent (heartbeat) and reconnects', async () => {
    const proxy = await startFreezableProxy(() => server.port);
    try {
      const client = track(makeClient(proxy.url, server.adminToken, { heartbeatIntervalMs: 200, requestTimeoutMs: 20_000 }));
      const first = await client.connect();
      const reconnected = nextMatching<HelloResult>(
        (push) => client.onReconnected(push),
        () => true,
        15_000,
      );
      proxy.freeze();
      const frozenAt = Date.now();
      // Without the heartbeat this would wait for its 20 s timeout on a dead socket.
      const inFlight = errorOf(client.call('session.whoami'));
      const hello = await reconnected;
      expect(Date.now() - frozenAt).toBeLessThan(8_000);
      expect(await inFlight).toMatchObject({ code: 'DISCONNECTED' });
      expect(hello.sessionId).not.toBe(first.sessionId);
      expect((await client.call('session.whoami')).sessionId).toBe(hello.sessionId);
    } finally {
      await proxy.close();
    }
  });

  it('close() stops reconnecting', async () => {
    const counter = countingWebSocket();
    const client = track(makeClient(server.url, server.adminToken, { WebSocket: counter.WebSocket }));
    await client.connect();
    const waiting = errorOf(
      client.call('session.whoami', undefined, { timeoutMs: 30_000 }).then(() => client.call('session.whoami', undefined, { timeoutMs: 30_000 })),
    );
    await server.stop();
    try {
      expect(client.state).toBe('reconnecting');
      await sleep(150);
      client.close();
      expect(client.state).toBe('closed');
      const opened = counter.opened();
      await sleep(500);
      expect(counter.opened()).toBe(opened);
      expect(await waiting).toMatchObject({ code: 'DISCONNECTED' });
    } finally {
      await server.start();
    }
  });
});
