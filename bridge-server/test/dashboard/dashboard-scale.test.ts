import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { DASHBOARD_PAGES, SCALE_ASSETS as ASSETS, SCALE_AUDIT_ROWS as AUDIT_ROWS, SCALE_LOCKS as LOCKS, seedDashboardScale } from './scale-fixture.ts';

/** The largest page any list method may be asked for or answer. */
const MAX_PAGE = 200;

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
const calls: Array<{ method: string; params: any; result: any }> = [];

/** Every array anywhere in a method's answer: a list method that read a whole table would show one here. */
function arraysIn(value: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) {
    out.push(value);
    value.forEach((v) => arraysIn(v, out));
  } else if (value && typeof value === 'object') Object.values(value).forEach((v) => arraysIn(v, out));
  return out;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  await seedDashboardScale(server.stockroom);
  for (const entry of server.stockroom.registry.list()) {
    const handler = entry.handler as (ctx: unknown, params: unknown) => Promise<unknown>;
    entry.handler = (async (ctx: unknown, params: unknown) => {
      const result = await handler(ctx, params);
      calls.push({ method: entry.name, params, result });
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
  it('opens every page with its data at this scale (how long each takes: bench/dashboard/page-load.ts)', async () => {
    for (const { path, ready } of DASHBOARD_PAGES) {
      await page.goto(`${server.url}/admin${path}`);
      await ready(page, { assets: ASSETS.toLocaleString('en'), locks: LOCKS });
    }
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
