import { randomUUID } from 'node:crypto';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, StockroomError, type EventData } from '@stockroom/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';
import type { BridgeClient } from '../../src/index.ts';
import { countingWebSocket, makeClient, nextMatching, recordStates, sleep } from './support.ts';

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

describe('BridgeClient against the real bridge', () => {
  it('connects, signs in with session.hello and reports its states', async () => {
    const client = track(makeClient(server.url, server.adminToken));
    const states = recordStates(client);
    expect(client.state).toBe('idle');
    const hello = await client.connect();
    expect(hello.protocol).toBe(PROTOCOL_VERSION);
    expect(hello.user.role).toBe('admin');
    expect(hello.sessionId).toBeTruthy();
    expect(client.state).toBe('open');
    expect(client.session?.sessionId).toBe(hello.sessionId);
    expect(states).toEqual(['connecting', 'open']);
    // connect() on an open client answers with the same session, without a new socket.
    expect((await client.connect()).sessionId).toBe(hello.sessionId);
  });

  it('makes typed calls and correlates concurrent answers', async () => {
    const client = track(makeClient(server.url, server.adminToken));
    await client.connect();
    const names = ['Logos', 'Icons', 'Photos'].map((n) => `${n} ${randomUUID().slice(0, 8)}`);
    const created = await Promise.all(names.map((name) => client.call('collections.create', { name })));
    expect(created.map((c) => c.name)).toEqual(names);
    const whoami = await client.call('session.whoami');
    expect(whoami.client.app).toBe('script');
    expect(whoami.sessionId).toBe(client.session?.sessionId);
    const { collections } = await client.call('collections.list', {});
    expect(collections.map((c) => c.id)).toEqual(expect.arrayContaining(created.map((c) => c.id)));
  });

  it('turns error responses into StockroomError with the server code', async () => {
    const client = track(makeClient(server.url, server.adminToken));
    await client.connect();
    const missing = await errorOf(client.call('assets.get', { id: randomUUID() }));
    expect(missing).toBeInstanceOf(StockroomError);
    expect((missing as StockroomError).code).toBe('NOT_FOUND');
    const invalid = await errorOf(client.call('assets.get', { id: 'not-a-uuid' }));
    expect((invalid as StockroomError).code).toBe('VALIDATION_FAILED');
    // The connection survives errors.
    expect((await client.call('session.whoami')).user.role).toBe('admin');
  });

  it('refuses a request larger than the frame limit at once, and the connection stays usable', async () => {
    const client = track(makeClient(server.url, server.adminToken));
    await client.connect();
    const placements = Array.from({ length: 5000 }, () => ({ assetId: randomUUID(), versionNumber: 1, itemId: 'x'.repeat(300) }));
    const started = Date.now();
    const error = await errorOf(client.call('placements.report', { documentId: 'doc', documentName: 'Big', placements }));
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', data: { method: 'placements.report', limit: MAX_FRAME_BYTES } });
    // Sent anyway, it would wait for the 10 s request timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await client.call('session.whoami')).user.role).toBe('admin');
  });

  it('refuses calls before connect() with DISCONNECTED', async () => {
    const client = track(makeClient(server.url, server.adminToken));
    const error = await errorOf(client.call('session.whoami'));
    expect(error).toMatchObject({ code: 'DISCONNECTED' });
  });

  it('delivers subscribed events to typed handlers, until unsubscribed', async () => {
    const admin = track(makeClient(server.url, server.adminToken));
    await admin.connect();
    expect(await admin.subscribe(['client.connected'])).toEqual(['client.connected']);
    const seen: EventData<'client.connected'>[] = [];
    const stop = admin.on('client.connected', (data) => seen.push(data));
    const figmaConnected = nextMatching<EventData<'client.connected'>>(
      (push) => admin.on('client.connected', push),
      (data) => data.client.client.app === 'figma',
    );
    const figma = track(makeClient(server.url, server.adminToken, { client: { app: 'figma', appVersion: '1', pluginVersion: '2' } }));
    const figmaHello = await figma.connect();
    const event = await figmaConnected;
    expect(event.client.sessionId).toBe(figmaHello.sessionId);
    expect(event.client.client).toMatchObject({ app: 'figma', appVersion: '1', pluginVersion: '2' });
    expect(seen.map((d) => d.client.sessionId)).toContain(figmaHello.sessionId);

    stop();
    const premiereConnected = nextMatching<EventData<'client.connected'>>(
      (push) => admin.on('client.connected', push),
      (data) => data.client.client.app === 'premiere',
    );
    const premiere = track(makeClient(server.url, server.adminToken, { client: { app: 'premiere' } }));
    await premiere.connect();
    await premiereConnected;
    expect(seen.map((d) => d.client.client.app)).not.toContain('premiere');
  });

  it('rejects a wrong token with UNAUTHENTICATED and does not retry', async () => {
    const counter = countingWebSocket();
    const client = track(
      makeClient(server.url, 'sr_wrong_token_000000000000000000000000000000', {
        WebSocket: counter.WebSocket,
        reconnect: { initialDelayMs: 10, maxDelayMs: 20, factor: 1, jitter: 0 },
      }),
    );
    const states = recordStates(client);
    const error = await errorOf(client.connect({ retry: true }));
    expect(error).toBeInstanceOf(StockroomError);
    expect((error as StockroomError).code).toBe('UNAUTHENTICATED');
    await sleep(500);
    // At 10 ms between attempts a retry loop would have opened dozens of sockets by now.
    expect(counter.opened()).toBe(1);
    expect(client.state).toBe('closed');
    expect(states).toEqual(['connecting', 'closed']);
  });

  it('reports an unreachable bridge as DISCONNECTED, and with retry waits until it is up', async () => {
    const down = track(makeClient('http://127.0.0.1:9', server.adminToken));
    const error = await errorOf(down.connect());
    expect(error).toMatchObject({ code: 'DISCONNECTED' });
    expect(down.state).toBe('closed');
  });
});
