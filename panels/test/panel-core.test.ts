import { ERROR_CODES, StockroomError, type Asset } from '@stockroom/shared-types';
import {
  DocumentOrigins,
  HostError,
  applyLiveEvent,
  cacheRelativePath,
  formatAssetCount,
  formatCount,
  humanError,
  initialState,
  lockNoticeFor,
  parseCachePath,
} from '@stockroom/panels-core';
import { describe, expect, it } from 'vitest';

const ASSET = '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10';

describe('error sentences', () => {
  it('gives every error code its own sentence for people, never the code or the server’s text', () => {
    const sentences = ERROR_CODES.map((code) => humanError(new StockroomError(code, `raw server text for ${code}`)));
    for (const [i, sentence] of sentences.entries()) {
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toContain(ERROR_CODES[i]);
      expect(sentence).not.toContain('raw server text');
    }
    expect(new Set(sentences).size).toBe(ERROR_CODES.length);
  });

  it('names who holds a lock, and passes host messages through', () => {
    const locked = new StockroomError('ASSET_LOCKED', 'x', { holder: { id: ASSET, name: 'Alice Designer', email: 'a@example.test' } });
    expect(humanError(locked)).toBe('Alice Designer has this asset checked out. Wait until they check it in, or ask them to release it.');
    expect(humanError(new HostError('Open a document in Photoshop first.'))).toBe('Open a document in Photoshop first.');
    expect(humanError(new TypeError('Failed to fetch'))).toContain('cannot be reached');
    expect(humanError(new Error('boom'))).not.toContain('boom');
  });
});

describe('cache paths', () => {
  it('keep asset and version in the path, so a document opened from the cache is recognised', () => {
    const rel = cacheRelativePath(ASSET, 7, 'Hero: final/v2?.psd');
    expect(rel).toBe(`${ASSET}/v7/Hero_ final_v2_.psd`);
    expect(parseCachePath(`plugin-data:/cache/${rel}`)).toEqual({ assetId: ASSET, version: 7 });
    expect(parseCachePath(`C:\\Users\\a\\cache\\${ASSET}\\v3\\x.png`)).toEqual({ assetId: ASSET, version: 3 });
    expect(parseCachePath('/Users/a/Desktop/poster.psd')).toBeNull();
  });
});

describe('live events', () => {
  const alice = { id: '11111111-1111-4111-8111-111111111111', name: 'Alice Designer', email: 'alice@example.test' };
  const version = (number: number) => ({
    assetId: ASSET,
    number,
    sha256: 'a'.repeat(64),
    size: 10,
    mimeType: 'image/png',
    originalName: 'hero.png',
    comment: '',
    author: alice,
    clientApp: 'photoshop',
    restoredFrom: null,
    metadata: {},
    createdAt: '2026-01-01T00:00:00Z',
    contentUrl: `/api/assets/${ASSET}/versions/${number}/content`,
  });
  const asset: Asset = {
    id: ASSET,
    name: 'Hero',
    description: '',
    kind: 'image',
    tags: [],
    metadata: {},
    collectionId: null,
    headVersion: 1,
    head: version(1),
    lock: null,
    createdBy: alice,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    deletedAt: null,
  };

  it('puts the lock holder on every copy of the asset, and takes it off again', () => {
    const state = { ...initialState(''), hits: [asset], selected: asset };
    const lock = { assetId: ASSET, holder: alice, clientApp: 'photoshop', since: '2026-01-01T00:00:00Z' };
    const locked = { ...state, ...applyLiveEvent(state, 'asset.locked', { assetId: ASSET, collectionId: null, lock }) };
    expect(locked.hits[0]!.lock).toEqual(lock);
    expect(locked.selected!.lock).toEqual(lock);
    const unlocked = applyLiveEvent(locked, 'asset.unlocked', { assetId: ASSET, collectionId: null, previousHolder: alice, by: alice, forced: false });
    expect(unlocked.hits![0]!.lock).toBeNull();
  });

  it('marks a placement as outdated when a newer version is created, and lists the version', () => {
    const placement = { item: { itemId: '7', assetId: ASSET, version: 1, linked: true, path: 'p' }, assetName: 'Hero', headVersion: 1 };
    const state = { ...initialState(''), hits: [asset], selected: asset, versions: [version(1)], placements: [placement] };
    const next = applyLiveEvent(state, 'version.created', { assetId: ASSET, collectionId: null, version: version(2) });
    expect(next.placements![0]!.headVersion).toBe(2);
    expect(next.hits![0]!.headVersion).toBe(2);
    expect(next.versions!.map((v) => v.number)).toEqual([2, 1]);
    // An older version arriving late changes nothing.
    const late = applyLiveEvent({ ...state, ...next }, 'version.created', { assetId: ASSET, collectionId: null, version: version(1) });
    expect(late.placements![0]!.headVersion).toBe(2);
    expect(late.hits![0]!.headVersion).toBe(2);
  });

  it('shows a created asset at once while browsing, not while a query or another kind filter is on', () => {
    const browsing = initialState('');
    expect(applyLiveEvent(browsing, 'asset.created', { asset }).hits).toEqual([asset]);
    expect(applyLiveEvent({ ...browsing, query: 'logo' }, 'asset.created', { asset })).toEqual({});
    expect(applyLiveEvent({ ...browsing, filters: { ...browsing.filters, kind: ['video'] } }, 'asset.created', { asset })).toEqual({});
    const shown = { ...browsing, hits: [asset], total: 1, selected: asset };
    expect(applyLiveEvent(shown, 'asset.deleted', { assetId: ASSET, collectionId: null, by: alice })).toEqual({ hits: [], total: 0, selected: null });
  });

  it('tells the holder only when somebody else forced their lock open, with who, when and why', () => {
    const me = { ...alice, role: 'member' as const, createdAt: '2026-01-01T00:00:00Z', disabledAt: null };
    const admin = { id: '9d0c6a52-1e0b-4a55-9a1c-2f4e3b7c8d90', name: 'Dana Admin', email: 'dana@example.test' };
    const state = { ...initialState(''), user: me, hits: [asset] };
    const forced = { assetId: ASSET, collectionId: null, previousHolder: alice, by: admin, forced: true, reason: ' Deadline ', at: '2026-01-02T10:00:00Z' };
    expect(lockNoticeFor(state, forced, 4)).toEqual({
      id: 4,
      assetId: ASSET,
      assetName: asset.name,
      by: admin,
      at: '2026-01-02T10:00:00Z',
      reason: 'Deadline',
    });
    expect(lockNoticeFor(state, { ...forced, reason: undefined }, 5)?.reason).toBeNull();
    expect(lockNoticeFor(state, { ...forced, forced: false }, 6)).toBeNull(); // released or checked in
    expect(lockNoticeFor(state, { ...forced, previousHolder: admin }, 7)).toBeNull(); // somebody else's lock
    expect(lockNoticeFor(state, { ...forced, by: alice }, 8)).toBeNull(); // their own doing
    expect(lockNoticeFor({ ...state, hits: [] }, forced, 9)?.assetName).toBe(''); // looked up afterwards
  });
});

describe('document origins', () => {
  it('prefer what the panel wrote down over the cache path, and survive unreadable storage', () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) };
    const path = `plugin-data:/cache/${cacheRelativePath(ASSET, 2, 'poster.psd')}`;
    const origins = new DocumentOrigins(storage);
    expect(origins.resolve({ id: path, path })).toEqual({ assetId: ASSET, version: 2, source: 'cache' });
    expect(origins.resolve({ id: 'unsaved:3', path: null })).toBeNull();
    origins.remember({ id: path, instance: '101' }, { assetId: ASSET, version: 4, source: 'checkin' });
    expect(new DocumentOrigins(storage).resolve({ id: path, path, instance: '101' })).toEqual({ assetId: ASSET, version: 4, source: 'checkin' });
    // The same file closed and opened again holds what the file holds: the path's older version (a conflict, not an overwrite).
    expect(new DocumentOrigins(storage).resolve({ id: path, path, instance: '102' })).toEqual({ assetId: ASSET, version: 2, source: 'cache' });
    // A host that cannot tell openings apart keeps the record.
    expect(new DocumentOrigins(storage).resolve({ id: path, path })).toEqual({ assetId: ASSET, version: 4, source: 'checkin' });
    new DocumentOrigins(storage).forget(path);
    expect(origins.resolve({ id: path, path })?.version).toBe(2);
    stored.set('stockroom.documentOrigins', '{not json');
    expect(new DocumentOrigins(storage).resolve({ id: path, path })?.source).toBe('cache');
    stored.set('stockroom.documentOrigins', JSON.stringify({ [path]: { assetId: ASSET, version: -1 }, x: { assetId: ASSET, version: 5, source: 'nonsense' } }));
    expect(new DocumentOrigins(storage).resolve({ id: path, path })?.version).toBe(2);
    expect(new DocumentOrigins(storage).resolve({ id: 'x', path: null })).toEqual({ assetId: ASSET, version: 5, source: 'cache' });
  });
});

describe('counts', () => {
  // The reader's locale groups the digits (1,234 or 1.234): the expected text is formatted the same way.
  const grouped = (n: number) => new Intl.NumberFormat(undefined).format(n);

  it('marks a count the server estimated with ≈, as the dashboard does, and leaves exact ones bare', () => {
    expect(formatCount(5000, true)).toBe(`≈ ${grouped(5000)}`);
    expect(formatCount(5000, false)).toBe(grouped(5000));
    expect(formatCount(0, false)).toBe('0');
    expect(formatCount(12, true)).toBe('≈ 12');
    expect(formatAssetCount(1, false)).toBe('1 asset');
    expect(formatAssetCount(5000, true)).toBe(`≈ ${grouped(5000)} assets`);
    expect(formatAssetCount(2, false)).toBe('2 assets');
  });
});
