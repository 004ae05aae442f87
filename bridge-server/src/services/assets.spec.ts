import { describe, expect, it } from 'vitest';
import { NO_TX } from '../../test/unit/fakes/in-memory-db.ts';
import { assetWorld, failure } from '../../test/unit/fakes/world.ts';

describe('AssetsService', () => {
  it('creates version 1 from the caller’s upload, with normalised tags, an audit row and two events', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const asset = await w.assets.create(ada, { uploadId: w.uploads.add(ada.user.id, 'Hero Shot.PNG'), tags: [' Sale ', 'sale', 'Print', ''] });
    expect(asset).toMatchObject({
      name: 'Hero Shot',
      headVersion: 1,
      tags: ['sale', 'print'],
      collectionId: null,
      head: { number: 1, originalName: 'Hero Shot.PNG' },
    });
    expect(w.eventNames()).toEqual(['asset.created', 'version.created']);
    expect(w.audit).toMatchObject([{ action: 'asset.create', targetId: asset.id }]);
  });

  it('refuses a collection that does not exist, or one the caller may not add to, and keeps the upload unused', async () => {
    const w = assetWorld();
    const c = w.repo.addCollection();
    const viewer = w.actor('Vic', { grants: { [c]: 'viewer' } });
    const uploadId = w.uploads.add(viewer.user.id);
    expect((await failure(w.assets.create(viewer, { uploadId, collectionId: c }))).code).toBe('FORBIDDEN');
    const admin = w.actor('Root', { role: 'admin' });
    const missing = crypto.randomUUID();
    expect((await failure(w.assets.create(admin, { uploadId: w.uploads.add(admin.user.id), collectionId: missing }))).data).toEqual({ collectionId: missing });
    expect((await w.assets.create(viewer, { uploadId })).headVersion).toBe(1);
  });

  it('moving an asset needs delete rights where it is and create rights where it goes', async () => {
    const w = assetWorld();
    const from = w.repo.addCollection();
    const to = w.repo.addCollection();
    const admin = w.actor('Root', { role: 'admin' });
    const asset = await w.createAsset(admin, from);
    const editorHere = w.actor('Ed', { grants: { [from]: 'editor' } });
    expect((await failure(w.assets.update(editorHere, { id: asset.id, collectionId: to }))).code).toBe('NOT_FOUND');
    const editorBoth = w.actor('Bo', { grants: { [from]: 'editor', [to]: 'contributor' } });
    expect((await w.assets.update(editorBoth, { id: asset.id, collectionId: to, name: 'Moved' })).collectionId).toBe(to);
    expect(w.audit.at(-1)).toMatchObject({ action: 'asset.update', data: { changed: ['collectionId', 'name'] } });
  });

  it('deletes into the trash, removing the caller’s own lock, but not somebody else’s', async () => {
    const w = assetWorld();
    const ada = w.actor('Ada');
    const bob = w.actor('Bob');
    const mine = await w.createAsset(ada);
    await w.locks.checkout(ada, mine.id);
    const { deletedAt } = await w.assets.delete(ada, mine.id);
    expect((await w.repo.find(NO_TX, mine.id))?.deletedAt?.toISOString()).toBe(deletedAt);
    expect(await w.repo.lock(NO_TX, mine.id)).toBeNull();
    expect((await failure(w.assets.get(ada, mine.id))).code).toBe('NOT_FOUND');
    const theirs = await w.createAsset(bob);
    expect((await failure(w.assets.delete(ada, theirs.id))).code).toBe('FORBIDDEN');
    await w.locks.checkout(ada, theirs.id);
    expect((await failure(w.assets.delete(bob, theirs.id))).code).toBe('ASSET_LOCKED');
    expect((await w.repo.find(NO_TX, theirs.id))?.deletedAt).toBeNull();
  });
});
