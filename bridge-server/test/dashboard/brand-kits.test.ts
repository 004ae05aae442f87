import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrandKit } from '@stockroom/shared-types';
import { startTestServer, type TestServer } from '../support/server.ts';
import { api, createBrandKit, kitInput, type BrandFixture } from '../brand/fixture.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';

const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots') : null;

let server: TestServer;
let kit: BrandFixture;
let browser: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  [kit, browser] = await Promise.all([createBrandKit(server), launchBrowser(), ensureDashboardBuilt()]).then(([k, b]) => [k, b] as const);
  page = await browser.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.bootstrap.email });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.destroy();
});

const getKit = () => api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);

describe('dashboard: brand kit editor', () => {
  it('edits sections, usage notes and availability; designers stop being offered a withdrawn photo', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Brand kits' }).click();
    await page.getByRole('button', { name: 'Acme brand' }).click();
    await page.getByRole('heading', { name: 'Acme brand', level: 2 }).waitFor();
    await page.getByRole('checkbox', { name: 'Withdraw Harbour at dawn' }).check();
    await page.getByRole('textbox', { name: 'Why Harbour at dawn was withdrawn' }).fill('Licence ended');
    await page.getByRole('textbox', { name: 'Usage notes of Acme logo' }).fill('Never on busy photos.');
    await page.getByRole('button', { name: 'Add section' }).click();
    const fresh = page.getByRole('group', { name: 'Section New section' });
    await fresh.getByRole('textbox', { name: 'Title' }).fill('Badges');
    await page.getByRole('combobox', { name: 'Add an asset to Badges' }).selectOption({ label: 'Partner badge' });
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-brand-kits.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save brand kit' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    const saved = await getKit();
    expect(saved.sections.map((s) => s.title)).toEqual(['Logos', 'Photography', 'Badges']);
    const photo = saved.sections[1]!.entries[0]!;
    expect([photo.state, photo.withdrawnReason]).toEqual(['withdrawn', 'Licence ended']);
    expect(saved.sections[0]!.entries[0]!.usageNotes).toBe('Never on busy photos.');
    expect(saved.sections[2]!.entries.map((e) => e.assetId)).toEqual([kit.hostile.id]);
    // What the plugin is offered: no photography any more.
    const offered = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`);
    expect(offered.sections.flatMap((s) => s.entries).map((e) => e.name)).not.toContain('Harbour at dawn');
  });

  it('never overwrites a change somebody saved meanwhile: says so and reloads', async () => {
    const current = await getKit();
    const sections = kitInput(current).map((s) => ({ ...s, title: s.title === 'Badges' ? 'Partner badges' : s.title }));
    await api(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: current.updatedAt, sections });
    await page.getByRole('textbox', { name: 'Usage notes of Acme logo' }).fill('Mine, later');
    await page.getByRole('button', { name: 'Save brand kit' }).click();
    await page.getByRole('alert').getByText('Somebody changed this brand kit after you opened it').waitFor();
    expect((await getKit()).sections[2]!.title).toBe('Partner badges');
    await page.getByRole('button', { name: 'Reload the brand kit' }).click();
    await page.getByRole('group', { name: 'Section Partner badges' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Usage notes of Acme logo' }).inputValue()).toBe('Never on busy photos.');
    expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  });
});
