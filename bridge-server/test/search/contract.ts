// The search cases every backend must pass (run by postgres.test.ts, and by
// typesense.test.ts when TYPESENSE_URL points at a server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import type { SearchFacet, SearchFilters, SearchSort } from '@stockroom/shared-types';
import type { IndexPage, IndexQuery, SearchIndex } from '../../src/ports/search-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { SearchSeeder } from './seed.ts';

export type IndexFactory = (db: PrismaClient) => Promise<SearchIndex>;

export const HOSTILE_QUERIES = [
  '',
  '   ',
  'x'.repeat(10 * 1024),
  'logo '.repeat(2048),
  '"',
  "'",
  ':',
  '&&',
  '||',
  '!',
  '%',
  '_',
  '\\',
  '*',
  '"unbalanced quote',
  "it's",
  'a:b & c | !d <-> e',
  '%_%',
  "'; DROP TABLE assets; --",
  '`backtick` && filter:=[x]',
  '🙂',
  'café 🙂 logo',
  '\u0000',
  '\u0002\u0003',
  '(((',
];

export function searchContract(backend: string, makeIndex: IndexFactory): void {
  describe(`search contract: ${backend}`, () => {
    let database: TestDatabase;
    let db: PrismaClient;
    let index: SearchIndex;
    let seed: SearchSeeder;
    const ids: Record<string, string> = {};
    let brand: string;
    let photos: string;
    let secret: string;
    let alice: string;

    const search = (text: string, more: Partial<IndexQuery> = {}): Promise<IndexPage> =>
      index.search({
        text,
        filters: {},
        readableCollectionIds: 'all',
        userId: seed.userId,
        facets: [],
        sort: 'relevance',
        cursor: undefined,
        limit: 50,
        ...more,
      });
    const names = (page: IndexPage) => page.hits.map((h) => nameOf(h.assetId));
    const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = createPrismaClient(database.url, { max: 4 });
      seed = await SearchSeeder.create(db);
      alice = await seed.user('Alice');
      brand = await seed.collection('Brand');
      photos = await seed.collection('Photos');
      secret = await seed.collection('Secret');
      const day = (d: number) => new Date(Date.UTC(2026, 0, d));
      const specs = [
        { name: 'Figma', kind: 'design', collectionId: brand, tags: ['logo'], mimeType: 'image/svg+xml', createdAt: day(1) },
        { name: 'Figma Plugin Banner', kind: 'image', collectionId: brand, tags: ['banner'], createdAt: day(2) },
        { name: 'Google', kind: 'design', collectionId: brand, tags: ['logo'], mimeType: 'image/svg+xml', createdAt: day(3) },
        { name: 'Google Cloud', kind: 'design', collectionId: brand, tags: ['logo'], mimeType: 'image/svg+xml', createdAt: day(4) },
        { name: 'Adobe Photoshop', kind: 'design', collectionId: brand, tags: ['logo', 'app'], createdAt: day(5) },
        { name: 'Adobe Premiere Pro', kind: 'design', collectionId: brand, tags: ['logo', 'app'], createdAt: day(6) },
        {
          name: 'Café de Flore terrace',
          kind: 'image',
          collectionId: photos,
          description: 'Morning coffee on a Paris terrace',
          tags: ['paris', 'Coffee'],
          mimeType: 'image/jpeg',
          versionMetadata: { width: 6000, height: 4000, keywords: ['street', 'croissant'] },
          createdAt: day(7),
        },
        {
          name: 'Cafe racer motorbike',
          kind: 'image',
          collectionId: photos,
          description: 'A vintage motorbike by the harbour',
          tags: ['motorbike'],
          mimeType: 'image/jpeg',
          versionMetadata: { width: 3000, height: 4500, caption: 'Lighthouse in the background' },
          createdAt: day(8),
        },
        {
          name: 'Sunset over the dunes',
          kind: 'image',
          collectionId: photos,
          description: 'Golden hour',
          tags: ['sunset', 'desert'],
          mimeType: 'image/webp',
          metadata: { photographer: 'Zoë Ångström' },
          versionMetadata: { width: 2000, height: 2000 },
          lockedBy: 'me',
          createdAt: day(9),
        },
        { name: 'Launch trailer', kind: 'video', collectionId: photos, tags: ['sunset'], mimeType: 'video/mp4', lockedBy: 'alice', createdAt: day(10) },
        { name: 'Secret roadmap logo', kind: 'document', collectionId: secret, tags: ['logo'], mimeType: 'application/pdf', createdAt: day(11) },
        { name: 'Loose logo sketch', kind: 'image', collectionId: null, tags: ['logo'], createdAt: day(12) },
        { name: 'Deleted logo', kind: 'image', collectionId: brand, tags: ['logo'], deleted: true, createdAt: day(13) },
      ] as const;
      const created = await seed.assets(
        specs.map((s) => ({
          ...s,
          tags: [...s.tags],
          lockedBy: 'lockedBy' in s ? (s.lockedBy === 'me' ? seed.userId : alice) : undefined,
        })),
      );
      specs.forEach((s, i) => (ids[s.name] = created[i]!));
      index = await makeIndex(db);
      await index.prepare();
      await index.sync(created);
    });

    afterAll(async () => {
      await db?.$disconnect();
      await database?.drop();
    });

    it('ranks the exact name first', async () => {
      expect(names(await search('figma'))[0]).toBe('Figma');
      expect(names(await search('Google'))[0]).toBe('Google');
    });

    it('finds as you type (prefixes)', async () => {
      expect(names(await search('figm'))[0]).toBe('Figma');
      expect(
        names(await search('goo'))
          .slice(0, 2)
          .sort(),
      ).toEqual(['Google', 'Google Cloud']);
      expect(names(await search('adobe pho'))[0]).toBe('Adobe Photoshop');
    });

    it('forgives typos', async () => {
      expect(names(await search('gogle'))[0]).toBe('Google');
      expect(names(await search('adobe fotoshop'))[0]).toBe('Adobe Photoshop');
    });

    it('matches tags, description and extracted metadata', async () => {
      expect(names(await search('desert'))).toEqual(['Sunset over the dunes']);
      expect(names(await search('harbour'))).toEqual(['Cafe racer motorbike']);
      expect(names(await search('croissant'))).toEqual(['Café de Flore terrace']);
      expect(names(await search('lighthouse'))).toEqual(['Cafe racer motorbike']);
      expect(names(await search('angstrom'))).toEqual(['Sunset over the dunes']);
    });

    it('ignores accents both ways', async () => {
      expect(names(await search('cafe')).sort()).toEqual(['Cafe racer motorbike', 'Café de Flore terrace']);
      expect(names(await search('café')).sort()).toEqual(['Cafe racer motorbike', 'Café de Flore terrace']);
      expect(names(await search('zoe'))).toEqual(['Sunset over the dunes']);
    });

    it('ranks name matches above tag matches', async () => {
      const hits = names(await search('sunset'));
      expect(hits).toEqual(['Sunset over the dunes', 'Launch trailer']);
    });

    it('highlights what matched', async () => {
      const page = await search('figm');
      const name = page.hits[0]!.highlights.find((h) => h.field === 'name');
      expect(name?.parts.filter((p) => p.match).map((p) => p.text.toLowerCase())).toEqual(['figma']);
      expect(name?.parts.map((p) => p.text).join('')).toBe('Figma');
    });

    it('never returns deleted assets, and drops an asset once it is deleted', async () => {
      expect(names(await search('logo'))).not.toContain('Deleted logo');
      const id = await seed.asset({ name: 'Short-lived logo', tags: ['logo'], collectionId: brand });
      await index.sync([id]);
      expect(names(await search('short lived'))).toEqual([id]);
      await db.asset.update({ where: { id }, data: { deletedAt: new Date() } });
      await index.sync([id]);
      expect((await search('short lived')).hits).toEqual([]);
      await db.asset.delete({ where: { id } });
      await index.sync([id]);
      expect((await search('short lived')).hits).toEqual([]);
    });

    it('reflects an update after sync', async () => {
      const id = ids['Launch trailer']!;
      await db.asset.update({ where: { id }, data: { name: 'Launch teaser', tags: ['sunset', 'teaser'] } });
      await index.sync([id]);
      expect(names(await search('teaser'))).toEqual(['Launch trailer']);
      expect((await search('trailer')).hits).toEqual([]);
      await db.asset.update({ where: { id }, data: { name: 'Launch trailer', tags: ['sunset'] } });
      await index.sync([id]);
      expect(names(await search('trailer'))).toEqual(['Launch trailer']);
    });

    it('shows only readable collections (and unfiled assets, which every member may read)', async () => {
      expect(names(await search('logo', { readableCollectionIds: [brand] })).sort()).toEqual([
        'Adobe Photoshop',
        'Adobe Premiere Pro',
        'Figma',
        'Google',
        'Google Cloud',
        'Loose logo sketch',
      ]);
      expect((await search('roadmap', { readableCollectionIds: [brand, photos] })).hits).toEqual([]);
      expect(names(await search('', { readableCollectionIds: [] }))).toEqual(['Loose logo sketch']);
      expect(names(await search('roadmap'))).toEqual(['Secret roadmap logo']);
      const facets = await search('logo', { readableCollectionIds: [brand], facets: ['collectionId'] });
      expect(facets.facets.collectionId).toEqual([{ value: brand, count: 5 }]);
      expect(facets.total).toBe(6);
    });

    const filterCases: [string, () => SearchFilters, string[]][] = [
      ['kind', () => ({ kind: ['video', 'document'] }), ['Launch trailer', 'Secret roadmap logo']],
      ['collection', () => ({ collectionIds: [photos] }), ['Cafe racer motorbike', 'Café de Flore terrace', 'Launch trailer', 'Sunset over the dunes']],
      ['one collection', () => ({ collectionId: secret }), ['Secret roadmap logo']],
      ['tags (all of them, any case)', () => ({ tags: ['LOGO', 'app'] }), ['Adobe Photoshop', 'Adobe Premiere Pro']],
      ['tag with accents folded', () => ({ tags: ['coffee'] }), ['Café de Flore terrace']],
      ['exact mime type', () => ({ mimeType: ['video/mp4'] }), ['Launch trailer']],
      ['mime family', () => ({ mimeType: ['image/jpeg', 'application/*'] }), ['Cafe racer motorbike', 'Café de Flore terrace', 'Secret roadmap logo']],
      ['mime wildcards are not patterns', () => ({ mimeType: ['image/%', '_mage/png'] }), []],
      ['orientation', () => ({ orientation: ['portrait', 'square'] }), ['Cafe racer motorbike', 'Sunset over the dunes']],
      ['locked', () => ({ locked: true }), ['Launch trailer', 'Sunset over the dunes']],
      ['checked out by me', () => ({ checkedOutByMe: true }), ['Sunset over the dunes']],
      ['created range', () => ({ createdAt: { from: '2026-01-07T00:00:00Z', to: '2026-01-08T00:00:00Z' } }), ['Cafe racer motorbike', 'Café de Flore terrace']],
      ['updated until', () => ({ updatedAt: { to: '2026-01-02T00:00:00Z' } }), ['Figma', 'Figma Plugin Banner']],
      ['several at once', () => ({ kind: ['design'], tags: ['logo'], mimeType: ['image/svg+xml'] }), ['Figma', 'Google', 'Google Cloud']],
    ];
    for (const [title, filters, expected] of filterCases) {
      it(`filters: ${title}`, async () => {
        const page = await search('', { filters: filters(), sort: 'name' });
        expect(names(page).sort()).toEqual([...expected].sort());
        expect(page.total).toBe(expected.length);
      });
    }

    it('filters combine with text', async () => {
      expect(names(await search('logo', { filters: { kind: ['image'] } }))).toEqual(['Loose logo sketch']);
    });

    it('counts facets over the whole result', async () => {
      const facets: SearchFacet[] = ['kind', 'collectionId', 'tags', 'mimeType', 'orientation', 'locked'];
      const page = await search('', { facets, limit: 1 });
      expect(page.total).toBe(12);
      const asMap = (facet: SearchFacet) => Object.fromEntries((page.facets[facet] ?? []).map((c) => [c.value, c.count]));
      expect(asMap('kind')).toEqual({ design: 5, image: 5, video: 1, document: 1 });
      expect(asMap('collectionId')).toEqual({ [brand]: 6, [photos]: 4, [secret]: 1 });
      expect(asMap('tags')).toMatchObject({ logo: 7, app: 2, sunset: 2, paris: 1, coffee: 1 });
      expect(asMap('mimeType')).toEqual({ 'image/png': 4, 'image/svg+xml': 3, 'image/jpeg': 2, 'image/webp': 1, 'video/mp4': 1, 'application/pdf': 1 });
      expect(asMap('orientation')).toEqual({ landscape: 1, portrait: 1, square: 1 });
      expect(asMap('locked')).toEqual({ true: 2, false: 10 });
      const narrowed = await search('logo', { facets: ['kind'], filters: { collectionIds: [brand] } });
      expect(Object.fromEntries((narrowed.facets.kind ?? []).map((c) => [c.value, c.count]))).toEqual({ design: 5 });
    });

    it('counts and filters by uploader', async () => {
      const page = await search('', { facets: ['createdById'], limit: 1 });
      expect(page.facets.createdById).toEqual([{ value: seed.userId, count: 12 }]);
      expect((await search('logo', { filters: { createdById: [seed.userId] } })).total).toBe((await search('logo')).total);
      expect((await search('', { filters: { createdById: ['00000000-0000-4000-8000-000000000000'] } })).total).toBe(0);
    });

    for (const sort of ['relevance', 'newest', 'name'] as SearchSort[]) {
      it(`pages through every match with a cursor (${sort})`, async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await search(sort === 'relevance' ? 'logo' : '', { sort, cursor, limit: 2 });
          seen.push(...page.hits.map((h) => h.assetId));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 50);
        const all = await search(sort === 'relevance' ? 'logo' : '', { sort, limit: 200 });
        expect(seen).toEqual(all.hits.map((h) => h.assetId));
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(all.total);
      });
    }

    it('sorts by name and by newest', async () => {
      const byName = names(await search('', { sort: 'name' }));
      expect(byName.slice(0, 4)).toEqual(['Adobe Photoshop', 'Adobe Premiere Pro', 'Café de Flore terrace', 'Cafe racer motorbike']);
      // Newest = most recently changed.
      await db.asset.update({ where: { id: ids['Figma']! }, data: { description: 'touched' } });
      await index.sync([ids['Figma']!]);
      const newest = names(await search('', { sort: 'newest' }));
      expect(newest[0]).toBe('Figma');
      expect(newest[newest.length - 1]).toBe('Figma Plugin Banner');
    });

    it('refuses a forged cursor with a clear error', async () => {
      await expect(search('logo', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('takes any text without error or injection', async () => {
      for (const text of HOSTILE_QUERIES) {
        const page = await search(text, { facets: ['kind', 'tags'] });
        expect(Array.isArray(page.hits), JSON.stringify(text.slice(0, 40))).toBe(true);
      }
      // Only letters and digits count: punctuation around a word still finds it, emoji alone browses.
      expect(names(await search('"figma'))[0]).toBe('Figma');
      expect(names(await search('figma:'))[0]).toBe('Figma');
      expect(names(await search('café 🙂')).sort()).toEqual(['Cafe racer motorbike', 'Café de Flore terrace']);
      expect((await search('🙂')).total).toBe(12);
      expect((await search('%')).total).toBe(12);
      expect(names(await search('logo '.repeat(2048)))).toContain('Figma');
      expect(await db.asset.count()).toBeGreaterThan(12);
    });

    it('rebuilds from the database while still answering', async () => {
      const before = await index.count();
      const rebuilding = index.rebuild({ batchSize: 3 });
      const during = await search('figma');
      expect(names(during)[0]).toBe('Figma');
      expect((await rebuilding).indexed).toBe(before);
      expect(await index.count()).toBe(before);
      expect(names(await search('gogle'))[0]).toBe('Google');
    });
  });
}
