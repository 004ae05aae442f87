// The slowest queries of a search-latency run, timed one by one against an earlier backend:
// each query 21 times per backend, alternating which goes first, on the same database. The
// median of each is far less sensitive to a loaded machine than the p99 of a mixed run.
// Usage: DATA_DIR=<a folder search-latency.ts filled> COMPARE=<module exporting PostgresSearchIndex>
//        pnpm --filter @stockroom/bench exec tsx search/compare-queries.ts
import path from 'node:path';
import { createPrismaClient, startEmbeddedPostgres } from '@stockroom/prisma';
import type { SearchFacet } from '@stockroom/shared-types';
import { PostgresSearchIndex } from '../../bridge-server/src/adapters/search/postgres.ts';
import type { IndexQuery, SearchIndex } from '../../bridge-server/src/ports/search-index.ts';

const ROUNDS = 21;
const FACETS: SearchFacet[] = ['kind', 'collectionId', 'tags'];
// The slowest of the quiet 100k runs of 2026-12-05 (docs/benchmarks.md): common words and
// corrected typos, with and without facets, and short prefixes.
const QUERIES: [string, SearchFacet[]][] = [
  ['beach', FACETS],
  ['beach', []],
  ['hose', FACETS],
  ['hose', []],
  ['bech', FACETS],
  ['light', FACETS],
  ['surnise', []],
  ['snrise', []],
  ['brdge', []],
  ['wolf', FACETS],
  ['sky', FACETS],
  ['hous', FACETS],
  ['sta', []],
];

if (!process.env.DATA_DIR || !process.env.COMPARE)
  throw new Error('Set DATA_DIR (a corpus made by search-latency.ts) and COMPARE (the backend to compare with).');
const cluster = await startEmbeddedPostgres(path.resolve(process.env.DATA_DIR));
const db = createPrismaClient(cluster.url, { max: 2 });
try {
  const current = new PostgresSearchIndex(db);
  const { PostgresSearchIndex: Earlier } = (await import(path.resolve(process.env.COMPARE))) as { PostgresSearchIndex: new (d: typeof db) => SearchIndex };
  const earlier = new Earlier(db);
  const userId = (await db.user.findFirstOrThrow()).id;
  const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  const rows = [];
  for (const [text, facets] of QUERIES) {
    const query: IndexQuery = { text, filters: {}, readableCollectionIds: 'all', userId, facets, sort: 'relevance', cursor: undefined, limit: 50 };
    const times = new Map<SearchIndex, number[]>([
      [current, []],
      [earlier, []],
    ]);
    for (let i = 0; i < 3; i++) for (const backend of times.keys()) await backend.search(query);
    for (let i = 0; i < ROUNDS; i++) {
      for (const backend of i % 2 ? [current, earlier] : [earlier, current]) {
        const started = performance.now();
        await backend.search(query);
        times.get(backend)!.push(performance.now() - started);
      }
    }
    const now = median(times.get(current)!);
    const before = median(times.get(earlier)!);
    rows.push({
      query: `${text}${facets.length ? ' + facets' : ''}`,
      medianMs: round(now),
      earlierMedianMs: round(before),
      ratio: Math.round((now / before) * 100) / 100,
    });
  }
  console.log(JSON.stringify(rows, null, 2));
} finally {
  await db.$disconnect();
  await cluster.stop();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
