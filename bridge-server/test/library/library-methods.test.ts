import { createHash, randomBytes } from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryRepository } from '../../src/repositories/library.ts';
import { LibraryService } from '../../src/services/library.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let admin: RawSocket;
let editor: TestUser;
let editorSocket: RawSocket;
let brand: string;
let archive: string;
let adminId: string;

async function newAsset(name: string, options: { collectionId?: string; tags?: string[]; bytes?: Buffer } = {}): Promise<string> {
  const upload = await seedUpload(server.stockroom, adminId, { fileName: name, bytes: options.bytes ?? randomBytes(2048) });
  const asset = await admin.call('assets.create', {
    uploadId: upload.uploadId,
    name,
    ...(options.collectionId ? { collectionId: options.collectionId } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
  });
  return asset.id;
}

async function searchable(q: string, expected: number): Promise<void> {
  await expect.poll(async () => (await admin.call('assets.search', { q, sort: 'relevance' })).total, { timeout: 15_000 }).toBe(expected);
}

const row = (id: string) => server.stockroom.database.prisma.asset.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  server = await startTestServer({ env: { TRASH_RETENTION_DAYS: '7' } });
  adminId = (await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } })).id;
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  brand = (await admin.call('collections.create', { name: 'Brand' })).id;
  archive = (await admin.call('collections.create', { name: 'Archive' })).id;
  editor = await server.createUser({ name: 'Edith Editor' });
  await admin.call('grants.set', { collectionId: brand, subjectType: 'user', subjectId: editor.id, role: 'editor' });
  editorSocket = await RawSocket.signedIn(server.wsUrl, editor.token);
});

afterAll(async () => {
  admin?.close();
  editorSocket?.close();
  await server?.destroy();
});

describe('library.bulk', () => {
  it('adds and removes tags on the assets ticked, keeping their other tags', async () => {
    const a = await newAsset('tagme-a.png', { collectionId: brand, tags: ['draft', 'blue'] });
    const b = await newAsset('tagme-b.png', { collectionId: brand, tags: ['Draft'] });
    const result = await editorSocket.call('library.bulk', { selection: { ids: [a, b] }, action: { type: 'tag', add: ['approved'], remove: ['draft'] } });
    expect(result).toEqual({ matched: 2, done: 2, failed: [] });
    expect((await row(a)).tags).toEqual(['blue', 'approved']);
    expect((await row(b)).tags).toEqual(['approved']);
    const audit = await server.stockroom.database.prisma.auditEvent.count({ where: { action: 'asset.update', targetId: { in: [a, b] } } });
    expect(audit).toBe(2);
  });

  it('moves every asset matching a search ("select all matching") into another collection', async () => {
    const ids = await Promise.all(['moveme one.png', 'moveme two.png', 'moveme three.png'].map((n) => newAsset(n, { collectionId: brand })));
    const stay = await newAsset('stays put.png', { collectionId: brand });
    await searchable('moveme', 3);
    const result = await admin.call('library.bulk', {
      selection: { query: { q: 'moveme', filters: { collectionId: brand } } },
      action: { type: 'move', collectionId: archive },
    });
    expect(result).toMatchObject({ matched: 3, done: 3, failed: [] });
    for (const id of ids) expect((await row(id)).collectionId).toBe(archive);
    expect((await row(stay)).collectionId).toBe(brand);
  });

  it('refuses the whole action, changing nothing, when one asset is not the caller’s to change', async () => {
    const readOnly = (await admin.call('collections.create', { name: 'Read only for Edith' })).id;
    await admin.call('grants.set', { collectionId: readOnly, subjectType: 'user', subjectId: editor.id, role: 'viewer' });
    const mine = await newAsset('editable.png', { collectionId: brand });
    const theirs = await newAsset('not-editable.png', { collectionId: readOnly });
    const reply = await editorSocket.request('library.bulk', { selection: { ids: [mine, theirs] }, action: { type: 'delete' } });
    expect(reply.error?.code).toBe('FORBIDDEN');
    expect(reply.error?.message).toContain('Nothing was changed');
    expect((await row(mine)).deletedAt).toBeNull();
    expect((await row(theirs)).deletedAt).toBeNull();
  });

  it('answers an asset the caller may not read like a missing one, without its name, and does the rest', async () => {
    const mine = await newAsset('mine to delete.png', { collectionId: brand });
    const hidden = await newAsset('secret launch plan.png', { collectionId: archive });
    const missing = '00000000-0000-4000-8000-00000000beef';
    const reply = await editorSocket.request('library.bulk', { selection: { ids: [mine, hidden, missing] }, action: { type: 'delete' } });
    expect(reply.error).toBeUndefined();
    expect(reply.result.done).toBe(1);
    const asMissing = { name: '', code: 'NOT_FOUND', message: 'This asset does not exist or was deleted.' };
    expect(reply.result.failed).toEqual([
      { assetId: hidden, ...asMissing },
      { assetId: missing, ...asMissing },
    ]);
    expect(JSON.stringify(reply)).not.toContain('secret launch plan');
    expect((await row(hidden)).deletedAt).toBeNull();
    expect((await row(mine)).deletedAt).not.toBeNull();
  });

  it('reports an asset checked out by somebody else as failed, with the reason, and does the rest', async () => {
    const free = await newAsset('free.png', { collectionId: brand });
    const held = await newAsset('held.png', { collectionId: brand });
    const photoshop = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'photoshop');
    await photoshop.call('assets.checkout', { id: held });
    photoshop.close();
    const result = await editorSocket.call('library.bulk', { selection: { ids: [free, held] }, action: { type: 'delete' } });
    expect(result.done).toBe(1);
    expect(result.failed).toEqual([expect.objectContaining({ assetId: held, name: 'held.png', code: 'ASSET_LOCKED' })]);
    expect((await row(free)).deletedAt).not.toBeNull();
    expect((await row(held)).deletedAt).toBeNull();
  });

  it('answers bad input with VALIDATION_FAILED', async () => {
    const id = await newAsset('valid.png');
    for (const params of [
      { selection: { ids: [] }, action: { type: 'delete' } },
      { selection: { ids: [id] }, action: { type: 'tag', add: [], remove: [] } },
      { selection: { ids: [id] }, action: { type: 'paint' } },
      { selection: { ids: ['not-a-uuid'] }, action: { type: 'delete' } },
    ]) {
      const reply = await admin.request('library.bulk', params);
      expect(reply.error?.code, JSON.stringify(params)).toBe('VALIDATION_FAILED');
    }
    const missing = await admin.request('library.bulk', {
      selection: { ids: [id] },
      action: { type: 'move', collectionId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(missing.error?.code).toBe('NOT_FOUND');
  });
});

describe('trash', () => {
  it('lists deleted assets, restores them into search, and records the restore', async () => {
    const ids = await Promise.all(['trashme-1.png', 'trashme-2.png'].map((n) => newAsset(n, { collectionId: brand })));
    await searchable('trashme', 2);
    await editorSocket.call('library.bulk', { selection: { ids }, action: { type: 'delete' } });
    await searchable('trashme', 0);

    const trash = await editorSocket.call('library.trash', {});
    expect(trash.retentionDays).toBe(7);
    expect(trash.assets.map((a: any) => a.id)).toEqual(expect.arrayContaining(ids));
    expect(trash.assets.every((a: any) => a.deletedAt !== null)).toBe(true);
    // A viewer-less outsider sees none of the Brand trash.
    const outsider = await server.createUser();
    const outsiderSocket = await RawSocket.signedIn(server.wsUrl, outsider.token);
    expect((await outsiderSocket.call('library.trash', {})).assets.some((a: any) => ids.includes(a.id))).toBe(false);
    // To an outsider, who may not read the Brand collection, its deleted assets do not exist.
    const refused = await outsiderSocket.request('library.restore', { ids: [ids[0]] });
    expect(refused.error?.code).toBe('NOT_FOUND');
    outsiderSocket.close();

    const subscriber = await RawSocket.signedIn(server.wsUrl, server.adminToken);
    await subscriber.call('events.subscribe', { events: ['asset.restored'] });
    const result = await editorSocket.call('library.restore', { ids });
    expect(result).toEqual({ matched: 2, done: 2, failed: [] });
    await subscriber.event('asset.restored', (d: any) => d.asset.id === ids[0]);
    subscriber.close();
    await searchable('trashme', 2);
    expect(await server.stockroom.database.prisma.auditEvent.count({ where: { action: 'asset.restore', targetId: { in: ids } } })).toBe(2);
    const again = await editorSocket.call('library.restore', { ids: [ids[0]] });
    expect(again.failed).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });

  it('pages the trash with a cursor, most recently deleted first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newAsset(`paged-${i}.png`));
    for (const id of ids) await admin.call('assets.delete', { id });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.call('library.trash', { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.assets.length).toBeLessThanOrEqual(2);
      seen.push(...page.assets.map((a: any) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    const bad = await admin.request('library.trash', { cursor: 'garbage' });
    expect(bad.error?.code).toBe('VALIDATION_FAILED');
  });

  it('removes for good what has been in the trash longer than the retention period, and nothing younger', async () => {
    const old = await newAsset('long-gone.png');
    const recent = await newAsset('recently-deleted.png');
    await admin.call('assets.delete', { id: old });
    await admin.call('assets.delete', { id: recent });
    const prisma = server.stockroom.database.prisma;
    await prisma.asset.update({ where: { id: old }, data: { deletedAt: new Date(Date.now() - 8 * 24 * 3600_000) } });
    await prisma.asset.update({ where: { id: recent }, data: { deletedAt: new Date(Date.now() - 6 * 24 * 3600_000) } });
    // The purge the server runs hourly, run now.
    const s = server.stockroom.services;
    const noSearch = () => {
      throw new Error('the purge does not search');
    };
    const library = new LibraryService(prisma, new LibraryRepository(prisma), s.access, s.changes, s.assets, noSearch, { trashRetentionDays: 7 });
    const purged = await library.purgeExpired();
    expect(purged).toBe(1);
    expect(await prisma.asset.findUnique({ where: { id: old } })).toBeNull();
    expect(await prisma.version.count({ where: { assetId: old } })).toBe(0);
    expect(await prisma.asset.findUnique({ where: { id: recent } })).not.toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: 'asset.purge', targetId: old } })).toBe(1);
  });
});

describe('library.duplicates', () => {
  it('names the live assets that already have these bytes, and none in the trash', async () => {
    const bytes = randomBytes(4096);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const a = await newAsset('original.png', { bytes, collectionId: brand });
    const b = await newAsset('copy.png', { bytes });
    const other = createHash('sha256').update('nothing like it').digest('hex');
    const result = await admin.call('library.duplicates', { sha256: [sha256, other] });
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0].sha256).toBe(sha256);
    expect(result.matches[0].assets.map((x: any) => x.id).sort()).toEqual([a, b].sort());
    await admin.call('assets.delete', { id: b });
    expect((await admin.call('library.duplicates', { sha256: [sha256] })).matches[0].assets.map((x: any) => x.id)).toEqual([a]);
    expect((await admin.request('library.duplicates', { sha256: ['ABC'] })).error?.code).toBe('VALIDATION_FAILED');
  });
});

describe('collections that hold things', () => {
  it('renames a collection (its managers), and refuses an empty name', async () => {
    const renamed = await admin.call('collections.update', { id: archive, name: 'Archive 2025' });
    expect(renamed.name).toBe('Archive 2025');
    expect((await editorSocket.request('collections.update', { id: brand, name: 'Mine now' })).error?.code).toBe('FORBIDDEN');
    expect((await admin.request('collections.update', { id: archive, name: '  ' })).error?.code).toBe('VALIDATION_FAILED');
  });

  it('deletes an empty collection; one holding assets only with a choice of where they go', async () => {
    const prisma = server.stockroom.database.prisma;
    const empty = (await admin.call('collections.create', { name: 'Empty for now' })).id;
    expect(await admin.call('collections.delete', { id: empty })).toEqual({ id: empty, movedAssets: 0 });
    expect(await prisma.collection.findUnique({ where: { id: empty } })).toBeNull();

    const full = (await admin.call('collections.create', { name: 'Old campaign' })).id;
    const live = await newAsset('old-campaign-live.png', { collectionId: full });
    const trashed = await newAsset('old-campaign-trashed.png', { collectionId: full });
    await admin.call('assets.delete', { id: trashed });
    const refused = await admin.request('collections.delete', { id: full });
    expect(refused.error?.code).toBe('CONFLICT');
    expect(refused.error?.message).toContain('holds 1 asset(s) and 1 in the trash');
    expect(await prisma.collection.findUnique({ where: { id: full } })).not.toBeNull();

    const subscriber = await RawSocket.signedIn(server.wsUrl, server.adminToken);
    await subscriber.call('events.subscribe', { events: ['asset.updated'] });
    expect(await admin.call('collections.delete', { id: full, moveAssetsTo: archive })).toEqual({ id: full, movedAssets: 2 });
    await subscriber.event('asset.updated', (d: any) => d.asset.id === live && d.asset.collectionId === archive);
    subscriber.close();
    expect((await row(live)).collectionId).toBe(archive);
    expect((await row(trashed)).collectionId).toBe(archive);
    expect(await prisma.auditEvent.count({ where: { action: 'collection.delete', targetId: full } })).toBe(1);
  });

  it('refuses to delete a collection with sub-collections', async () => {
    const parent = (await admin.call('collections.create', { name: 'Parent' })).id;
    await admin.call('collections.create', { name: 'Child', parentId: parent });
    const reply = await admin.request('collections.delete', { id: parent, moveAssetsTo: null });
    expect(reply.error?.code).toBe('CONFLICT');
    expect(reply.error?.message).toContain('sub-collection');
  });
});

describe('moving collections', () => {
  it('moves a collection under another and back to the top level, and refuses a move into itself or below itself', async () => {
    const prisma = server.stockroom.database.prisma;
    const outer = (await admin.call('collections.create', { name: 'Outer' })).id;
    const middle = (await admin.call('collections.create', { name: 'Middle', parentId: outer })).id;
    const inner = (await admin.call('collections.create', { name: 'Inner', parentId: middle })).id;
    const loose = (await admin.call('collections.create', { name: 'Loose' })).id;

    const moved = await admin.call('collections.move', { id: loose, parentId: inner });
    expect(moved.parentId).toBe(inner);
    expect((await prisma.collection.findUniqueOrThrow({ where: { id: loose } })).parentId).toBe(inner);

    for (const target of [outer, inner, loose]) {
      const refused = await admin.request('collections.move', { id: outer, parentId: target });
      expect(refused.error?.code).toBe('CONFLICT');
      expect(refused.error?.data?.reason).toBe('COLLECTION_CYCLE');
      expect(refused.error?.message).toMatch(/Choose (another collection|a collection outside it), or the top level/);
    }
    expect((await prisma.collection.findUniqueOrThrow({ where: { id: outer } })).parentId).toBeNull();

    // The REST mirror: to the top level.
    const res = await fetch(`${server.url}/api/collections/${inner}/move`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parentId: null }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { parentId: string | null }).parentId).toBeNull();
    // Inner took Loose with it; now Outer may go under Loose (no longer below it).
    expect((await admin.call('collections.move', { id: outer, parentId: loose })).parentId).toBe(loose);
    expect(await prisma.auditEvent.count({ where: { action: 'collection.move', targetId: outer } })).toBe(1);

    expect((await editorSocket.request('collections.move', { id: brand, parentId: archive })).error?.code).toBe('FORBIDDEN');
    expect((await admin.request('collections.move', { id: brand, parentId: '00000000-0000-4000-8000-000000000000' })).error?.code).toBe('NOT_FOUND');
  });
});

describe('zip download', () => {
  it('streams the head versions as a zip with unique file names', async () => {
    const one = Buffer.from('first file bytes');
    const two = randomBytes(300_000);
    const a = await newAsset('poster.png', { bytes: one });
    const b = await newAsset('poster.png', { bytes: two });
    const res = await fetch(`${server.url}/api/library/download.zip?ids=${a},${b}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-length')).toBeNull();
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['poster (2).png', 'poster.png']);
    expect(Buffer.from(files['poster.png']!)).toEqual(one);
    expect(Buffer.from(files['poster (2).png']!)).toEqual(two);
  });

  it('answers bad ids with VALIDATION_FAILED and no token with UNAUTHENTICATED', async () => {
    const bad = await fetch(`${server.url}/api/library/download.zip?ids=nope`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('VALIDATION_FAILED');
    const anonymous = await fetch(`${server.url}/api/library/download.zip?ids=00000000-0000-4000-8000-000000000000`);
    expect(anonymous.status).toBe(401);
  });
});
