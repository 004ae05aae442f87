import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { PostgresSearchIndex, type SearchLimits } from '../../src/adapters/search/postgres.ts';
import type { IndexPage, IndexQuery } from '../../src/ports/search-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { searchContract } from './contract.ts';
import { SearchSeeder } from './seed.ts';

searchContract('postgres', async (db) => new PostgresSearchIndex(db));

// The bounds that keep a search's work flat (docs/search.md, "Bounded work"), made small so
// that a few dozen assets cross them.
describe('bounded counts (postgres)', () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let seed: SearchSeeder;
  let exact: string;
  const SINCE = '2026-01-01T00:00:00.000Z';

  const search = (limits: Partial<SearchLimits>, text: string, more: Partial<IndexQuery> = {}): Promise<IndexPage> =>
    new PostgresSearchIndex(db, limits).search({
      text,
      filters: {},
      readableCollectionIds: 'all',
      userId: seed.userId,
      facets: ['kind'],
      createdSince: [SINCE],
      sort: 'relevance',
      cursor: undefined,
      limit: 5,
      ...more,
    });
  const sum = (page: IndexPage) => (page.facets.kind ?? []).reduce((n, c) => n + c.count, 0);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 2 });
    seed = await SearchSeeder.create(db);
    // 40 old harbour photos (10 designs, 30 images), then the one named exactly "Harbour", written last:
    // only its name starts with the word.
    const ids = await seed.assets(
      Array.from({ length: 40 }, (_, i) => ({
        name: `Old harbour ${i}`,
        kind: i % 4 === 0 ? ('design' as const) : ('image' as const),
        createdAt: new Date(Date.UTC(2026, 1, 1 + i)),
      })),
    );
    exact = await seed.asset({ name: 'Harbour', kind: 'image', description: 'the one', createdAt: new Date(Date.UTC(2026, 2, 20)) });
    await new PostgresSearchIndex(db).sync([...ids, exact]);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('counts facets exactly, and says so, while every match is in the sample', async () => {
    const page = await search({}, 'harbour');
    expect(page.total).toBe(41);
    expect(page.totalIsEstimate).toBe(false);
    expect(page.facetsAreEstimate).toBe(false);
    expect(page.facets.kind).toEqual([
      { value: 'image', count: 31 },
      { value: 'design', count: 10 },
    ]);
    expect(page.createdSince).toEqual([{ value: SINCE, count: 41 }]);
  });

  it("counts a text search's facets and upload dates from a sample once more match, scaled to the total and flagged", async () => {
    const page = await search({ facetSample: 10 }, 'harbour');
    expect(page.total).toBe(41);
    expect(page.totalIsEstimate).toBe(false);
    expect(page.facetsAreEstimate).toBe(true);
    // Ten of 41 counted: each count is its share of the sample times 4.1, rounded.
    expect(sum(page)).toBeGreaterThanOrEqual(40);
    expect(sum(page)).toBeLessThanOrEqual(42);
    for (const c of page.facets.kind ?? []) expect(['image', 'design']).toContain(c.value);
    expect(page.createdSince).toEqual([{ value: SINCE, count: 41 }]);
    // Browsing counts every asset it counted: exact below its own bound.
    const browse = await search({ facetSample: 10 }, '');
    expect(browse.total).toBe(41);
    expect(browse.facetsAreEstimate).toBe(false);
    expect(browse.facets.kind).toEqual([
      { value: 'image', count: 31 },
      { value: 'design', count: 10 },
    ]);
    const capped = await search({ browseMatchLimit: 20 }, '');
    expect(capped.totalIsEstimate).toBe(true);
    expect(capped.facetsAreEstimate).toBe(true);
  });

  it('ranks the exact name first and flags the total when the words find more than it counts', async () => {
    const page = await search({ textMatchLimit: 10, facetSample: 10 }, 'harbour');
    expect(page.hits[0]!.assetId).toBe(exact);
    expect(page.totalIsEstimate).toBe(true);
    expect(page.facetsAreEstimate).toBe(true);
    expect(page.total).toBeGreaterThanOrEqual(10);
    expect(page.total).toBeLessThan(41);
    // Pages still run through every match the search counted, each once.
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const next = await search({ textMatchLimit: 10, facetSample: 10 }, 'harbour', { cursor });
      for (const hit of next.hits) {
        expect(seen.has(hit.assetId)).toBe(false);
        seen.add(hit.assetId);
      }
      cursor = next.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.size).toBe(page.total);
  });
});
