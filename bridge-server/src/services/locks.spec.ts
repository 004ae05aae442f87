import { describe, expect, it } from 'vitest';
import { NO_TX } from '../../test/unit/fakes/in-memory-db.ts';
import { assetWorld, failure } from '../../test/unit/fakes/world.ts';

describe('check-out (LocksService.checkout)', () => {
  it('locks the asset for the caller, tells everyone, and writes the audit row', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const asset = await w.createAsset(ada);
    const out = await w.locks.checkout(ada, asset.id);
    expect(out.lock).toMatchObject({ holder: { id: ada.user.id }, clientApp: 'photoshop' });
    expect(w.eventNames().slice(-1)).toEqual(['asset.locked']);
    expect(w.audit.at(-1)).toMatchObject({ action: 'asset.checkout', targetId: asset.id, actorId: ada.user.id });
  });

  it('is a no-op for the holder checking out again (no second event)', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const asset = await w.createAsset(ada);
    await w.locks.checkout(ada, asset.id);
    const before = w.events.length;
    expect((await w.locks.checkout(ada, asset.id)).lock?.holder.id).toBe(ada.user.id);
    expect(w.events.length).toBe(before);
  });

  it('refuses a second person with ASSET_LOCKED naming the holder, app and time', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const bob = w.actor('Bob');
    const asset = await w.createAsset(ada);
    await w.locks.checkout(ada, asset.id);
    const error = await failure(w.locks.checkout(bob, asset.id));
    expect(error.code).toBe('ASSET_LOCKED');
    expect(error.data).toMatchObject({ holder: { id: ada.user.id, name: 'Ada' }, clientApp: 'photoshop' });
    expect(error.message).toMatch(/Ada .* has this asset checked out in photoshop/);
  });

  it('answers NOT_FOUND for a missing or deleted asset, and for one the caller may not read', async () => {
    const w = assetWorld();
    const admin = w.actor('Root', { role: 'admin' });
    const secret = w.repo.addCollection();
    const outsider = w.actor('Eve');
    expect((await failure(w.locks.checkout(admin, crypto.randomUUID()))).code).toBe('NOT_FOUND');
    const hidden = await w.createAsset(admin, secret);
    const error = await failure(w.locks.checkout(outsider, hidden.id));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.data).toEqual({ assetId: hidden.id });
    await w.assets.delete(admin, hidden.id);
    expect((await failure(w.locks.checkout(admin, hidden.id))).code).toBe('NOT_FOUND');
  });

  it('needs at least the editor role in the collection: a viewer gets FORBIDDEN', async () => {
    const w = assetWorld();
    const admin = w.actor('Root', { role: 'admin' });
    const c = w.repo.addCollection();
    const asset = await w.createAsset(admin, c);
    const viewer = w.actor('Vic', { grants: { [c]: 'viewer' } });
    expect((await failure(w.locks.checkout(viewer, asset.id))).code).toBe('FORBIDDEN');
    const editor = w.actor('Ed', { grants: { [c]: 'editor' } });
    expect((await w.locks.checkout(editor, asset.id)).lock?.holder.id).toBe(editor.user.id);
  });

  it('refuses a read-only token', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const asset = await w.createAsset(ada);
    expect((await failure(w.locks.checkout({ ...ada, scopes: ['read'] }, asset.id))).code).toBe('FORBIDDEN');
  });
});

describe('release (LocksService.release)', () => {
  it('lets the holder release, with an unforced asset.unlocked event', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const asset = await w.createAsset(ada);
    await w.locks.checkout(ada, asset.id);
    expect((await w.locks.release(ada, asset.id)).lock).toBeNull();
    expect(w.events.at(-1)).toMatchObject({ event: 'asset.unlocked', data: { forced: false, previousHolder: { id: ada.user.id } } });
    expect(w.audit.at(-1)).toMatchObject({ action: 'asset.release' });
  });

  it('is idempotent when nobody holds the lock, and refuses somebody else’s lock', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const bob = w.actor('Bob');
    const asset = await w.createAsset(ada);
    const before = w.events.length;
    expect((await w.locks.release(ada, asset.id)).lock).toBeNull();
    expect(w.events.length).toBe(before);
    await w.locks.checkout(ada, asset.id);
    expect((await failure(w.locks.release(bob, asset.id))).code).toBe('ASSET_LOCKED');
    expect((await w.repo.lock(NO_TX, asset.id))?.holderId).toBe(ada.user.id);
  });
});

describe('force-unlock (LocksService.forceUnlock)', () => {
  it('lets a manager of the collection remove somebody else’s lock, recording the reason', async () => {
    const w = assetWorld();
    const c = w.repo.addCollection();
    const editor = w.actor('Ed', { grants: { [c]: 'editor' } });
    const manager = w.actor('Mia', { grants: { [c]: 'manager' } });
    const asset = await w.createAsset(w.actor('Root', { role: 'admin' }), c);
    await w.locks.checkout(editor, asset.id);
    expect((await w.locks.forceUnlock(manager, asset.id, 'on holiday')).lock).toBeNull();
    expect(w.events.at(-1)).toMatchObject({ event: 'asset.unlocked', data: { forced: true, reason: 'on holiday', by: { id: manager.user.id } } });
    expect(w.audit.at(-1)).toMatchObject({ action: 'asset.forceUnlock', data: { previousHolder: editor.user.id, reason: 'on holiday' } });
  });

  it('refuses an editor (FORBIDDEN), and hides the asset from someone who may not read it (NOT_FOUND)', async () => {
    const w = assetWorld();
    const c = w.repo.addCollection();
    const editor = w.actor('Ed', { grants: { [c]: 'editor' } });
    const asset = await w.createAsset(w.actor('Root', { role: 'admin' }), c);
    await w.locks.checkout(editor, asset.id);
    const other = w.actor('Oz', { grants: { [c]: 'editor' } });
    expect((await failure(w.locks.forceUnlock(other, asset.id))).code).toBe('FORBIDDEN');
    expect((await failure(w.locks.forceUnlock(w.actor('Eve'), asset.id))).code).toBe('NOT_FOUND');
    expect((await w.repo.lock(NO_TX, asset.id))?.holderId).toBe(editor.user.id);
  });

  it('on an unfiled asset only an administrator may force-unlock', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const asset = await w.createAsset(ada);
    await w.locks.checkout(ada, asset.id);
    expect((await failure(w.locks.forceUnlock(w.actor('Bob'), asset.id))).code).toBe('FORBIDDEN');
    expect((await w.locks.forceUnlock(w.actor('Root', { role: 'admin' }), asset.id)).lock).toBeNull();
  });

  it('does nothing when there is no lock', async () => {
    const w = assetWorld();
    const admin = w.actor('Root', { role: 'admin' });
    const asset = await w.createAsset(admin);
    const before = w.events.length;
    expect((await w.locks.forceUnlock(admin, asset.id)).lock).toBeNull();
    expect(w.events.length).toBe(before);
  });
});
