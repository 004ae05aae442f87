import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The WebSocket protocol driven with a plain `ws` client, as an integrator would write
 * one: frames pipelined without waiting for answers, sockets that never say hello,
 * sockets that stop answering pings, hostile JSON.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { WS_HELLO_TIMEOUT: '3s', WS_PING_INTERVAL: '1s' } });
});
afterAll(async () => {
  await server?.destroy();
});

interface Client {
  ws: WebSocket;
  frames: any[];
  closed: Promise<number>;
  waitFor(test: (frame: any) => boolean, timeoutMs?: number): Promise<any>;
}

async function connect(options: { autoPong?: boolean } = {}): Promise<Client> {
  const ws = new WebSocket(server.wsUrl, { autoPong: options.autoPong ?? true });
  const frames: any[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    async waitFor(test, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

const hello = (token: string) => ({ token, client: { app: 'script', appVersion: '1.0', pluginVersion: '1.0' }, protocol: PROTOCOL_VERSION });

describe('requests pipelined behind session.hello', () => {
  it('answers every request sent before the hello answer arrived, in one burst', async () => {
    const client = await connect();
    const burst = [
      { id: 1, method: 'session.hello', params: hello(server.adminToken) },
      { id: 2, method: 'session.whoami' },
      { id: 3, method: 'collections.list', params: {} },
      { id: 'four', method: 'events.subscribe', params: {} },
      { id: 5, method: 'assets.get', params: { id: randomUUID() } },
    ];
    // One TCP write: every frame is on the wire before the server has read the first.
    client.ws.send(JSON.stringify(burst[0]));
    for (const frame of burst.slice(1)) client.ws.send(JSON.stringify(frame));
    const answers = await Promise.all(burst.map((f) => client.waitFor((a) => a.id === f.id)));
    expect(answers[0].result.user.email).toBe('admin@stockroom.local');
    expect(answers[1].result.sessionId).toBe(answers[0].result.sessionId);
    expect(Array.isArray(answers[2].result.collections)).toBe(true);
    expect(answers[3].result.events.length).toBeGreaterThan(0);
    expect(answers[4].error.code).toBe('NOT_FOUND');
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });

  it('refuses what was pipelined behind a hello that failed, and closes with 4401', async () => {
    const client = await connect();
    client.ws.send(JSON.stringify({ id: 1, method: 'session.hello', params: hello('sr_not_a_real_token_at_all_0000000000') }));
    client.ws.send(JSON.stringify({ id: 2, method: 'session.whoami' }));
    expect(await client.closed).toBe(4401);
    expect(client.frames.find((f) => f.id === 1).error.code).toBe('UNAUTHENTICATED');
    for (const frame of client.frames) expect(frame.error?.code ?? 'none').not.toBe('INTERNAL');
  });

  it('still refuses a request that comes first without any hello', async () => {
    const client = await connect();
    client.ws.send(JSON.stringify({ id: 1, method: 'collections.list', params: {} }));
    expect(await client.closed).toBe(4401);
    expect(client.frames[0].error.code).toBe('UNAUTHENTICATED');
  });
});

describe('sockets that never sign in or stop answering', () => {
  it('closes a socket that sends no session.hello within WS_HELLO_TIMEOUT (4408)', async () => {
    const client = await connect();
    expect(await client.closed).toBe(4408);
    expect(client.frames[0].error.code).toBe('UNAUTHENTICATED');
    expect(client.frames[0].error.message).toMatch(/session\.hello/);
  });

  it('keeps a signed-in idle socket open while it answers pings, and cuts one that stops answering', async () => {
    const alive = await connect();
    alive.ws.send(JSON.stringify({ id: 1, method: 'session.hello', params: hello(server.adminToken) }));
    await alive.waitFor((f) => f.id === 1);
    let pings = 0;
    alive.ws.on('ping', () => pings++);
    // Idle past the hello deadline and several ping intervals.
    await expect.poll(() => pings, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);

    const deaf = await connect({ autoPong: false });
    deaf.ws.send(JSON.stringify({ id: 1, method: 'session.hello', params: hello(server.adminToken) }));
    await deaf.waitFor((f) => f.id === 1);
    // Terminated without a close frame: the peer sees 1006.
    expect(await deaf.closed).toBe(1006);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    alive.ws.close();
  });
});

describe('hostile JSON in frames', () => {
  it('answers NUL characters and nesting deeper than 64 with VALIDATION_FAILED and keeps the socket', async () => {
    const client = await connect();
    client.ws.send(JSON.stringify({ id: 1, method: 'session.hello', params: hello(server.adminToken) }));
    await client.waitFor((f) => f.id === 1);
    const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    client.ws.send(JSON.stringify({ id: 2, method: 'collections.create', params: { name: 'Brand\u0000' } }));
    client.ws.send(`{"id":3,"method":"assets.search","params":{"q":"x","filters":${nested(2_000)}}}`);
    client.ws.send(`{"id":4,"method":"assets.search","params":${nested(50_000)}}`);
    client.ws.send(JSON.stringify({ id: 5, method: 'session.whoami' }));
    for (const id of [2, 3, 4]) {
      const answer = await client.waitFor((f) => f.id === id);
      expect(answer.error.code, `frame ${id}`).toBe('VALIDATION_FAILED');
    }
    expect((await client.waitFor((f) => f.id === 5)).result.user.email).toBe('admin@stockroom.local');
    const collections = await server.stockroom.database.prisma.collection.count({ where: { name: { startsWith: 'Brand' } } });
    expect(collections).toBe(0);
    client.ws.close();
  });
});
