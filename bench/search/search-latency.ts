// Search latency on the Postgres backend at ASSETS generated assets (default 100k):
//   - full reindex throughput (assets/s) of `search reindex` on that corpus;
//   - p50/p99 of a mix of 1,000 realistic queries (words, typos, prefixes, filters, facets);
//   - a naive ILIKE search (page + count) over the same queries in the same run, as the baseline.
// Usage: ASSETS=1000000 ILIKE_QUERIES=200 pnpm --filter @stockroom/bench exec tsx search/search-latency.ts
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, createPrismaClient, startEmbeddedPostgres } from '@stockroom/prisma';
import type { SearchFacet, SearchFilters } from '@stockroom/shared-types';
import { PostgresSearchIndex } from '../../bridge-server/src/adapters/search/postgres.ts';
import { queryTerms } from '../../bridge-server/src/adapters/search/query-text.ts';
import type { IndexQuery } from '../../bridge-server/src/adapters/search/types.ts';
import { summarize } from '../core/lib.ts';
import { brandWords, generateAssets, PHOTO_WORDS, skewedPick } from './corpus.ts';

const ASSETS = Number(process.env.ASSETS ?? 100_000);
const QUERIES = Number(process.env.QUERIES ?? 1000);
const ILIKE_QUERIES = Number(process.env.ILIKE_QUERIES ?? QUERIES);
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-search-'));
chmodSync(dir, 0o755);
const cluster = await startEmbeddedPostgres(dir);
try {
  await applyMigrations(cluster.url);
  const db = createPrismaClient(cluster.url, { max: 4 });
  const index = new PostgresSearchIndex(db);

  let t = performance.now();
  await generateAssets(db, ASSETS, log);
  log(`corpus: ${ASSETS} assets in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const { indexed } = await index.rebuild({ onProgress: (n) => n % 100_000 === 0 && log(`indexed ${n}`) });
  const reindexSeconds = (performance.now() - t) / 1000;
  await db.$executeRawUnsafe('VACUUM ANALYZE search_documents');
  log(`reindex: ${indexed} in ${reindexSeconds.toFixed(1)} s = ${Math.round(indexed / reindexSeconds)} assets/s`);

  const userId = (await db.user.findFirstOrThrow()).id;
  const collections = (await db.collection.findMany({ select: { id: true } })).map((c) => c.id);
  const queries = makeQueries(QUERIES, collections, userId);

  // Warm the caches the same way for both.
  for (const q of queries.slice(0, 50)) await index.search(q.query);
  const ours: number[] = [];
  const byType = new Map<string, number[]>();
  for (const q of queries) {
    const started = performance.now();
    await index.search(q.query);
    const ms = performance.now() - started;
    ours.push(ms);
    byType.set(q.type, [...(byType.get(q.type) ?? []), ms]);
  }
  const early = summarize(ours);
  log(`search: p50 ${round(early.p50)} ms, p99 ${round(early.p99)} ms over ${early.n} queries; ILIKE baseline next`);
  const naive: number[] = [];
  for (const q of queries.slice(0, ILIKE_QUERIES)) {
    const started = performance.now();
    await ilikeSearch(db, q.query);
    naive.push(performance.now() - started);
  }

  const s = summarize(ours);
  const b = summarize(naive);
  const result = {
    assets: ASSETS,
    reindex: { seconds: Number(reindexSeconds.toFixed(1)), assetsPerSecond: Math.round(indexed / reindexSeconds) },
    search: { n: s.n, p50: round(s.p50), p99: round(s.p99), max: round(s.max), mean: round(s.mean) },
    ilike: { n: b.n, p50: round(b.p50), p99: round(b.p99), max: round(b.max), mean: round(b.mean) },
    ratioP50: round(b.p50 / s.p50),
    byType: Object.fromEntries([...byType].map(([type, ms]) => [type, { n: ms.length, p50: round(summarize(ms).p50), p99: round(summarize(ms).p99) }])),
  };
  console.log(JSON.stringify(result, null, 2));
  await db.$disconnect();
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

interface BenchQuery {
  type: string;
  query: IndexQuery;
}

/** The mix a panel sends: mostly words as typed (some misspelt, some unfinished), some filters, facets on half. */
function makeQueries(count: number, collections: string[], userId: string): BenchQuery[] {
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const brands = brandWords();
  const word = () => (random() < 0.5 ? skewedPick(brands, random) : skewedPick(PHOTO_WORDS, random));
  const typo = (w: string) => {
    const i = 1 + Math.floor(random() * (w.length - 2));
    const kind = random();
    if (kind < 0.33) return w.slice(0, i) + w.slice(i + 1); // deletion
    if (kind < 0.66) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); // transposition
    return w.slice(0, i) + 'aeiou'[Math.floor(random() * 5)] + w.slice(i + 1); // substitution
  };
  const facetSets: SearchFacet[][] = [[], ['kind', 'collectionId', 'tags']];
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    let type: string;
    let text = '';
    let filters: SearchFilters = {};
    if (r < 0.3) {
      type = 'word';
      text = word();
    } else if (r < 0.45) {
      type = 'two words';
      text = `${word()} ${word()}`;
    } else if (r < 0.6) {
      type = 'prefix';
      const w = word();
      text = w.slice(0, Math.max(2, Math.min(w.length, 3 + Math.floor(random() * 3))));
    } else if (r < 0.75) {
      type = 'typo';
      let w = word();
      while (w.length < 5) w = word();
      text = typo(w);
    } else if (r < 0.9) {
      type = 'word + filter';
      text = word();
      filters = random() < 0.5 ? { kind: ['image'] } : { collectionIds: [collections[Math.floor(random() * collections.length)]!] };
    } else {
      type = 'browse + filter';
      filters = random() < 0.5 ? { kind: ['video'], orientation: ['portrait'] } : { tags: [skewedPick(PHOTO_WORDS, random)] };
    }
    out.push({
      type,
      query: {
        text,
        filters,
        readableCollectionIds: 'all',
        userId,
        facets: facetSets[Math.floor(random() * 2)]!,
        sort: 'relevance',
        cursor: undefined,
        limit: 50,
      },
    });
  }
  return out;
}

/** What one writes without a search engine: ILIKE on each term, newest first, plus a count. */
async function ilikeSearch(db: ReturnType<typeof createPrismaClient>, query: IndexQuery): Promise<void> {
  const terms = queryTerms(query.text).map((t) => `%${t.replace(/[\\%_]/g, '\\$&')}%`);
  const params: unknown[] = [];
  const where = ['a."deletedAt" IS NULL'];
  for (const term of terms) {
    params.push(term);
    const p = `$${params.length}`;
    where.push(`(a.name ILIKE ${p} OR a.description ILIKE ${p} OR array_to_string(a.tags, ' ') ILIKE ${p})`);
  }
  if (query.filters.kind) {
    params.push(query.filters.kind);
    where.push(`a.kind::text = ANY($${params.length}::text[])`);
  }
  if (query.filters.collectionIds) {
    params.push(query.filters.collectionIds);
    where.push(`a."collectionId" = ANY($${params.length}::uuid[])`);
  }
  if (query.filters.tags) {
    params.push(query.filters.tags);
    where.push(`a.tags @> $${params.length}::text[]`);
  }
  const sql = `FROM assets a WHERE ${where.join(' AND ')}`;
  await db.$queryRawUnsafe(`SELECT a.id ${sql} ORDER BY a."updatedAt" DESC LIMIT 50`, ...params);
  await db.$queryRawUnsafe(`SELECT count(*) ${sql}`, ...params);
}
