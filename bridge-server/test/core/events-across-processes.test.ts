import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { makeTempDir, startServerProcess, startTestServer, type ServerProcess, type TestServer, type TestUser } from '../support/server.ts';

const BIN = { fileName: 'data.bin', mimeType: 'application/octet-stream' };
let first: TestServer;
let second: ServerProcess;
let secondDataDir: string;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  first = await startTestServer();
  secondDataDir = makeTempDir('second');
  // Another operating-system process on the same database: it shares nothing with the first but Postgres.
  second = await startServerProcess({ DATABASE_URL: first.database.url, STOCKROOM_DATA_DIR: secondDataDir, PORT: '0', LOG_LEVEL: 'info' });
  alice = await first.createUser({ name: 'Alice' });
  bob = await first.createUser({ name: 'Bob' });
});
afterAll(async () => {
  await second?.kill();
  await first?.destroy();
  rmSync(secondDataDir, { recursive: true, force: true });
});

describe('events across server processes', () => {
  it('delivers every event to subscribers of both processes, in order', async () => {
    const onFirst = await RawSocket.signedIn(first.wsUrl, bob.token, 'premiere');
    const onSecond = await RawSocket.signedIn(second.url.replace(/^http/, 'ws') + '/ws', bob.token, 'figma');
    // Opaque bytes (no derivatives, no metadata extraction), so only these changes make events.
    const names = ['asset.created', 'asset.updated', 'asset.locked', 'asset.unlocked', 'version.created', 'asset.deleted'];
    await onFirst.call('events.subscribe', { events: names });
    await onSecond.call('events.subscribe', { events: names });

    // Changes made through the FIRST process...
    const actor = await RawSocket.signedIn(first.wsUrl, alice.token, 'photoshop');
    const asset = await actor.call('assets.create', { uploadId: (await seedUpload(first.stockroom, alice.id, BIN)).uploadId, name: 'Logo' });
    await actor.call('assets.checkout', { id: asset.id });
    await actor.call('assets.update', { id: asset.id, tags: ['brand'] });
    await actor.call('assets.checkin', { id: asset.id, uploadId: (await seedUpload(first.stockroom, alice.id, BIN)).uploadId });
    await actor.call('assets.delete', { id: asset.id });

    const expected = [
      'asset.created',
      'version.created',
      'asset.locked',
      'asset.updated',
      'version.created',
      'asset.unlocked',
      'asset.updated',
      'asset.deleted',
    ];
    for (const socket of [onFirst, onSecond]) {
      await socket.event('asset.deleted', (d) => d.assetId === asset.id);
      const seen = socket.frames.filter((f) => f.event && (f.data.assetId === asset.id || f.data.asset?.id === asset.id)).map((f) => f.event);
      expect(seen).toEqual(expected);
    }

    // ...and through the SECOND process reach the first.
    const actor2 = await RawSocket.signedIn(second.url.replace(/^http/, 'ws') + '/ws', alice.token, 'photoshop');
    const other = await actor2.call('assets.create', { uploadId: (await seedUpload(first.stockroom, alice.id, BIN)).uploadId, name: 'Icon' });
    const created = await onFirst.event('asset.created', (d) => d.asset.id === other.id);
    expect(created.data.asset.name).toBe('Icon');
    [onFirst, onSecond, actor, actor2].forEach((s) => s.close());
  });

  it('lists the clients connected to either process', async () => {
    const a = await RawSocket.signedIn(first.wsUrl, alice.token, 'photoshop');
    const b = await RawSocket.signedIn(second.url.replace(/^http/, 'ws') + '/ws', bob.token, 'premiere');
    const admin = await RawSocket.signedIn(first.wsUrl, first.adminToken, 'dashboard');
    await admin.call('events.subscribe', { events: ['client.connected', 'client.disconnected'] });
    const { clients } = await admin.call('admin.clients', {});
    const apps = clients.map((c: any) => `${c.user.id}:${c.client.app}`);
    expect(apps).toContain(`${alice.id}:photoshop`);
    expect(apps).toContain(`${bob.id}:premiere`);
    b.close();
    const gone = await admin.event('client.disconnected', (d) => d.client.user.id === bob.id);
    expect(gone.data.client.client.app).toBe('premiere');
    const member = await a.request('admin.clients', {});
    expect(member.error?.code).toBe('FORBIDDEN');
    [a, admin].forEach((s) => s.close());
  });
});
