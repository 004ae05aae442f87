// The library grid at scale, in Chromium on loopback: how long the grid takes to first show
// its cards, and what scrolling it asks the server for. Measured twice on the same server
// in the same run: first with 100 assets (the baseline: browser, scripts and round trips
// with little data), then, the tables emptied, with 100,000 assets, each with a version and
// a ready thumbnail (one WebP shared by all, so every card has a picture to load).
// Opening the grid and scrolling its first page to the end must ask for that one page of the
// search (one call) and load at most the thumbnails of that page (the grid is virtualised, the images lazy); each
// Next asks for exactly one page. Target: first paint < 1 s (the dashboard page-load target).
// Usage: ROUNDS=5 pnpm --filter @stockroom/bench exec tsx dashboard/grid-scroll.ts
import os from 'node:os';
import type { Page } from 'playwright-core';
import { loadConfig, startStockroom, createLogger, type Stockroom } from '@stockroom/bridge-server';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, signIn } from '../../bridge-server/test/dashboard/browser.ts';
import { SCALE_ASSETS, seedDashboardScale } from '../../bridge-server/test/dashboard/scale-fixture.ts';
import { summarize } from '../core/lib.ts';
import { seedThumbnails } from '../core/thumbnails.ts';
import { freshDir } from '../derivatives/lib.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PAGE_SIZE = 50; // the library's page (dashboard/src/library/library-page.tsx)
const NEXT_PAGES = 3;
const ADMIN_TOKEN = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuvwxyz';
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/**
 * Every method call the server answers, by name (the registry's handlers wrapped once). A search
 * for one result only (the collection tree's counts) is counted apart, as `assets.search:counts`:
 * it loads no page.
 */
function countCalls(stockroom: Stockroom): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of stockroom.registry.list()) {
    const handler = entry.handler as (ctx: unknown, params: unknown) => Promise<unknown>;
    entry.handler = (async (ctx: unknown, params: unknown) => {
      const countsOnly = entry.name === 'assets.search' && (params as { limit?: number } | undefined)?.limit === 1;
      const name = countsOnly ? 'assets.search:counts' : entry.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return handler(ctx, params);
    }) as typeof entry.handler;
  }
  return counts;
}

async function firstPaints(page: Page, url: string): Promise<number[]> {
  const times: number[] = [];
  await page.goto(`${url}/admin/assets`); // warms the HTTP cache
  await page.locator('li.asset-card').first().waitFor();
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await page.goto(`${url}/admin/assets`);
    await page.locator('li.asset-card').first().waitFor();
    times.push(performance.now() - started);
  }
  return times;
}

/** Scrolls the first page's grid to its end; what was asked for meanwhile, and the most cards ever in the page. */
async function scrollThrough(page: Page, url: string, calls: Map<string, number>) {
  let images = 0;
  const onRequest = (request: { url(): string }) => {
    if (request.url().includes('/derivatives/thumbnail/content')) images++;
  };
  // Counted from the navigation on: the page's first search and thumbnails call, then whatever scrolling adds.
  const searchesBefore = calls.get('assets.search') ?? 0;
  const thumbnailCallsBefore = calls.get('library.thumbnails') ?? 0;
  // Leave the previous page first: its lazy thumbnails must not be counted as this one's.
  await page.goto('about:blank');
  page.on('request', onRequest);
  await page.goto(`${url}/admin/assets?view=grid`);
  await page.locator('li.asset-card').first().waitFor();
  await page.waitForTimeout(300);
  let maxCards = 0;
  const grid = page.getByTestId('asset-grid');
  for (let step = 0; step < 200; step++) {
    const atEnd = await grid.evaluate((el) => {
      const e = el as unknown as { scrollTop: number; clientHeight: number; scrollHeight: number };
      e.scrollTop += e.clientHeight / 2;
      return e.scrollTop + e.clientHeight >= e.scrollHeight - 2;
    });
    await page.waitForTimeout(60);
    maxCards = Math.max(maxCards, await page.locator('li.asset-card').count());
    if (atEnd) break;
  }
  await page.waitForTimeout(1000);
  page.off('request', onRequest);
  const scrolled = {
    searchCalls: (calls.get('assets.search') ?? 0) - searchesBefore,
    thumbnailCalls: (calls.get('library.thumbnails') ?? 0) - thumbnailCallsBefore,
    imageRequests: images,
    maxCardsInPage: maxCards,
  };
  const perNext: number[] = [];
  for (let i = 0; i < NEXT_PAGES; i++) {
    const before = calls.get('assets.search') ?? 0;
    const first = await page.locator('li.asset-card .card-name').first().textContent();
    await page.getByRole('navigation', { name: 'Assets pages' }).getByRole('button', { name: /Next/ }).click();
    await page.waitForFunction((name) => (globalThis as any).document.querySelector('li.asset-card .card-name')?.textContent !== name, first);
    await page.waitForTimeout(500);
    perNext.push((calls.get('assets.search') ?? 0) - before);
  }
  return { ...scrolled, searchCallsPerNext: perNext };
}

await ensureDashboardBuilt();
const level = process.env.BENCH_LOG_LEVEL ?? 'warn';
const dataDir = freshDir('grid-scroll');
const config = loadConfig({
  STOCKROOM_DATA_DIR: dataDir,
  LOG_LEVEL: level,
  HOST: '127.0.0.1',
  PORT: '0',
  STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
  STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
});
const stockroom = await startStockroom(config, { logger: createLogger(level) });
const calls = countCalls(stockroom);
const browser = await launchBrowser();
try {
  const url = stockroom.http!.url;
  const page = await browser.newPage();
  await signIn(page, { url, adminToken: ADMIN_TOKEN, adminEmail: config.admin.email });

  log('small database: measuring');
  await seedDashboardScale(stockroom, { assets: 100, auditRows: 10, locks: 1 });
  await seedThumbnails(stockroom, dataDir);
  const small = await firstPaints(page, url);
  await stockroom.database.prisma.$executeRawUnsafe('TRUNCATE locks, derivatives, versions, assets, audit_events CASCADE');
  log(`seeding ${SCALE_ASSETS} assets with thumbnails`);
  await seedDashboardScale(stockroom);
  await seedThumbnails(stockroom, dataDir);
  log('measuring');
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const scaled = await firstPaints(page, url);
  const scroll = await scrollThrough(page, url, calls);
  const at = summarize(scaled);
  const base = summarize(small);
  console.log(
    JSON.stringify(
      {
        rounds: ROUNDS,
        assets: SCALE_ASSETS,
        load: `${loadBefore} → ${os.loadavg()[0]!.toFixed(2)}`,
        cores: os.cpus().length,
        firstPaintMs: { p50: Math.round(at.p50), max: Math.round(at.max), smallP50: Math.round(base.p50), ratio: Number((at.p50 / base.p50).toFixed(2)) },
        scroll,
        targetMet: at.max < 1000 && scroll.searchCalls === 1 && scroll.imageRequests <= PAGE_SIZE && scroll.searchCallsPerNext.every((n) => n === 1),
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await stockroom.stop();
}
