// Search latency on the Postgres backend at each size of ASSETS (generated assets,
// default 100k; a comma list such as 100000,1000000 grows one corpus size by size):
//   - full reindex throughput (assets/s) of `search reindex` on that corpus;
//   - p50/p99 of a mix of 1,000 realistic queries (words, typos, prefixes, filters, facets),
//     overall and per query class, and the slowest queries;
//   - a naive ILIKE search (page + count) over the same queries in the same run, as the baseline.
// Usage: ASSETS=100000,1000000 ILIKE_QUERIES=100,30 pnpm --filter @stockroom/bench exec tsx search/search-latency.ts
// DATA_DIR=<folder> keeps the cluster there and reuses a corpus already generated in it
// (REINDEX=0 then also reuses its index), for looking at plans between runs.
// COMPARE=<module> (a file exporting another PostgresSearchIndex, e.g. the backend of an earlier
// commit) runs it on the same queries, interleaved query by query with the current backend and
// alternating which goes first, so both see the same load: the fair before/after on a busy machine.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, createPrismaClient, startEmbeddedPostgres } from '@stockroom/prisma';
import { PostgresSearchIndex } from '../../bridge-server/src/adapters/search/postgres.ts';
import { summarize } from '../core/lib.ts';
import { generateAssets } from './corpus.ts';
import { ilikeSearch, makeQueries } from './queries.ts';
import type { SearchIndex } from '../../bridge-server/src/ports/search-index.ts';

const SIZES = (process.env.ASSETS ?? '100000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const QUERIES = Number(process.env.QUERIES ?? 1000);
// One count, or one per size (the baseline takes seconds per query at a million assets).
const ILIKE_QUERIES = (process.env.ILIKE_QUERIES ?? String(QUERIES)).split(',').map(Number);
const REINDEX = process.env.REINDEX !== '0';
const SLOWEST = Number(process.env.SLOWEST ?? 10);
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

const dir = process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR) : mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-search-'));
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755);
const cluster = await startEmbeddedPostgres(dir);
try {
  await applyMigrations(cluster.url);
  const db = createPrismaClient(cluster.url, { max: 4 });
  const index = new PostgresSearchIndex(db);
  const compared: SearchIndex | null = process.env.COMPARE
    ? new ((await import(path.resolve(process.env.COMPARE))) as { PostgresSearchIndex: new (d: typeof db) => SearchIndex }).PostgresSearchIndex(db)
    : null;

  for (const [sizeIndex, size] of SIZES.entries()) {
    const have = await db.asset.count();
    let t = performance.now();
    if (have < size) {
      await generateAssets(db, size - have, log);
      log(`corpus: ${size - have} more assets (now ${size}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } else if (have > size) {
      throw new Error(`${dir} already holds ${have} assets, more than ${size}: use another DATA_DIR`);
    }

    let reindex: { seconds: number; assetsPerSecond: number; load: string } | null = null;
    if (REINDEX || (await index.count()) !== size) {
      const loadBefore = load();
      t = performance.now();
      const { indexed } = await index.rebuild({ onProgress: (n) => n % 100_000 === 0 && log(`indexed ${n}`) });
      const seconds = (performance.now() - t) / 1000;
      reindex = { seconds: round(seconds), assetsPerSecond: Math.round(indexed / seconds), load: `${loadBefore} → ${load()}` };
      log(`reindex: ${indexed} in ${seconds.toFixed(1)} s = ${reindex.assetsPerSecond} assets/s`);
    }
    // Fresh statistics and visibility map after the bulk load, as autovacuum would give a live server.
    await db.$executeRawUnsafe('VACUUM ANALYZE search_documents');

    const userId = (await db.user.findFirstOrThrow()).id;
    const collections = (await db.collection.findMany({ select: { id: true } })).map((c) => c.id);
    const queries = makeQueries(QUERIES, collections, userId);

    // Warm the caches the same way for both.
    for (const q of queries.slice(0, 50)) {
      await index.search(q.query);
      await compared?.search(q.query);
    }
    const loadBefore = load();
    const ours: { type: string; text: string; ms: number }[] = [];
    const theirs: { type: string; text: string; ms: number }[] = [];
    const timed = async (backend: SearchIndex, q: (typeof queries)[number], into: typeof ours) => {
      const started = performance.now();
      await backend.search(q.query);
      into.push({ type: q.type, text: `${q.query.text} ${JSON.stringify(q.query.filters)} ${q.query.facets.join(',')}`, ms: performance.now() - started });
    };
    for (const [i, q] of queries.entries()) {
      if (compared && i % 2 === 1) await timed(compared, q, theirs);
      await timed(index, q, ours);
      if (compared && i % 2 === 0) await timed(compared, q, theirs);
    }
    const searchLoad = `${loadBefore} → ${load()}`;
    const s = summarize(ours.map((o) => o.ms));
    log(`${size}: search p50 ${round(s.p50)} ms, p99 ${round(s.p99)} ms over ${s.n} queries (load ${searchLoad}); ILIKE baseline next`);
    const naive: number[] = [];
    for (const q of queries.slice(0, ILIKE_QUERIES[Math.min(sizeIndex, ILIKE_QUERIES.length - 1)])) {
      const started = performance.now();
      await ilikeSearch(db, q.query);
      naive.push(performance.now() - started);
    }
    const b = summarize(naive);
    const types = [...new Set(ours.map((o) => o.type))];
    const byType = (runs: typeof ours) =>
      Object.fromEntries(
        types.map((type) => {
          const ms = summarize(runs.filter((o) => o.type === type).map((o) => o.ms));
          return [type, { n: ms.n, p50: round(ms.p50), p99: round(ms.p99), max: round(ms.max) }];
        }),
      );
    const slowest = (runs: typeof ours) =>
      [...runs]
        .sort((x, y) => y.ms - x.ms)
        .slice(0, SLOWEST)
        .map((o) => `${round(o.ms)} ms  ${o.type}: ${o.text}`);
    const c = compared ? summarize(theirs.map((o) => o.ms)) : null;
    const result = {
      assets: size,
      reindex,
      search: { n: s.n, p50: round(s.p50), p99: round(s.p99), max: round(s.max), mean: round(s.mean), load: searchLoad },
      ilike: { n: b.n, p50: round(b.p50), p99: round(b.p99), max: round(b.max), mean: round(b.mean) },
      ratioP50: round(b.p50 / s.p50),
      ratioP99: round(b.p99 / s.p99),
      byType: byType(ours),
      slowest: slowest(ours),
      ...(c
        ? {
            compared: {
              module: process.env.COMPARE,
              n: c.n,
              p50: round(c.p50),
              p99: round(c.p99),
              max: round(c.max),
              ilikeRatioP50: round(b.p50 / c.p50),
              ilikeRatioP99: round(b.p99 / c.p99),
              byType: byType(theirs),
              slowest: slowest(theirs),
            },
          }
        : {}),
    };
    console.log(JSON.stringify(result, null, 2));
  }
  await db.$disconnect();
} finally {
  await cluster.stop();
  if (!process.env.DATA_DIR) rmSync(dir, { recursive: true, force: true });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
