import { describe, expect, it } from 'vitest';
import { NO_TX } from '../../test/unit/fakes/in-memory-db.ts';
import { assetWorld, failure } from '../../test/unit/fakes/world.ts';

/** An asset by Ada at version 1, and what it takes to check in on it. */
async function setUp() {
  const w = assetWorld();
  const ada = w.actor('Ada');
  const bob = w.actor('Bob');
  const asset = await w.createAsset(ada);
  const upload = (who = ada) => w.uploads.add(who.user.id, 'next.png', `bytes-${Math.random()}`);
  return { w, ada, bob, asset, upload };
}

describe('check-in (VersionsService.checkin)', () => {
  it('with the caller’s lock: writes version head + 1, releases the lock, records the basis', async () => {
    const { w, ada, asset, upload } = await setUp();
    await w.locks.checkout(ada, asset.id);
    const { asset: after, version } = await w.versions.checkin(ada, { id: asset.id, uploadId: upload(), comment: 'retouched' });
    expect(version).toMatchObject({ number: 2, comment: 'retouched', author: { id: ada.user.id } });
    expect(after).toMatchObject({ headVersion: 2, lock: null });
    expect(w.audit.find((a) => a.action === 'asset.checkin')?.data).toMatchObject({ number: 2, baseVersion: 1, underLock: true });
    expect(w.eventNames().slice(-3)).toEqual(['version.created', 'asset.unlocked', 'asset.updated']);
  });

  it('keepLocked keeps the caller’s lock', async () => {
    const { w, ada, asset, upload } = await setUp();
    await w.locks.checkout(ada, asset.id);
    const { asset: after } = await w.versions.checkin(ada, { id: asset.id, uploadId: upload(), keepLocked: true });
    expect(after.lock?.holder.id).toBe(ada.user.id);
  });

  it('without a lock: needs baseVersion equal to the head', async () => {
    const { w, ada, asset, upload } = await setUp();
    const { version } = await w.versions.checkin(ada, { id: asset.id, uploadId: upload(), baseVersion: 1 });
    expect(version.number).toBe(2);
    expect(w.audit.find((a) => a.action === 'asset.checkin')?.data).toMatchObject({ baseVersion: 1, underLock: false });
  });

  it('without a lock and without baseVersion: VERSION_CONFLICT, and nothing is written', async () => {
    const { w, ada, asset, upload } = await setUp();
    const error = await failure(w.versions.checkin(ada, { id: asset.id, uploadId: upload() }));
    expect(error.code).toBe('VERSION_CONFLICT');
    expect(error.data).toEqual({ headVersion: 1 });
    expect((await w.repo.find(NO_TX, asset.id))?.headVersion).toBe(1);
  });

  it('a stale baseVersion: VERSION_CONFLICT naming the newer head; a future one likewise', async () => {
    const { w, ada, bob, asset, upload } = await setUp();
    await w.versions.checkin(bob, { id: asset.id, uploadId: upload(bob), baseVersion: 1 });
    const stale = await failure(w.versions.checkin(ada, { id: asset.id, uploadId: upload(), baseVersion: 1 }));
    expect(stale.code).toBe('VERSION_CONFLICT');
    expect(stale.data).toEqual({ headVersion: 2, baseVersion: 1 });
    const future = await failure(w.versions.checkin(ada, { id: asset.id, uploadId: upload(), baseVersion: 7 }));
    expect(future.code).toBe('VERSION_CONFLICT');
    expect(future.message).toMatch(/no version 7 yet/);
  });

  it('somebody else’s lock: ASSET_LOCKED, even with the right baseVersion, and the upload stays unused', async () => {
    const { w, ada, bob, asset, upload } = await setUp();
    await w.locks.checkout(bob, asset.id);
    const uploadId = upload();
    expect((await failure(w.versions.checkin(ada, { id: asset.id, uploadId, baseVersion: 1 }))).code).toBe('ASSET_LOCKED');
    await w.locks.release(bob, asset.id);
    expect((await w.versions.checkin(ada, { id: asset.id, uploadId, baseVersion: 1 })).version.number).toBe(2);
  });

  it('an override needs a newer head between where the document started and baseVersion', async () => {
    const { w, ada, bob, asset, upload } = await setUp();
    const pointless = await failure(w.versions.checkin(ada, { id: asset.id, uploadId: upload(), baseVersion: 1, override: { startedFrom: 1 } }));
    expect(pointless.code).toBe('VALIDATION_FAILED');
    const noBase = await failure(w.versions.checkin(ada, { id: asset.id, uploadId: upload(), override: { startedFrom: 0 } }));
    expect(noBase.code).toBe('VALIDATION_FAILED');
    await w.versions.checkin(bob, { id: asset.id, uploadId: upload(bob), baseVersion: 1 });
    const override = { startedFrom: 1 };
    await w.versions.checkin(ada, { id: asset.id, uploadId: upload(), baseVersion: 2, override });
    expect(w.audit.filter((a) => a.action === 'asset.checkin').at(-1)?.data).toMatchObject({ baseVersion: 2, override });
  });

  it('an upload is used once: the second check-in with it is refused and rolls back', async () => {
    const { w, ada, asset, upload } = await setUp();
    const uploadId = upload();
    await w.versions.checkin(ada, { id: asset.id, uploadId, baseVersion: 1 });
    expect((await failure(w.versions.checkin(ada, { id: asset.id, uploadId, baseVersion: 2 }))).code).toBe('CONFLICT');
    expect((await w.repo.find(NO_TX, asset.id))?.headVersion).toBe(2);
  });

  it('needs write access: a viewer gets FORBIDDEN, someone without access NOT_FOUND, a deleted asset NOT_FOUND', async () => {
    const w = assetWorld();
    const c = w.repo.addCollection();
    const admin = w.actor('Root', { role: 'admin' });
    const asset = await w.createAsset(admin, c);
    const viewer = w.actor('Vic', { grants: { [c]: 'viewer' } });
    expect((await failure(w.versions.checkin(viewer, { id: asset.id, uploadId: w.uploads.add(viewer.user.id), baseVersion: 1 }))).code).toBe('FORBIDDEN');
    const eve = w.actor('Eve');
    expect((await failure(w.versions.checkin(eve, { id: asset.id, uploadId: w.uploads.add(eve.user.id), baseVersion: 1 }))).code).toBe('NOT_FOUND');
    await w.assets.delete(admin, asset.id);
    expect((await failure(w.versions.checkin(admin, { id: asset.id, uploadId: w.uploads.add(admin.user.id), baseVersion: 1 }))).code).toBe('NOT_FOUND');
  });
});

describe('restore (VersionsService.restore)', () => {
  it('makes a new head with the old bytes, restoredFrom and a default comment', async () => {
    const { w, ada, asset, upload } = await setUp();
    await w.versions.checkin(ada, { id: asset.id, uploadId: upload(), baseVersion: 1 });
    const v1 = await w.repo.version(NO_TX, asset.id, 1);
    const { version } = await w.versions.restore(ada, { assetId: asset.id, number: 1, baseVersion: 2 });
    expect(version).toMatchObject({ number: 3, restoredFrom: 1, comment: 'Restored version 1', sha256: v1?.blobSha256 });
    expect(w.audit.at(-1)).toMatchObject({ action: 'version.restore', data: { restoredFrom: 1, baseVersion: 2 } });
  });

  it('follows the check-in rules: lock or current baseVersion, no foreign lock', async () => {
    const { w, ada, bob, asset } = await setUp();
    expect((await failure(w.versions.restore(ada, { assetId: asset.id, number: 1 }))).code).toBe('VERSION_CONFLICT');
    await w.locks.checkout(bob, asset.id);
    expect((await failure(w.versions.restore(ada, { assetId: asset.id, number: 1, baseVersion: 1 }))).code).toBe('ASSET_LOCKED');
    expect((await w.versions.restore(bob, { assetId: asset.id, number: 1 })).asset.lock).toBeNull();
  });

  it('answers NOT_FOUND for a version that does not exist, and writes nothing', async () => {
    const { w, ada, asset } = await setUp();
    const error = await failure(w.versions.restore(ada, { assetId: asset.id, number: 9, baseVersion: 1 }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.data).toEqual({ assetId: asset.id, number: 9 });
    expect((await w.repo.find(NO_TX, asset.id))?.headVersion).toBe(1);
  });
});
