import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchIndex } from '../../src/adapters/search/postgres.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';

const ASSETS = 100_000;
const AUDIT_ROWS = 10_000;
const LOCKS = 250;
/** The budget for a page load, on an otherwise idle machine. */
const LOAD_BUDGET_MS = 1000;
/** Wall time of CPU_LOOP on an idle 2-core build machine (Node 20): the yardstick for a busy one. */
const CPU_REFERENCE_MS = 30;
const CPU_LOOP = 20_000_000;

/**
 * How many times slower than idle this machine runs right now (at least 1), from the
 * best of three runs of a fixed loop. Test machines are shared: with ten other processes
 * on two cores every page is ten times slower, which says nothing about the dashboard.
 */
function cpuSlowdown(): number {
  const runs = [0, 1, 2].map(() => {
    const started = performance.now();
    let x = 0;
    for (let i = 0; i < CPU_LOOP; i++) x += i % 7;
    if (x < 0) throw new Error('unreachable');
    return performance.now() - started;
  });
  return Math.max(1, Math.min(...runs) / CPU_REFERENCE_MS);
}

/** The largest page any list method may be asked for or answer. */
const MAX_PAGE = 200;

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
const calls: Array<{ method: string; params: any; result: any; ms: number }> = [];

/** Every array anywhere in a method's answer: a list method that read a whole table would show one here. */
function arraysIn(value: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) {
    out.push(value);
    value.forEach((v) => arraysIn(v, out));
  } else if (value && typeof value === 'object') Object.values(value).forEach((v) => arraysIn(v, out));
  return out;
}

async function seed(): Promise<void> {
  const db = server.stockroom.database.prisma;
  const admin = await db.user.findFirstOrThrow({ where: { role: 'admin' } });
  const holder = await server.createUser({ name: 'Lock Holder' });
  // generate_series: 100,000 assets with a version each in a few seconds, instead of 100,000 uploads.
  await db.$executeRawUnsafe(`INSERT INTO blobs (sha256, size, "storageKey") VALUES (repeat('a', 64), 1048576, 'seeded')`);
  await db.$executeRawUnsafe(
    `INSERT INTO assets (id, name, kind, tags, "headVersion", "createdById", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), 'seeded asset ' || i, (ARRAY['image','video','audio','document','design','font','other'])[1 + i % 7]::"AssetKind",
            ARRAY['seeded'], 1, $1::uuid, now() - i * interval '1 minute', now() - i * interval '1 minute'
     FROM generate_series(1, ${ASSETS}) i`,
    admin.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO versions (id, "assetId", number, "blobSha256", size, "mimeType", "originalName", "authorId", "createdAt")
     SELECT gen_random_uuid(), id, 1, repeat('a', 64), 1048576, 'application/octet-stream', name, "createdById", "createdAt" FROM assets`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO locks ("assetId", "holderId", "clientApp", "createdAt")
     SELECT id, $1::uuid, 'premiere', "createdAt" FROM assets ORDER BY "createdAt" DESC LIMIT ${LOCKS}`,
    holder.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO audit_events ("actorId", action, "targetType", "targetId", "clientApp", data, "createdAt")
     SELECT $1::uuid, (ARRAY['asset.create','asset.checkout','asset.release','asset.update'])[1 + i % 4], 'asset',
            gen_random_uuid()::text, 'photoshop', '{}', now() - i * interval '1 second'
     FROM generate_series(1, ${AUDIT_ROWS}) i`,
    admin.id,
  );
  await db.$executeRawUnsafe('ANALYZE');
  // The search index is normally filled from the outbox; rows inserted by SQL are indexed in one rebuild.
  if (server.stockroom.registry.get('assets.search')) await new PostgresSearchIndex(db).rebuild();
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  await seed();
  for (const entry of server.stockroom.registry.list()) {
    const handler = entry.handler as (ctx: unknown, params: unknown) => Promise<unknown>;
    entry.handler = (async (ctx: unknown, params: unknown) => {
      const started = performance.now();
      const result = await handler(ctx, params);
      calls.push({ method: entry.name, params, result, ms: Math.round(performance.now() - started) });
      return result;
    }) as typeof entry.handler;
  }
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.destroy();
});

describe(`dashboard with ${ASSETS.toLocaleString('en')} assets and ${AUDIT_ROWS.toLocaleString('en')} audit rows`, () => {
  const pages: Array<{ path: string; ready: (p: Page) => Promise<unknown> }> = [
    { path: '/', ready: (p) => p.getByTestId('stat-assets').getByText('100,000').waitFor() },
    { path: '/assets', ready: (p) => p.getByRole('link', { name: /^seeded asset \d+$/ }).first().waitFor() },
    { path: '/locks', ready: (p) => p.getByText(`${LOCKS} locks`).waitFor() },
    { path: '/audit', ready: (p) => p.getByRole('row', { name: /asset\.(create|checkout|release|update)/ }).first().waitFor() },
    { path: '/users', ready: (p) => p.getByRole('heading', { level: 1, name: 'Users & tokens' }).waitFor() },
    { path: '/collections', ready: (p) => p.getByRole('heading', { level: 1, name: 'Collections & grants' }).waitFor() },
    { path: '/settings', ready: (p) => p.getByRole('row', { name: /MAX_UPLOAD_SIZE/ }).waitFor() },
  ];

  it('loads every page within 1 s on loopback (full page load, sign-in and data; 1 s on an idle machine, scaled by its current CPU slowdown)', async () => {
    const timings: Record<string, number> = {};
    const slowdownBefore = cpuSlowdown();
    for (const { path, ready } of pages) {
      await page.goto(`${server.url}/admin${path}`); // warms the HTTP cache, as a returning admin has it
      await ready(page);
      const started = performance.now();
      await page.goto(`${server.url}/admin${path}`);
      await ready(page);
      timings[path] = Math.round(performance.now() - started);
    }
    const slowdown = (slowdownBefore + cpuSlowdown()) / 2;
    const budget = Math.round(LOAD_BUDGET_MS * slowdown);
    console.log('dashboard page load (ms):', JSON.stringify(timings), `CPU slowdown ${slowdown.toFixed(1)}x, budget ${budget} ms`);
    console.log('slowest server calls (ms):', JSON.stringify(calls.map((c) => [c.method, c.ms]).sort((a, b) => (b[1] as number) - (a[1] as number)).slice(0, 8)));
    for (const [path, ms] of Object.entries(timings)) expect(ms, path).toBeLessThan(budget);
  });

  it('asks for pages only: every list call has a limit of at most 200 and no answer holds more rows', async () => {
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      if (call.params && typeof call.params === 'object' && 'limit' in call.params) expect(call.params.limit, call.method).toBeLessThanOrEqual(MAX_PAGE);
      for (const array of arraysIn(call.result)) expect(array.length, call.method).toBeLessThanOrEqual(MAX_PAGE);
    }
    const paged = (method: string) => calls.filter((c) => c.method === method);
    const locks = paged('admin.locks');
    expect(locks.length).toBeGreaterThan(0);
    expect(locks.every((c) => c.result.total === LOCKS && c.result.locks.length < LOCKS)).toBe(true);
    if (server.stockroom.registry.get('assets.search')) {
      const searches = paged('assets.search');
      expect(searches.length).toBeGreaterThan(0);
      expect(searches.every((c) => c.result.nextCursor !== null && c.result.hits.length <= 50)).toBe(true);
    }
    if (server.stockroom.registry.get('audit.query')) {
      const audits = paged('audit.query');
      expect(audits.length).toBeGreaterThan(0);
      expect(audits.every((c) => c.result.nextCursor !== null && c.result.events.length <= 50)).toBe(true);
    }
    const stats = paged('admin.stats').at(-1)!.result;
    expect(stats.assets.total).toBe(ASSETS);
    expect(stats.versionsPerDay.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBeGreaterThan(0);
  });

  it('had no console errors', () => {
    expect(problems).toEqual([]);
  });
});
