// Relevance on a realistic corpus (≈3,500 brand logos from simple-icons + generated
// photos), on the default backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { PostgresSearchIndex } from '../../src/adapters/search/postgres.ts';
import type { IndexPage, IndexQuery } from '../../src/ports/search-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { appIconAssets, photoAssets, simpleIconAssets } from './corpus.ts';
import { SearchSeeder, type SeedAsset } from './seed.ts';

describe('relevance on simple-icons + generated photos (postgres)', () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let index: PostgresSearchIndex;
  let seed: SearchSeeder;
  let logos: string;
  let photos: string;
  let corpus: SeedAsset[];
  const idByName = new Map<string, string>();

  const search = (text: string, more: Partial<IndexQuery> = {}): Promise<IndexPage> =>
    index.search({
      text,
      filters: {},
      readableCollectionIds: 'all',
      userId: seed.userId,
      facets: [],
      sort: 'relevance',
      cursor: undefined,
      limit: 10,
      ...more,
    });
  const nameOf = new Map<string, string>();
  const top = async (text: string, n = 1) => (await search(text)).hits.slice(0, n).map((h) => nameOf.get(h.assetId));

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 4 });
    seed = await SearchSeeder.create(db);
    logos = await seed.collection('Logos');
    photos = await seed.collection('Photos');
    corpus = [...simpleIconAssets(logos), ...appIconAssets(logos), ...photoAssets(photos, 400)];
    const ids: string[] = [];
    for (let i = 0; i < corpus.length; i += 1000) ids.push(...(await seed.assets(corpus.slice(i, i + 1000))));
    corpus.forEach((asset, i) => {
      idByName.set(asset.name, ids[i]!);
      nameOf.set(ids[i]!, asset.name);
    });
    index = new PostgresSearchIndex(db);
    await index.rebuild();
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('indexed the whole corpus', async () => {
    expect(corpus.length).toBeGreaterThan(3500);
    expect(await index.count()).toBe(corpus.length);
  });

  it('puts the exact name first', async () => {
    for (const name of ['Google', 'Figma', 'GitHub', 'Node.js', 'Spotify', 'Discord', 'Adobe Photoshop']) {
      expect(await top(name), name).toEqual([name]);
    }
  });

  it('forgives typos', async () => {
    expect(await top('adobe fotoshop')).toEqual(['Adobe Photoshop']);
    expect(await top('gogle')).toEqual(['Google']);
    expect(await top('spotfy')).toEqual(['Spotify']);
    expect(await top('githuub')).toEqual(['GitHub']);
  });

  it('counts a swap of two neighbouring letters as one typo', async () => {
    expect(await top('spotfiy')).toEqual(['Spotify']);
    expect(await top('discrod')).toEqual(['Discord']);
    expect(await top('githbu')).toEqual(['GitHub']);
    expect(await top('adobe photsohop')).toEqual(['Adobe Photoshop']);
    expect(await top('gogle clud')).toEqual(['Google Cloud']);
    const lighthouses = await top('lighthosue', 5);
    expect(lighthouses.every((name) => /lighthouse/i.test(name!))).toBe(true);
  });

  it('forgives one insertion, deletion or substitution from 3 typed letters and two edits from 7', async () => {
    expect(await top('slashdott')).toEqual(['Slashdot']);
    expect(await top('dscord')).toEqual(['Discord']);
    expect(await top('spatify')).toEqual(['Spotify']);
    expect(await top('adobe photoshp')).toEqual(['Adobe Photoshop']);
    expect(await top('adobe photshopp')).toEqual(['Adobe Photoshop']);
    expect(await top('adobe photsohpo')).toEqual(['Adobe Photoshop']);
    expect(await top('nke')).toEqual(['Nike']);
    expect((await search('gihub')).hits.map((h) => nameOf.get(h.assetId))).toContain('GitHub');
    // Two edits need seven typed letters.
    expect((await search('sptfiy')).hits).toEqual([]);
  });

  it('finds the parts of names joined by dots, dashes, underscores and camel case, and the names whole', async () => {
    const js = (await search('js', { limit: 200 })).hits.map((h) => nameOf.get(h.assetId));
    expect(js).toEqual(expect.arrayContaining(['Node.js', 'Chart.js', 'Next.js']));
    expect(await top('node js')).toEqual(['Node.js']);
    expect(await top('nodejs')).toEqual(['Node.js']);
    expect(await top('node.js')).toEqual(['Node.js']);
    expect(await top('fm', 3)).toContain('Last.fm');
    expect(await top('last fm')).toEqual(['Last.fm']);
    expect((await search('hub', { limit: 200 })).hits.map((h) => nameOf.get(h.assetId))).toContain('GitHub');
    expect((await search('redwood', { limit: 20 })).hits.map((h) => nameOf.get(h.assetId))).toContain('RedwoodJS');
  });

  it('completes prefixes as you type', async () => {
    expect(await top('figm')).toEqual(['Figma']);
    expect(await top('spotif')).toEqual(['Spotify']);
    expect(await top('adobe prem')).toEqual(['Adobe Premiere Pro']);
  });

  it('matches aliases (tags) and metadata such as brand colours and captions', async () => {
    expect(await top('dotenv')).toEqual(['.ENV']);
    expect(await top('#1ED760')).toEqual(['Spotify']);
    const lighthouses = await search('lighthouse', { limit: 200 });
    expect(lighthouses.hits.length).toBeGreaterThan(5);
    expect(lighthouses.hits.every((h) => /lighthouse/i.test(nameOf.get(h.assetId)!))).toBe(true);
    const canon = await search('canon eos', { filters: { collectionIds: [photos] }, limit: 1 });
    const expected = corpus.filter((a) => (a.versionMetadata as { camera?: string } | undefined)?.camera === 'Canon EOS R5');
    expect(canon.total).toBe(expected.length);
  });

  it('ignores accents both ways', async () => {
    expect(await top('metro de paris')).toEqual(['Métro de Paris']);
    expect(await top('equipe')).toEqual(['L\u2019Équipe'.replace('\u2019', "'")]);
    const cafe = (await search('cafe', { filters: { collectionIds: [photos] } })).hits.map((h) => nameOf.get(h.assetId));
    const café = (await search('café', { filters: { collectionIds: [photos] } })).hits.map((h) => nameOf.get(h.assetId));
    expect(cafe.sort()).toEqual(['Cafe sign, Brooklyn', 'Café terrace at night']);
    expect(café.sort()).toEqual(cafe.sort());
    const reykjavik = await search('reykjavik', { limit: 1 });
    expect(reykjavik.total).toBe(corpus.filter((a) => a.name.includes('Reykjavík')).length);
  });

  it('counts facets and applies filters exactly', async () => {
    const page = await search('', { facets: ['kind', 'mimeType', 'orientation'], limit: 1 });
    const count = (pred: (a: SeedAsset) => boolean) => corpus.filter(pred).length;
    expect(page.total).toBe(corpus.length);
    const kinds = Object.fromEntries(page.facets.kind!.map((c) => [c.value, c.count]));
    expect(kinds).toEqual({ design: count((a) => a.kind === 'design'), image: count((a) => a.kind === 'image') });
    const mimes = Object.fromEntries(page.facets.mimeType!.map((c) => [c.value, c.count]));
    expect(mimes['image/webp']).toBe(count((a) => a.mimeType === 'image/webp'));
    const portrait = count((a) => {
      const m = a.versionMetadata as { width: number; height: number };
      return m.height > m.width;
    });
    expect(page.facets.orientation!.find((c) => c.value === 'portrait')?.count).toBe(portrait);
    const filtered = await search('misty', { filters: { mimeType: ['image/webp'], orientation: ['portrait'] }, limit: 200 });
    expect(filtered.total).toBe(
      count((a) => {
        const m = a.versionMetadata as { width: number; height: number; keywords?: string[] };
        return a.mimeType === 'image/webp' && m.height > m.width && (m.keywords?.includes('misty') ?? false);
      }),
    );
  });

  it('corrects typos to the words of names synced after the rebuild', async () => {
    expect((await search('quokkapix studoi')).hits).toEqual([]);
    const id = await seed.asset({ name: 'Quokkapix Studio', collectionId: logos });
    await index.sync([id]);
    expect((await search('quokkapix studoi')).hits.map((h) => h.assetId)).toEqual([id]);
    expect((await search('qokkapix')).hits[0]?.assetId).toBe(id);
  });

  it('never shows a deleted asset', async () => {
    const google = idByName.get('Google')!;
    await db.asset.update({ where: { id: google }, data: { deletedAt: new Date() } });
    await index.sync([google]);
    const hits = (await search('google', { limit: 200 })).hits.map((h) => h.assetId);
    expect(hits.length).toBeGreaterThan(10);
    expect(hits).not.toContain(google);
  });
});
