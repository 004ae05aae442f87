import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let alice: TestUser;
let admin: RawSocket;

async function newAsset(owner: TestUser, name: string, mimeType: string, size: number): Promise<string> {
  const socket = await RawSocket.signedIn(server.wsUrl, owner.token);
  const upload = await seedUpload(server.stockroom, owner.id, { bytes: Buffer.alloc(size, name), fileName: name, mimeType });
  const asset = await socket.call('assets.create', { uploadId: upload.uploadId, name });
  socket.close();
  return asset.id;
}

beforeAll(async () => {
  server = await startTestServer({ env: { JOB_RETRY_LIMIT: '0' } });
  alice = await server.createUser({ name: 'Alice' });
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
});
afterAll(async () => {
  admin?.close();
  await server?.destroy();
});

describe('admin.stats', () => {
  it('counts assets and storage by kind, versions per day and connected clients per app', async () => {
    await newAsset(alice, 'a.png', 'image/png', 1000);
    await newAsset(alice, 'b.png', 'image/png', 2000);
    await newAsset(alice, 'c.mp4', 'video/mp4', 5000);
    const photoshop = await RawSocket.signedIn(server.wsUrl, alice.token, 'photoshop');

    const stats = await admin.call('admin.stats', { days: 7 });
    expect(stats.assets.total).toBe(3);
    expect(stats.assets.byKind).toEqual(
      expect.arrayContaining([
        { kind: 'image', count: 2 },
        { kind: 'video', count: 1 },
      ]),
    );
    expect(stats.storage.totalBytes).toBe(8000);
    expect(stats.storage.byKind).toEqual(
      expect.arrayContaining([
        { kind: 'image', bytes: 3000 },
        { kind: 'video', bytes: 5000 },
      ]),
    );
    expect(stats.versionsPerDay).toHaveLength(7);
    expect(stats.versionsPerDay.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), count: 3 });
    expect(stats.versionsPerDay.slice(0, 6).every((d: { count: number }) => d.count === 0)).toBe(true);
    expect(stats.clients.byApp).toEqual(
      expect.arrayContaining([
        { app: 'photoshop', count: 1 },
        { app: 'dashboard', count: 1 },
      ]),
    );
    expect(stats.clients.total).toBe(2);
    photoshop.close();
  });

  it('is for administrators only, over WebSocket and REST', async () => {
    const member = await RawSocket.signedIn(server.wsUrl, alice.token);
    const reply = await member.request('admin.stats', {});
    expect(reply.error?.code).toBe('FORBIDDEN');
    member.close();
    const rest = await fetch(`${server.url}/api/admin/stats?days=3`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { versionsPerDay: unknown[] }).versionsPerDay).toHaveLength(3);
  });
});

describe('admin.stats queue', () => {
  it('counts derivative jobs by state, failures included', async () => {
    await newAsset(alice, 'broken.png', 'image/png', 300); // not a PNG inside: its derivatives fail
    const db = server.stockroom.database.prisma;
    await expect.poll(async () => (await admin.call('admin.stats', {})).queue, { timeout: 30_000, interval: 250 }).toMatchObject({ queued: 0, running: 0 });
    const stats = await admin.call('admin.stats', {});
    const failed = await db.derivative.count({ where: { status: 'failed' } });
    expect(failed).toBeGreaterThan(0);
    expect(stats.queue).toEqual({ queued: 0, running: 0, failed });
  });
});

describe('admin.locks', () => {
  it('lists every lock with holder, app and age, a page at a time, and refuses pages over 200', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await newAsset(alice, `locked-${i}.png`, 'image/png', 100 + i));
    const premiere = await RawSocket.signedIn(server.wsUrl, alice.token, 'premiere');
    for (const id of ids) await premiere.call('assets.checkout', { id });
    await server.stockroom.database.prisma.$executeRaw`UPDATE locks SET "createdAt" = now() - interval '2 hours' WHERE "assetId" = ${ids[0]}::uuid`;

    const first = await admin.call('admin.locks', { limit: 2 });
    expect(first.total).toBe(5);
    expect(first.locks).toHaveLength(2);
    expect(first.locks[0]).toMatchObject({ asset: { id: ids[0], name: 'locked-0.png', kind: 'image' }, holder: { id: alice.id }, clientApp: 'premiere' });
    expect(first.locks[0].ageSeconds).toBeGreaterThanOrEqual(7200);
    const rest = await admin.call('admin.locks', { limit: 2, offset: 2 });
    const last = await admin.call('admin.locks', { limit: 2, offset: 4 });
    const seen = [...first.locks, ...rest.locks, ...last.locks].map((l: { asset: { id: string } }) => l.asset.id);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect((await admin.call('admin.locks', { app: 'photoshop' })).total).toBe(0);

    const tooBig = await admin.request('admin.locks', { limit: 201 });
    expect(tooBig.error?.code).toBe('VALIDATION_FAILED');
    expect((await admin.call('admin.stats', {})).locks).toBe(5);
    premiere.close();
  });
});

describe('admin.settings', () => {
  it('shows the configured limits and backends without secrets', async () => {
    const settings = await admin.call('admin.settings', {});
    expect(settings.storage.backend).toBe('disk');
    expect(settings.limits.map((l: { name: string }) => l.name)).toContain('MAX_UPLOAD_SIZE');
    expect(JSON.stringify(settings)).not.toContain(server.adminToken);
    expect(settings.presets.video.proxy).toMatchObject({ type: 'proxy' });
  });
});

describe('/admin', () => {
  it('answers with the dashboard or tells how to build it', async () => {
    const res = await fetch(`${server.url}/admin/locks`);
    if (res.status === 200) expect(await res.text()).toContain('<div id="root">');
    else {
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('build:dashboard');
    }
  });
});
