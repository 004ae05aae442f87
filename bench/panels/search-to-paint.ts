// Search as the user feels it, in the Photoshop panel's browser preview (fake Photoshop) in
// Chromium, against a bridge on loopback with 100,000 generated assets (the search bench's
// corpus, real Postgres search) whose thumbnails exist (real WebP images). For each of QUERIES
// queries (words, prefixes, typos, two words, drawn from the corpus's vocabulary, each new),
// the query is typed with the keyboard like a user (Ctrl+A, then key by key), and the page
// itself measures from the keydown of the last character (so the panel's debounce is
// included) until the first row of cards shows the answer's thumbnails, decoded, and a frame
// has been painted. Right after, the baseline in the same page: the same search over a
// WebSocket of its own and the first row's thumbnail fetches, decoded and painted — the floor
// that server and network give, without the panel. Target: panel p95 < 150 ms.
// Each of RUNS runs has its own queries and a fresh browser profile; the server is seeded once.
// Usage: RUNS=3 QUERIES=200 pnpm --filter @stockroom/bench exec tsx panels/search-to-paint.ts
import os from 'node:os';
import { loadConfig, startStockroom, createLogger } from '@stockroom/bridge-server';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../panels/test/support/browser.ts';
import { startPreview } from '../../panels/test/support/preview.ts';
import { summarize, percentile } from '../core/lib.ts';
import { giveOwnThumbnails, seedThumbnails } from '../core/thumbnails.ts';
import { freshDir } from '../derivatives/lib.ts';
import { PostgresSearchIndex } from '../../bridge-server/src/adapters/search/postgres.ts';
import { generateAssets } from '../search/corpus.ts';
import { makeQueries } from '../search/queries.ts';
import { installProbes, measureBaseline, openProbeSocket, armPanelMeasure, type PanelSample, type ProbeHit } from './search-to-paint-page.ts';

const ASSETS = Number(process.env.ASSETS ?? 100_000);
const QUERIES = Number(process.env.QUERIES ?? 200);
const RUNS = Number(process.env.RUNS ?? 3);
const TARGET_P95_MS = 150;
const ADMIN_TOKEN = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuvwxyz';
const QUERY_TYPES = new Set(['word', 'two words', 'prefix', 'typo']);
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

// Typing like a fast typist: the key held ~20 ms, 70–140 ms between keys (seeded, the same every run).
let seed = 11;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

async function openPanel(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Use a token instead' }).click();
  await page.getByPlaceholder('Paste the token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  if (process.env.DEBUG_WS) page.on('console', (m) => log(`console ${m.type()}: ${m.text()}`));
  if (process.env.DEBUG_WS) page.on('requestfailed', (r) => log(`failed ${r.url()} ${r.failure()?.errorText}`));
  if (process.env.DEBUG_WS)
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => log(`< ${String(f.payload).slice(0, 300)}`)).on('framesent', (f) => log(`> ${String(f.payload).slice(0, 300)}`)),
    );
  await page
    .getByTestId('asset-card')
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(async (error) => {
      await page.screenshot({ path: `${dataDir}/failed.png` });
      throw error;
    });
  await page.getByRole('searchbox', { name: 'Search' }).focus();
  await openProbeSocket(page, ADMIN_TOKEN);
  // The first row: the cards beside the first one (3 at the panel's default width and size).
  return page
    .getByTestId('asset-card')
    .evaluateAll(
      (els) => els.filter((el) => (el as unknown as { offsetTop: number }).offsetTop === (els[0] as unknown as { offsetTop: number }).offsetTop).length,
    );
}

/** One search on the probe socket, waiting out the server's per-connection message limit (the candidates are searched back to back). */
async function searchPaced(page: Page, text: string): Promise<ProbeHit[]> {
  for (;;) {
    try {
      return (await page.evaluate((q) => (globalThis as any).__bench.search(q), text)) as ProbeHit[];
    } catch (error) {
      if (!String(error).includes('RATE_LIMITED')) throw error;
      await page.waitForTimeout(1000);
    }
  }
}

async function typeQuery(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  for (const char of text) {
    await page.keyboard.press(char, { delay: 20 });
    await page.waitForTimeout(70 + Math.round(random() * 70));
  }
}

const dataDir = freshDir('search-to-paint');
const level = process.env.BENCH_LOG_LEVEL ?? 'warn';
const config = loadConfig({ STOCKROOM_DATA_DIR: dataDir, LOG_LEVEL: level, HOST: '127.0.0.1', PORT: '0', STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN });
const stockroom = await startStockroom(config, { logger: createLogger(level) });
const preview = await startPreview(stockroom.http!.url);
try {
  const db = stockroom.database.prisma;
  let t = performance.now();
  await generateAssets(db, ASSETS, log);
  const { indexed } = await new PostgresSearchIndex(db).rebuild();
  await db.$executeRawUnsafe('VACUUM ANALYZE search_documents');
  await seedThumbnails(stockroom, dataDir, { waveforms: true });
  log(`${indexed} assets generated, indexed and given thumbnails in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  // Candidate queries: the search bench's mix without its filters and facets, each text once.
  const seen = new Set<string>();
  const candidates = makeQueries(QUERIES * RUNS * 4, [], '')
    // Playwright presses the keys of a US keyboard: a query with other letters (café) cannot be typed key by key.
    .filter((q) => QUERY_TYPES.has(q.type) && q.query.text.trim().length >= 2 && /^[\x20-\x7e]+$/.test(q.query.text))
    .map((q) => ({ type: q.type, text: q.query.text.trim() }))
    .filter((q) => !seen.has(q.text.toLowerCase()) && seen.add(q.text.toLowerCase()));

  // What each candidate finds (first row only), so the first rows get their own pictures and the
  // measurement knows which cards answer which query. Queries that find no full first row are left out.
  const setup = await launchBrowser();
  let rowSize: number;
  const chosen: Array<{ type: string; text: string; row: ProbeHit[] }> = [];
  try {
    const page = await setup.context.newPage();
    await installProbes(page);
    rowSize = await openPanel(page, preview.url);
    for (const candidate of candidates) {
      if (chosen.length === QUERIES * RUNS) break;
      const row = (await searchPaced(page, candidate.text)).slice(0, rowSize);
      if (row.length === rowSize) chosen.push({ ...candidate, row });
    }
  } finally {
    await setup.close();
  }
  if (chosen.length < QUERIES * RUNS) throw new Error(`only ${chosen.length} queries find a first row; ${QUERIES * RUNS} needed`);
  t = performance.now();
  const versions = await db.version.findMany({
    where: { OR: chosen.flatMap((q) => q.row.map((hit) => ({ assetId: hit.id, number: hit.version }))) },
    select: { id: true, assetId: true, mimeType: true },
  });
  await giveOwnThumbnails(
    stockroom,
    dataDir,
    versions.map((v) => ({ versionId: v.id, preset: v.mimeType.startsWith('audio/') ? 'waveform' : 'thumbnail' })),
  );
  log(`${versions.length} first-row thumbnails of their own in ${((performance.now() - t) / 1000).toFixed(0)} s; first row: ${rowSize} cards`);

  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const queries = chosen.slice(run * QUERIES, (run + 1) * QUERIES);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await installProbes(page);
      await openPanel(page, preview.url);
      // Warm-up: the panel's first search and its code paths, not counted.
      await typeQuery(page, 'warm');
      await page.waitForTimeout(1000);
      const loadBefore = load();
      const panel: Array<PanelSample & { type: string; text: string }> = [];
      const baseline: number[] = [];
      for (const [i, q] of queries.entries()) {
        await armPanelMeasure(
          page,
          q.text,
          q.row.map((hit) => hit.id),
        );
        await typeQuery(page, q.text);
        const sample = await page.evaluate(() => (globalThis as any).__bench.measured as Promise<PanelSample>);
        panel.push({ ...sample, type: q.type, text: q.text });
        baseline.push(await measureBaseline(page, q.text, rowSize));
        if ((i + 1) % 50 === 0) log(`run ${run + 1}: ${i + 1} queries`);
        await page.waitForTimeout(150);
      }
      const result = summariseRun(run + 1, panel, baseline, `${loadBefore} → ${load()}`);
      // Each run as it ends (a long series stopped half-way still leaves its runs).
      console.error(JSON.stringify(result));
      runs.push(result);
    } finally {
      await browser.close();
    }
  }
  const cpu = os.cpus();
  console.log(
    JSON.stringify(
      {
        machine: `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
        assets: ASSETS,
        queriesPerRun: QUERIES,
        firstRowCards: rowSize,
        runs,
        targetMet: runs.every((r) => r.panel.p95 < TARGET_P95_MS),
      },
      null,
      2,
    ),
  );
} finally {
  await preview.close();
  await stockroom.stop();
}

function summariseRun(run: number, panel: Array<PanelSample & { type: string; text: string }>, baseline: number[], load: string) {
  const done = panel.filter((s) => s.totalMs !== null);
  const stats = (values: number[]) => {
    const s = summarize(values);
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: round(s.p50), p95: round(percentile(sorted, 95)), max: round(s.max) };
  };
  const panelStats = stats(done.map((s) => s.totalMs!));
  const baseStats = stats(baseline);
  const result = {
    run,
    load,
    panel: { n: done.length, timedOut: panel.length - done.length, ...panelStats },
    baseline: { n: baseline.length, ...baseStats },
    ratioP95: round(panelStats.p95 / baseStats.p95),
    // Where the panel's time goes, per query: keydown → search sent (the debounce), sent → answer,
    // answer → first row painted (render, thumbnail queue and fetches, decode, frame).
    phases: {
      debounce: stats(done.map((s) => s.debounceMs!)),
      search: stats(done.map((s) => s.searchMs!)),
      answerToPaint: stats(done.map((s) => s.totalMs! - s.debounceMs! - s.searchMs!)),
      searchesSentPerQuery: round(done.reduce((n, s) => n + s.searchesSent, 0) / (done.length || 1)),
      answersWithAnotherFirstRow: done.filter((s) => !s.sameRowAsBefore).length,
    },
    p95ByType: Object.fromEntries([...QUERY_TYPES].map((type) => [type, stats(done.filter((s) => s.type === type).map((s) => s.totalMs!)).p95])),
    slowest: [...done]
      .sort((a, b) => b.totalMs! - a.totalMs!)
      .slice(0, 5)
      .map((s) => `${round(s.totalMs!)} ms ${s.type}: ${s.text} (debounce ${round(s.debounceMs!)}, search ${round(s.searchMs!)})`),
  };
  log(`run ${run}: panel p50 ${result.panel.p50} p95 ${result.panel.p95} ms; baseline p50 ${result.baseline.p50} p95 ${result.baseline.p95} ms (load ${load})`);
  return result;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
