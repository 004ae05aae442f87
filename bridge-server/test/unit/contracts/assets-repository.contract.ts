import { beforeAll, describe, expect, it } from 'vitest';
import type { AssetsRepository, NewAssetRow } from '../../../src/repositories/assets.ts';
import type { Tx } from '../../../src/repositories/db.ts';

/** What a contract run needs: the repository, a transaction handle, and rows it may point at. */
export interface AssetsRepositorySubject {
  repo: AssetsRepository;
  tx: Tx;
  /** A user the rows may name (author, creator, lock holder). */
  user(name: string): Promise<string>;
  collection(): Promise<string>;
  /** A stored blob a version may point at. */
  blob(): Promise<string>;
}

/**
 * The behaviour the services rely on, run against the Prisma repository on a real
 * PostgreSQL (test/core/assets-repository.test.ts) and against the in-memory fake of the
 * unit tier (test/unit/assets-repository.test.ts): the fake cannot drift from the database.
 */
export function assetsRepositoryContract(label: string, makeSubject: () => Promise<AssetsRepositorySubject>): void {
  describe(`AssetsRepository contract: ${label}`, () => {
    let s: AssetsRepositorySubject;
    let ada: string;
    let bob: string;
    let sha: string;
    const newAsset = (over: Partial<NewAssetRow> = {}): NewAssetRow => ({
      name: 'Poster',
      description: 'A poster',
      kind: 'image',
      tags: ['print', 'sale'],
      metadata: { client: 'Acme' },
      collectionId: null,
      createdById: ada,
      version: {
        blobSha256: sha,
        size: 1234,
        mimeType: 'image/png',
        originalName: 'poster.png',
        comment: 'first',
        authorId: ada,
        clientApp: 'photoshop',
        restoredFrom: null,
      },
      ...over,
    });

    beforeAll(async () => {
      s = await makeSubject();
      ada = await s.user('Ada');
      bob = await s.user('Bob');
      sha = await s.blob();
    });

    it('creates an asset with version 1 as its head, read back whole', async () => {
      const created = await s.repo.create(s.tx, newAsset());
      expect(created).toMatchObject({
        name: 'Poster',
        description: 'A poster',
        kind: 'image',
        tags: ['print', 'sale'],
        metadata: { client: 'Acme' },
        headVersion: 1,
        deletedAt: null,
        lock: null,
      });
      expect(created.createdBy).toMatchObject({ id: ada, name: 'Ada' });
      expect(created.versions).toHaveLength(1);
      expect(created.versions[0]).toMatchObject({
        number: 1,
        blobSha256: sha,
        size: 1234n,
        mimeType: 'image/png',
        originalName: 'poster.png',
        comment: 'first',
        clientApp: 'photoshop',
        restoredFrom: null,
      });
      expect(created.versions[0]!.author).toMatchObject({ id: ada });
      expect(await s.repo.find(s.tx, created.id)).toEqual(created);
      expect((await s.repo.findMany(s.tx, [created.id, crypto.randomUUID()])).map((a) => a.id)).toEqual([created.id]);
    });

    it('answers null for an asset that does not exist', async () => {
      const id = crypto.randomUUID();
      expect(await s.repo.find(s.tx, id)).toBeNull();
      expect(await s.repo.lockRow(s.tx, id)).toBeNull();
      expect(await s.repo.place(s.tx, id)).toBeNull();
      expect(await s.repo.lock(s.tx, id)).toBeNull();
      expect(await s.repo.version(s.tx, id, 1)).toBeNull();
      expect(await s.repo.versionWithPlace(s.tx, id, 1)).toBeNull();
      expect(await s.repo.versions(s.tx, id)).toEqual([]);
    });

    it('reads the facts the rules need, in and out of the trash', async () => {
      const collectionId = await s.collection();
      const { id } = await s.repo.create(s.tx, newAsset({ collectionId, createdById: bob }));
      expect(await s.repo.lockRow(s.tx, id)).toEqual({ id, collectionId, headVersion: 1, deletedAt: null, createdById: bob });
      expect(await s.repo.place(s.tx, id)).toEqual({ collectionId, deletedAt: null });
      const at = new Date('2026-01-02T03:04:05.678Z');
      expect(await s.repo.markDeleted(s.tx, id, at)).toEqual({ collectionId });
      expect(await s.repo.lockRow(s.tx, id)).toMatchObject({ deletedAt: at });
      expect((await s.repo.find(s.tx, id))?.deletedAt).toEqual(at);
    });

    it('knows which collections exist', async () => {
      expect(await s.repo.collectionExists(s.tx, await s.collection())).toBe(true);
      expect(await s.repo.collectionExists(s.tx, crypto.randomUUID())).toBe(false);
    });

    it('updates only the fields given', async () => {
      const { id } = await s.repo.create(s.tx, newAsset());
      const target = await s.collection();
      const updated = await s.repo.update(s.tx, id, { name: 'Renamed', tags: ['x'], collectionId: target });
      expect(updated).toMatchObject({ name: 'Renamed', description: 'A poster', tags: ['x'], collectionId: target, metadata: { client: 'Acme' } });
      expect((await s.repo.update(s.tx, id, { collectionId: null })).collectionId).toBeNull();
    });

    it('moves the head and adds numbered versions in one step, newest first with their authors', async () => {
      const { id } = await s.repo.create(s.tx, newAsset());
      const before = (await s.repo.find(s.tx, id))!;
      const v2 = await s.repo.appendVersion(
        s.tx,
        id,
        { blobSha256: sha, size: 99, mimeType: 'image/png', originalName: 'p2.png', comment: 'second', authorId: bob, clientApp: 'api', restoredFrom: 1 },
        { releaseLock: false },
      );
      expect(v2.version).toMatchObject({ assetId: id, number: 2, size: 99n, comment: 'second', authorId: bob, restoredFrom: 1, metadata: {} });
      expect(v2.version.createdAt).toBeInstanceOf(Date);
      expect(v2.assetUpdatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
      const v3 = await s.repo.appendVersion(
        s.tx,
        id,
        { blobSha256: sha, size: 1, mimeType: 'x/y', originalName: 'p3', comment: '', authorId: ada, clientApp: 'api', restoredFrom: null },
        { releaseLock: false },
      );
      expect(v3.version).toMatchObject({ number: 3, restoredFrom: null });
      expect((await s.repo.versions(s.tx, id)).map((v) => [v.number, v.author.name])).toEqual([
        [3, 'Ada'],
        [2, 'Bob'],
        [1, 'Ada'],
      ]);
      expect(await s.repo.version(s.tx, id, 2)).toEqual(v2.version);
      expect(await s.repo.versionWithPlace(s.tx, id, 1)).toMatchObject({ number: 1, asset: { collectionId: null, deletedAt: null } });
      const row = await s.repo.find(s.tx, id);
      expect(row?.headVersion).toBe(3);
      expect(row?.updatedAt).toEqual(v3.assetUpdatedAt);
      expect(row?.versions.map((v) => v.number)).toEqual([3]);
      await expect(
        s.repo.appendVersion(
          s.tx,
          crypto.randomUUID(),
          { blobSha256: sha, size: 1, mimeType: 'x/y', originalName: 'x', comment: '', authorId: ada, clientApp: 'api', restoredFrom: null },
          { releaseLock: false },
        ),
      ).rejects.toThrow();
    });

    it('gives up the lock with the new version only when asked', async () => {
      const { id } = await s.repo.create(s.tx, newAsset());
      await s.repo.insertLock(s.tx, { assetId: id, holderId: bob, clientApp: 'premiere' });
      const row = {
        blobSha256: sha,
        size: 5,
        mimeType: 'image/png',
        originalName: 'p.png',
        comment: '',
        authorId: bob,
        clientApp: 'premiere',
        restoredFrom: null,
      };
      await s.repo.appendVersion(s.tx, id, row, { releaseLock: false });
      expect(await s.repo.lock(s.tx, id)).toMatchObject({ holderId: bob });
      await s.repo.appendVersion(s.tx, id, row, { releaseLock: true });
      expect(await s.repo.lock(s.tx, id)).toBeNull();
      expect((await s.repo.find(s.tx, id))?.headVersion).toBe(3);
    });

    it('reads a locked asset whole for a new version: its columns, its creator and its lock', async () => {
      const collectionId = await s.collection();
      const created = await s.repo.create(s.tx, newAsset({ collectionId, createdById: bob }));
      const { versions: _versions, createdBy: _creator, lock: _lock, ...columns } = created;
      const unlocked = await s.repo.lockForVersion(s.tx, created.id);
      expect(unlocked).toEqual({ ...columns, createdBy: { id: bob, name: 'Bob', email: created.createdBy.email }, lock: null });
      await s.repo.insertLock(s.tx, { assetId: created.id, holderId: ada, clientApp: 'photoshop' });
      const stored = (await s.repo.lock(s.tx, created.id))!;
      const locked = await s.repo.lockForVersion(s.tx, created.id);
      expect(locked?.lock).toEqual({
        assetId: created.id,
        holderId: ada,
        clientApp: 'photoshop',
        createdAt: stored.createdAt,
        holder: { id: ada, name: 'Ada', email: stored.holder.email },
      });
      const at = new Date('2026-01-02T03:04:05.678Z');
      await s.repo.markDeleted(s.tx, created.id, at);
      expect(await s.repo.lockForVersion(s.tx, created.id)).toMatchObject({ deletedAt: at });
      expect(await s.repo.lockForVersion(s.tx, crypto.randomUUID())).toBeNull();
    });

    it('holds at most one lock per asset: the first insert wins, the second sees it', async () => {
      const { id } = await s.repo.create(s.tx, newAsset());
      expect(await s.repo.insertLock(s.tx, { assetId: id, holderId: ada, clientApp: 'premiere' })).toBe(true);
      expect(await s.repo.insertLock(s.tx, { assetId: id, holderId: bob, clientApp: 'figma' })).toBe(false);
      const lock = await s.repo.lock(s.tx, id);
      expect(lock).toMatchObject({ assetId: id, holderId: ada, clientApp: 'premiere', holder: { id: ada, name: 'Ada' } });
      expect(lock?.createdAt).toBeInstanceOf(Date);
      expect((await s.repo.find(s.tx, id))?.lock).toMatchObject({ holderId: ada });
      await s.repo.deleteLock(s.tx, id);
      expect(await s.repo.lock(s.tx, id)).toBeNull();
      await expect(s.repo.deleteLock(s.tx, id)).rejects.toThrow();
      expect(await s.repo.insertLock(s.tx, { assetId: id, holderId: bob, clientApp: 'figma' })).toBe(true);
    });
  });
}
