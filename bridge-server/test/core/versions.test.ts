import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let a: RawSocket;
let b: RawSocket;

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice' });
  bob = await server.createUser({ name: 'Bob' });
  a = await RawSocket.signedIn(server.wsUrl, alice.token, 'photoshop');
  b = await RawSocket.signedIn(server.wsUrl, bob.token, 'premiere');
});
afterAll(async () => {
  a?.close();
  b?.close();
  await server?.destroy();
});

const upload = (user: TestUser, text?: string) =>
  seedUpload(server.stockroom, user.id, text ? { bytes: Buffer.from(text), fileName: 'doc.psd', mimeType: 'image/vnd.adobe.photoshop' } : {});

describe('check-in', () => {
  it('refuses a check-in without the lock and without baseVersion, and with a stale baseVersion', async () => {
    const asset = await a.call('assets.create', { uploadId: (await upload(alice, 'v1')).uploadId });
    const noLock = await b.request('assets.checkin', { id: asset.id, uploadId: (await upload(bob, 'v2')).uploadId });
    expect(noLock.error?.code).toBe('VERSION_CONFLICT');
    expect(noLock.error?.message).toMatch(/check the asset out first/i);
    const ok = await b.call('assets.checkin', { id: asset.id, uploadId: (await upload(bob, 'v2b')).uploadId, baseVersion: 1 });
    expect(ok.version.number).toBe(2);
    const stale = await a.request('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'v3')).uploadId, baseVersion: 1 });
    expect(stale.error?.code).toBe('VERSION_CONFLICT');
    expect(stale.error?.data).toMatchObject({ headVersion: 2, baseVersion: 1 });
    const versions = await a.call('versions.list', { assetId: asset.id });
    expect(versions.versions.map((v: any) => v.number)).toEqual([2, 1]);
    // The refused uploads were not consumed: they can still be used.
    expect(await server.stockroom.database.prisma.version.count({ where: { assetId: asset.id } })).toBe(2);
  });

  it('refuses a check-in while somebody else holds the lock, even with the right baseVersion', async () => {
    const asset = await a.call('assets.create', { uploadId: (await upload(alice, 'x1')).uploadId });
    await a.call('assets.checkout', { id: asset.id });
    const reply = await b.request('assets.checkin', { id: asset.id, uploadId: (await upload(bob, 'x2')).uploadId, baseVersion: 1 });
    expect(reply.error?.code).toBe('ASSET_LOCKED');
    const mine = await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'x2')).uploadId, comment: 'colour fix', keepLocked: true });
    expect(mine.version).toMatchObject({ number: 2, comment: 'colour fix', clientApp: 'photoshop' });
    expect(mine.asset.lock.holder.id).toBe(alice.id);
    const released = await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'x3')).uploadId });
    expect(released.asset.lock).toBeNull();
    expect(released.asset.headVersion).toBe(3);
  });

  it('numbers 20 concurrent check-ins across assets contiguously, without gaps or duplicates', async () => {
    const assets = await Promise.all(
      [0, 1, 2, 3].map(async (i) => a.call('assets.create', { uploadId: (await upload(alice, `asset ${i}`)).uploadId, name: `Race ${i}` })),
    );
    for (const asset of assets) await a.call('assets.checkout', { id: asset.id });
    const uploads = await Promise.all(Array.from({ length: 20 }, (_, i) => upload(alice, `change ${i}`)));
    const sockets = await Promise.all(Array.from({ length: 20 }, () => RawSocket.signedIn(server.wsUrl, alice.token)));
    const results = await Promise.all(
      uploads.map((u, i) => sockets[i]!.call('assets.checkin', { id: assets[i % 4].id, uploadId: u.uploadId, keepLocked: true })),
    );
    expect(results).toHaveLength(20);
    for (const asset of assets) {
      const list = await a.call('versions.list', { assetId: asset.id });
      expect(list.versions.map((v: any) => v.number).sort((x: number, y: number) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
      const fresh = await a.call('assets.get', { id: asset.id });
      expect(fresh.headVersion).toBe(6);
    }
    sockets.forEach((s) => s.close());
  });

  it('restores an old version as a new version with the old bytes', async () => {
    const first = await upload(alice, 'first bytes');
    const asset = await a.call('assets.create', { uploadId: first.uploadId });
    await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'second bytes')).uploadId, baseVersion: 1 });
    const restored = await a.call('versions.restore', { assetId: asset.id, number: 1, baseVersion: 2 });
    expect(restored.version).toMatchObject({ number: 3, restoredFrom: 1, sha256: first.sha256 });
    expect(restored.asset.head.sha256).toBe(first.sha256);
    const missing = await a.request('versions.restore', { assetId: asset.id, number: 9, baseVersion: 3 });
    expect(missing.error?.code).toBe('NOT_FOUND');
  });

  it('refuses a baseVersion greater than the head, or taken from another asset', async () => {
    const asset = await a.call('assets.create', { uploadId: (await upload(alice, 'b1')).uploadId });
    const ahead = await a.request('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'b2')).uploadId, baseVersion: 2 });
    expect(ahead.error?.code).toBe('VERSION_CONFLICT');
    expect(ahead.error?.data).toMatchObject({ headVersion: 1, baseVersion: 2 });
    expect(ahead.error?.message).toMatch(/has no version 2 yet/);
    // Another asset's head (3) is not this asset's base: refused, nothing written.
    const other = await a.call('assets.create', { uploadId: (await upload(alice, 'o1')).uploadId });
    await a.call('assets.checkin', { id: other.id, uploadId: (await upload(alice, 'o2')).uploadId, baseVersion: 1 });
    await a.call('assets.checkin', { id: other.id, uploadId: (await upload(alice, 'o3')).uploadId, baseVersion: 2 });
    await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'b2')).uploadId, baseVersion: 1 });
    const foreign = await a.request('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'b3')).uploadId, baseVersion: 3 });
    expect(foreign.error?.code).toBe('VERSION_CONFLICT');
    expect(foreign.error?.data).toMatchObject({ headVersion: 2, baseVersion: 3 });
    expect((await a.call('assets.get', { id: asset.id })).headVersion).toBe(2);
    expect((await a.call('assets.get', { id: other.id })).headVersion).toBe(3);
  });

  it('records the base version of every check-in in its audit row, and an explicit override', async () => {
    const asset = await a.call('assets.create', { uploadId: (await upload(alice, 'a1')).uploadId });
    await b.call('assets.checkin', { id: asset.id, uploadId: (await upload(bob, 'a2')).uploadId, baseVersion: 1 });
    await a.call('assets.checkout', { id: asset.id });
    await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'a3')).uploadId });
    // Bob's document started from v1; he overrides on top of v3, knowingly.
    const overridden = await b.call('assets.checkin', {
      id: asset.id,
      uploadId: (await upload(bob, 'a4')).uploadId,
      baseVersion: 3,
      override: { startedFrom: 1 },
    });
    expect(overridden.version.number).toBe(4);
    const rows = await server.stockroom.database.prisma.auditEvent.findMany({
      where: { targetId: asset.id, action: 'asset.checkin' },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((row) => row.data)).toEqual([
      { number: 2, sha256: expect.any(String), baseVersion: 1, underLock: false },
      { number: 3, sha256: expect.any(String), baseVersion: 2, underLock: true },
      { number: 4, sha256: expect.any(String), baseVersion: 3, underLock: false, override: { startedFrom: 1 } },
    ]);
    expect(rows[2]!.actorId).toBe(bob.id);
  });

  it('accepts an override only on top of the current head, and only over a newer head', async () => {
    const asset = await a.call('assets.create', { uploadId: (await upload(alice, 'c1')).uploadId });
    await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'c2')).uploadId, baseVersion: 1 });
    // Somebody checked in again between the dialog and the click: the override is refused too.
    await a.call('assets.checkin', { id: asset.id, uploadId: (await upload(alice, 'c3')).uploadId, baseVersion: 2 });
    const late = await b.request('assets.checkin', {
      id: asset.id,
      uploadId: (await upload(bob, 'c4')).uploadId,
      baseVersion: 2,
      override: { startedFrom: 1 },
    });
    expect(late.error?.code).toBe('VERSION_CONFLICT');
    expect(late.error?.data).toMatchObject({ headVersion: 3, baseVersion: 2 });
    const pointless = await b.request('assets.checkin', {
      id: asset.id,
      uploadId: (await upload(bob, 'c4')).uploadId,
      baseVersion: 3,
      override: { startedFrom: 3 },
    });
    expect(pointless.error?.code).toBe('VALIDATION_FAILED');
    const noBase = await b.request('assets.checkin', { id: asset.id, uploadId: (await upload(bob, 'c4')).uploadId, override: { startedFrom: 1 } });
    expect(noBase.error?.code).toBe('VALIDATION_FAILED');
    expect((await a.call('assets.get', { id: asset.id })).headVersion).toBe(3);
  });

  it('uses an upload once, and only its owner may use it', async () => {
    const u = await upload(alice, 'once');
    await a.call('assets.create', { uploadId: u.uploadId });
    const twice = await a.request('assets.create', { uploadId: u.uploadId });
    expect(twice.error?.code).toBe('CONFLICT');
    const other = await upload(alice, 'theirs');
    const stolen = await b.request('assets.create', { uploadId: other.uploadId });
    expect(stolen.error?.code).toBe('NOT_FOUND');
  });
});
