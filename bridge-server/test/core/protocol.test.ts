import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@stockroom/shared-types';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice' });
});
afterAll(async () => server?.destroy());

/** Rows that any state change writes: a refused request must leave them as they were. */
async function writes() {
  const db = server.stockroom.database.prisma;
  const [audit, outbox, assets, versions, locks] = await Promise.all([
    db.auditEvent.count(),
    db.outboxEvent.count({ where: { event: { notIn: ['client.connected', 'client.disconnected'] } } }),
    db.asset.count(),
    db.version.count(),
    db.lock.count(),
  ]);
  return { audit, outbox, assets, versions, locks };
}

async function expectWorking(socket: RawSocket) {
  const who = await socket.call('session.whoami', {});
  expect(who.user.id).toBe(alice.id);
}

describe('bad input over the WebSocket', () => {
  it('answers each bad frame with its error code and a message that says what to do, and keeps the connection', async () => {
    const socket = await RawSocket.signedIn(server.wsUrl, alice.token);
    const before = await writes();

    socket.sendRaw('{"id": 1, "method": ');
    const malformed = await socket.next((f) => f.error?.code === 'PROTOCOL_ERROR' && f.id === null);
    expect(malformed.error!.message).toMatch(/not valid JSON/);

    socket.sendRaw(JSON.stringify({ method: 'assets.get' }));
    const noId = await socket.next((f) => f.error?.code === 'PROTOCOL_ERROR' && /needs an "id"/.test(f.error.message));
    expect(noId.id).toBeNull();

    socket.sendRaw(Buffer.from([1, 2, 3]), true);
    await socket.next((f) => f.error?.code === 'PROTOCOL_ERROR' && /binary/.test(f.error.message));

    const unknown = await socket.request('assets.teleport', { id: 'x' });
    expect(unknown.error).toMatchObject({ code: 'UNKNOWN_METHOD' });
    expect(unknown.error!.message).toContain('assets.teleport');

    const wrongType = await socket.request('assets.get', { id: 42 });
    expect(wrongType.error?.code).toBe('VALIDATION_FAILED');
    expect(wrongType.error!.message).toMatch(/id/);
    expect((wrongType.error!.data as any).issues[0].path).toBe('id');

    const wrongShape = await socket.request('assets.checkin', { id: crypto.randomUUID(), uploadId: 5, keepLocked: 'yes' });
    expect(wrongShape.error?.code).toBe('VALIDATION_FAILED');

    const huge = JSON.stringify({ id: 99, method: 'assets.update', params: { id: crypto.randomUUID(), description: 'x'.repeat(1024 * 1024 + 10) } });
    socket.sendRaw(huge);
    const tooBig = await socket.next((f) => f.error?.code === 'PAYLOAD_TOO_LARGE');
    expect(tooBig.error!.message).toMatch(/at most \d+ bytes/);

    const missing = await socket.request('assets.get', { id: crypto.randomUUID() });
    expect(missing.error?.code).toBe('NOT_FOUND');

    await expectWorking(socket);
    expect(await writes()).toEqual(before);
    socket.close();
  });

  it('closes a connection whose first request is not session.hello, with UNAUTHENTICATED', async () => {
    const socket = await RawSocket.open(server.wsUrl);
    const reply = await socket.request('assets.get', { id: crypto.randomUUID() });
    expect(reply.error?.code).toBe('UNAUTHENTICATED');
    expect(reply.error!.message).toMatch(/session\.hello/);
    expect(await socket.closed).toBe(4401);
  });

  it('refuses a wrong token and a revoked token, and keeps serving others', async () => {
    const bad = await RawSocket.open(server.wsUrl);
    const reply = await bad.request('session.hello', { token: 'sr_not-a-real-token', client: { app: 'figma' }, protocol: PROTOCOL_VERSION });
    expect(reply.error?.code).toBe('UNAUTHENTICATED');
    expect(await bad.closed).toBe(4401);

    const bob = await server.createUser({ name: 'Bob' });
    const tokenRow = await server.stockroom.database.prisma.apiToken.findFirstOrThrow({ where: { userId: bob.id } });
    await server.stockroom.services.tokens.revoke(tokenRow.id);
    const revoked = await RawSocket.open(server.wsUrl);
    const refused = await revoked.request('session.hello', { token: bob.token, client: { app: 'photoshop' }, protocol: PROTOCOL_VERSION });
    expect(refused.error).toMatchObject({ code: 'UNAUTHENTICATED', data: { reason: 'revoked' } });

    const old = await RawSocket.open(server.wsUrl);
    const mismatch = await old.request('session.hello', { token: alice.token, client: { app: 'photoshop' }, protocol: 999 });
    expect(mismatch.error?.code).toBe('PROTOCOL_ERROR');
    expect(mismatch.error!.message).toMatch(/Update the plugin or the server/);

    const good = await RawSocket.signedIn(server.wsUrl, alice.token);
    await expectWorking(good);
    good.close();
  });

  it('keeps file names as data: a name like ../../etc/passwd is stored as text and never used as a path', async () => {
    const socket = await RawSocket.signedIn(server.wsUrl, alice.token);
    const upload = await seedUpload(server.stockroom, alice.id, { fileName: 'passwd', mimeType: 'text/plain' });
    const asset = await socket.call('assets.create', { uploadId: upload.uploadId, name: '../../etc/passwd' });
    expect(asset.name).toBe('../../etc/passwd');
    const res = await fetch(`${server.url}/api/assets/${asset.id}`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(((await res.json()) as any).name).toBe('../../etc/passwd');
    socket.close();
  });
});

describe('REST mirror', () => {
  it('serves the same methods with the same validation and error codes', async () => {
    const auth = { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' };
    const upload = await seedUpload(server.stockroom, alice.id);
    const created = await fetch(`${server.url}/api/assets`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ uploadId: upload.uploadId, tags: ['Brand', 'brand', 'logo'] }),
    });
    expect(created.status).toBe(201);
    const asset = (await created.json()) as any;
    expect(asset.tags).toEqual(['brand', 'logo']);

    const checkout = await fetch(`${server.url}/api/assets/${asset.id}/checkout`, { method: 'POST', headers: auth });
    expect(((await checkout.json()) as any).lock.holder.id).toBe(alice.id);

    const list = await fetch(`${server.url}/api/assets/${asset.id}/versions`, { headers: auth });
    expect(((await list.json()) as any).versions).toHaveLength(1);

    const restore = await fetch(`${server.url}/api/assets/${asset.id}/versions/1/restore`, { method: 'POST', headers: auth, body: '{}' });
    expect(restore.status).toBe(201);
    expect(((await restore.json()) as any).version.number).toBe(2);

    const invalid = await fetch(`${server.url}/api/assets/not-a-uuid`, { headers: auth });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as any).error.code).toBe('VALIDATION_FAILED');

    const anonymous = await fetch(`${server.url}/api/assets/${asset.id}`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).error.message).toMatch(/Authorization: Bearer/);

    const badJson = await fetch(`${server.url}/api/collections`, { method: 'POST', headers: auth, body: '{"name":' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as any).error.code).toBe('PROTOCOL_ERROR');
  });

  it('publishes an OpenAPI document generated from the contract', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const checkin = doc.paths['/api/assets/{id}/checkin'].post;
    expect(checkin.operationId).toBe('assets.checkin');
    const body = checkin.requestBody.content['application/json'].schema;
    expect(body.properties).toHaveProperty('baseVersion');
    expect(body.properties).toHaveProperty('keepLocked');
    for (const entry of server.stockroom.registry.list()) {
      if (!entry.rest) continue;
      const path = entry.rest.path.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[entry.rest.verb]?.operationId, entry.name).toBe(entry.name);
    }
  });
});
