// Dashboard page loads in Chromium on loopback, each page opened ROUNDS times after one
// warm-up (a returning admin has the scripts cached): from navigation until the page shows
// its data. Measured twice on the same server in the same run: first with 100 assets, 10
// locks and 100 audit rows (the baseline: browser, scripts and round trips with little
// data), then, the tables emptied, with 100,000 assets with a version each, 250 locks and
// 10,000 audit rows. Target: every page < 1 s at scale.
// Usage: ROUNDS=5 pnpm --filter @stockroom/bench exec tsx dashboard/page-load.ts
import os from 'node:os';
import type { Page } from 'playwright-core';
import { loadConfig, startStockroom, createLogger } from '@stockroom/bridge-server';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, signIn } from '../../bridge-server/test/dashboard/browser.ts';
import { DASHBOARD_PAGES, SCALE_ASSETS, SCALE_LOCKS, seedDashboardScale } from '../../bridge-server/test/dashboard/scale-fixture.ts';
import { summarize } from '../core/lib.ts';
import { freshDir } from '../derivatives/lib.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ADMIN_TOKEN = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuvwxyz';
const SMALL = { assets: 100, auditRows: 100, locks: 10 };
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function loadTimes(page: Page, url: string, scale: { assets: string; locks: number }): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = {};
  for (const { path, ready } of DASHBOARD_PAGES) {
    await page.goto(`${url}/admin${path}`); // warms the HTTP cache
    await ready(page, scale);
    times[path] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await page.goto(`${url}/admin${path}`);
      await ready(page, scale);
      times[path].push(performance.now() - started);
    }
  }
  return times;
}

await ensureDashboardBuilt();
const level = process.env.BENCH_LOG_LEVEL ?? 'warn';
const config = loadConfig({
  STOCKROOM_DATA_DIR: freshDir('dashboard'),
  LOG_LEVEL: level,
  HOST: '127.0.0.1',
  PORT: '0',
  STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
  STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
});
const stockroom = await startStockroom(config, { logger: createLogger(level) });
const context = await launchBrowser();
try {
  const url = stockroom.http!.url;
  const page = await context.newPage();
  await signIn(page, { url, adminToken: ADMIN_TOKEN, adminEmail: config.admin.email });

  log('small database: measuring');
  await seedDashboardScale(stockroom, SMALL);
  const small = await loadTimes(page, url, { assets: String(SMALL.assets), locks: SMALL.locks });
  await stockroom.database.prisma.$executeRawUnsafe('TRUNCATE locks, versions, assets, audit_events CASCADE');
  log(`seeding ${SCALE_ASSETS} assets`);
  const seedStarted = performance.now();
  await seedDashboardScale(stockroom);
  log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; measuring`);
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const scaled = await loadTimes(page, url, { assets: SCALE_ASSETS.toLocaleString('en'), locks: SCALE_LOCKS });

  const round = (n: number) => Math.round(n);
  const pages = DASHBOARD_PAGES.map(({ path }) => {
    const at = summarize(scaled[path]!);
    const base = summarize(small[path]!);
    return { path, p50: round(at.p50), max: round(at.max), smallP50: round(base.p50), ratio: Number((at.p50 / base.p50).toFixed(2)) };
  });
  const slowest = Math.max(...pages.map((p) => p.max));
  console.log(
    JSON.stringify(
      { rounds: ROUNDS, assets: SCALE_ASSETS, load: `${loadBefore} → ${os.loadavg()[0]!.toFixed(2)}`, slowestMs: slowest, targetMet: slowest < 1000, pages },
      null,
      2,
    ),
  );
} finally {
  await context.close();
  await stockroom.stop();
}
