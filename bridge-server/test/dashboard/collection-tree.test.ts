import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { seedPictures, seriousAccessibilityViolations, waitForThumbnails } from './library-fixture.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('collection-tree-screenshots');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
/** brand > social > stories; archive at the top. */
const c = { brand: '', social: '', stories: '', archive: '' };
let unfiled: string[];

const tree = () => page.getByRole('navigation', { name: 'Collections' });
const row = (id: string) => tree().locator(`li[data-collection="${id}"] > .tree-row`);
const nodeName = (id: string) => row(id).locator('.tree-name');
const summary = () => page.locator('.library-summary');
const toast = () => page.getByTestId('move-toast');
const cards = () => page.getByTestId('asset-grid').locator('li.asset-card');
const card = (name: string) => cards().filter({ has: page.getByRole('link', { name, exact: true }) });
const query = () => new URL(page.url()).searchParams;
const prisma = () => server.stockroom.database.prisma;
const parentOf = async (id: string) => (await prisma().collection.findUniqueOrThrow({ where: { id } })).parentId;
const collectionOf = async (ids: string[]) =>
  (await prisma().asset.findMany({ where: { id: { in: ids } }, orderBy: { name: 'asc' } })).map((a) => a.collectionId);

/** Counts come from the search index, a moment behind the database; the page asks again by itself after a move. */
async function countShown(id: string, count: number): Promise<void> {
  await expect.poll(async () => (await row(id).locator('.facet-count').textContent())?.trim(), { timeout: 20_000 }).toBe(String(count));
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const admin = await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  c.brand = (await socket.call('collections.create', { name: 'Brand' })).id;
  c.social = (await socket.call('collections.create', { name: 'Social', parentId: c.brand })).id;
  c.stories = (await socket.call('collections.create', { name: 'Stories', parentId: c.social })).id;
  c.archive = (await socket.call('collections.create', { name: 'Archive' })).id;
  socket.close();
  const spec = (prefix: string, count: number, collectionId: string | null, seed: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i + 1}.jpg`, collectionId, seed: seed + i }));
  const ids = await seedPictures(server, admin.id, server.adminToken, [
    ...spec('brand', 4, c.brand, 1),
    ...spec('social', 3, c.social, 10),
    ...spec('story', 2, c.stories, 20),
    ...spec('archive', 3, c.archive, 30),
    ...spec('unfiled', 2, null, 40),
  ]);
  unfiled = ids.slice(-2);
  await waitForThumbnails(server, ids);
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('collections as a tree in the library', () => {
  it('shows the tree with the server’s counts, browses a collection on click, and Back and a link restore it', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Assets' }).click();
    await expect.poll(() => summary().textContent()).toContain('14 assets');
    await countShown(c.brand, 4);
    await countShown(c.archive, 3);
    expect(await row('').count()).toBe(0);
    // Collapsed: the sub-collections are not shown until Brand is expanded.
    expect(await row(c.social).count()).toBe(0);
    await row(c.brand).getByRole('button', { name: 'Expand Brand' }).click();
    await countShown(c.social, 3);
    expect(await row(c.brand).getByRole('button', { name: 'Collapse Brand' }).getAttribute('aria-expanded')).toBe('true');

    await nodeName(c.social).click();
    await expect.poll(() => summary().textContent()).toContain('3 assets in Social');
    expect(query().get('collection')).toBe(c.social);
    expect(await nodeName(c.social).getAttribute('aria-current')).toBe('true');
    expect(await cards().count()).toBe(3);
    // The counts stay those of every collection while one is viewed.
    await countShown(c.archive, 3);

    await row(c.social).getByRole('button', { name: 'Expand Social' }).click();
    await nodeName(c.stories).click();
    await expect.poll(() => summary().textContent()).toContain('2 assets in Stories');
    expect(await nodeName(c.social).getAttribute('aria-current')).toBeNull();
    await page.goBack();
    await expect.poll(() => query().get('collection')).toBe(c.social);
    await expect.poll(() => summary().textContent()).toContain('3 assets in Social');
    expect(await nodeName(c.social).getAttribute('aria-current')).toBe('true');

    // A shared link to a nested collection opens the way down to it.
    await page.goto(`${server.url}/admin/assets?collection=${c.stories}`);
    await expect.poll(() => summary().textContent()).toContain('2 assets in Stories');
    expect(await nodeName(c.stories).getAttribute('aria-current')).toBe('true');
    await countShown(c.stories, 2);

    // The counts follow the search.
    await page.getByRole('searchbox', { name: 'Search' }).fill('archive');
    await expect.poll(() => query().get('q')).toBe('archive');
    await countShown(c.archive, 3);
    // No match in Brand: no count at all.
    await expect.poll(async () => (await row(c.brand).locator('.facet-count').textContent())?.trim()).toBe('');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await expect.poll(() => query().get('q')).toBe(null);
  });

  it('moves a collection by dragging it onto another, or with "Move collection…", and never into itself', async () => {
    await page.goto(`${server.url}/admin/assets?collection=${c.stories}`);
    await countShown(c.stories, 2);
    await row(c.stories).dragTo(row(c.archive));
    await expect.poll(() => toast().textContent()).toContain('Moved “Stories” into “Archive”');
    expect(await parentOf(c.stories)).toBe(c.archive);
    // The tree follows: Stories (still the one viewed) is now under Archive, which opened.
    await expect.poll(() => tree().locator(`li[data-collection="${c.archive}"] li[data-collection="${c.stories}"]`).count()).toBe(1);
    expect(await nodeName(c.stories).getAttribute('aria-current')).toBe('true');

    // Brand onto its own sub-collection: the tree does not take the drop, and nothing moves.
    // (Brand and Social are open: they were the way down to Stories.)
    await row(c.brand).dragTo(row(c.social));
    expect(await parentOf(c.brand)).toBeNull();
    // No call was made: the last answer is still the earlier move, not a refusal.
    expect(await toast().textContent()).toContain('Moved “Stories” into “Archive”');
    expect(await toast().getAttribute('role')).toBe('status');

    // Onto "All assets": to the top level.
    await row(c.stories).dragTo(tree().locator('li:not([data-collection]) > .tree-row'));
    await expect.poll(() => toast().textContent()).toContain('Moved “Stories” to the top level');
    expect(await parentOf(c.stories)).toBeNull();

    // The chooser leaves out the collection itself and everything below it.
    await nodeName(c.brand).click();
    await expect.poll(() => summary().textContent()).toContain('4 assets in Brand');
    await page.getByRole('button', { name: 'Move collection…' }).click();
    const dialog = page.getByRole('dialog');
    const choices = await dialog.getByLabel('Move into').locator('option').allTextContents();
    expect(choices.sort()).toEqual(['Archive', 'Stories', 'The top level']);
    await dialog.getByLabel('Move into').selectOption({ label: 'Archive' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-library-collection-move.png') });
    await dialog.getByRole('button', { name: 'Move' }).click();
    await expect.poll(() => parentOf(c.brand)).toBe(c.archive);
    await expect.poll(() => tree().locator(`li[data-collection="${c.archive}"] li[data-collection="${c.social}"]`).count()).toBe(1);
    // Back to the top level with the chooser.
    await page.getByRole('button', { name: 'Move collection…' }).click();
    await dialog.getByLabel('Move into').selectOption({ label: 'The top level' });
    await dialog.getByRole('button', { name: 'Move' }).click();
    await expect.poll(() => parentOf(c.brand)).toBeNull();
  });

  it('moves dragged assets (one, or the selection) onto a collection, and Undo moves them back', async () => {
    await page.goto(`${server.url}/admin/assets?sort=name`);
    await expect.poll(() => summary().textContent()).toContain('14 assets');
    // The selection: drag one of the two ticked cards and both go.
    await card('unfiled-1.jpg').getByRole('checkbox').click();
    await card('unfiled-2.jpg').getByRole('checkbox').click();
    await card('unfiled-1.jpg').dragTo(row(c.archive));
    await expect.poll(() => toast().textContent()).toContain('Moved 2 assets to “Archive”');
    expect(await collectionOf(unfiled)).toEqual([c.archive, c.archive]);
    await countShown(c.archive, 5);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-library-drag-undo.png') });
    await toast().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => toast().textContent()).toContain('Moved 2 assets back');
    expect(await collectionOf(unfiled)).toEqual([null, null]);
    await countShown(c.archive, 3);

    // An unticked card goes alone; Undo puts it back where it was (a collection, not unfiled).
    await page.goto(`${server.url}/admin/assets?collection=${c.archive}&sort=name`);
    await expect.poll(() => summary().textContent()).toContain('3 assets in Archive');
    const [archiveOne] = (await prisma().asset.findMany({ where: { name: 'archive-1.jpg' } })).map((a) => a.id);
    await card('archive-1.jpg').dragTo(row(c.brand));
    await expect.poll(() => toast().textContent()).toContain('Moved 1 asset to “Brand”');
    expect(await collectionOf([archiveOne!])).toEqual([c.brand]);
    await expect.poll(() => cards().count()).toBe(2);
    await toast().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => toast().textContent()).toContain('Moved 1 asset back');
    expect(await collectionOf([archiveOne!])).toEqual([c.archive]);
  });

  it('counts the upload-date choices on the server, also while one of them is chosen', async () => {
    // Uploaded earlier: Brand 10 days ago, Archive 100 days ago, Stories 400 days ago (the index reads the same dates).
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    for (const [collectionId, days] of [
      [c.brand, 10],
      [c.archive, 100],
      [c.stories, 400],
    ] as const) {
      await prisma().asset.updateMany({ where: { collectionId }, data: { createdAt: daysAgo(days) } });
      await prisma().$executeRaw`UPDATE search_documents SET "createdAt" = ${daysAgo(days)} WHERE "collectionId" = ${collectionId}::uuid`;
    }
    const uploaded = () => page.getByRole('group', { name: 'Uploaded' });
    const preset = (label: string) => uploaded().locator('label', { hasText: label });
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          ['Today', 'Last 7 days', 'Last 30 days', 'Last 12 months'].map(async (l) => [l, (await preset(l).locator('.facet-count').textContent()) ?? '']),
        ),
      );
    const expected = { Today: '5', 'Last 7 days': '5', 'Last 30 days': '9', 'Last 12 months': '12' };
    await page.goto(`${server.url}/admin/assets`);
    await expect.poll(() => summary().textContent()).toContain('14 assets');
    await expect.poll(counts, { timeout: 10_000 }).toEqual(expected);
    await preset('Last 30 days').getByRole('radio').check();
    await expect.poll(() => summary().textContent()).toContain('9 assets');
    expect(query().get('uploaded')).toBe('30d');
    // The other choices keep their counts while one narrows the view.
    await expect.poll(counts).toEqual(expected);
    // They follow the rest of the search.
    await page.getByRole('searchbox', { name: 'Search' }).fill('brand');
    await expect.poll(() => summary().textContent()).toContain('4 assets');
    await expect.poll(counts).toEqual({ Today: '0', 'Last 7 days': '0', 'Last 30 days': '4', 'Last 12 months': '4' });
  });

  it('has no critical or serious accessibility violations, and no console errors', async () => {
    await page.goto(`${server.url}/admin/assets?collection=${c.social}`);
    await expect.poll(() => summary().textContent()).toContain('assets in Social');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
