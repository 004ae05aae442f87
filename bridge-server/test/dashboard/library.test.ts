import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { seedPictures, seriousAccessibilityViolations, waitForThumbnails } from './library-fixture.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('library-screenshots');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let brand: { id: string; name: string };
let campaign: { id: string; name: string };
const BRAND_COUNT = 56;
const CAMPAIGN_COUNT = 9;

const url = (p: string) => `${server.url}/admin${p}`;
const cards = () => page.getByTestId('asset-grid').locator('li.asset-card');
const summary = () => page.locator('.library-summary');
const query = () => new URL(page.url()).searchParams;

async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${name}.png`) });
}

/** Totals and facet counts come from the search index, a moment behind the database: reload until it shows `text`. */
async function eventuallyShows(locator: () => ReturnType<Page['locator']>, text: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const shown = (await locator().textContent()) ?? '';
        if (!shown.includes(text)) await page.reload();
        return shown;
      },
      { timeout: 20_000, interval: 1000 },
    )
    .toContain(text);
}

/** How many thumbnails in the grid show decoded pixels (not the placeholder). */
function loadedThumbnails(): Promise<number> {
  return page.locator('.asset-card img.loaded').evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length);
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const admin = await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  brand = await socket.call('collections.create', { name: 'Brand photography' });
  campaign = await socket.call('collections.create', { name: 'Spring campaign' });
  socket.close();
  const specs = [
    ...Array.from({ length: BRAND_COUNT }, (_, i) => ({
      name: `landscape-${String(i + 1).padStart(2, '0')}.jpg`,
      collectionId: brand.id,
      tags: i % 4 === 0 ? ['hero', 'outdoor'] : ['outdoor'],
      seed: i + 1,
    })),
    ...Array.from({ length: CAMPAIGN_COUNT }, (_, i) => ({ name: `sunset-poster-${i + 1}.jpg`, collectionId: campaign.id, tags: ['sunset'], seed: 100 + i })),
  ];
  const ids = await seedPictures(server, admin.id, server.adminToken, specs);
  await waitForThumbnails(server, ids);
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await server?.destroy();
});

describe('the dashboard library', () => {
  it('opens on a grid of real thumbnails, with only the rows in view in the page', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Assets' }).waitFor();
    await expect.poll(() => summary().textContent()).toContain(`${BRAND_COUNT + CAMPAIGN_COUNT} assets`);
    // Every thumbnail the grid asked for has arrived (the picture for the docs shows them all).
    await expect
      .poll(async () => (await loadedThumbnails()) > 4 && (await loadedThumbnails()) === (await page.locator('.asset-card img').count()), { timeout: 15_000 })
      .toBe(true);
    await screenshot('library');

    // The biggest size: a 50-asset page is far taller than the view; only the visible rows (and a few more) exist.
    await page.getByLabel('Thumbnail size').fill('320');
    await expect.poll(() => query().get('size')).toBe('320');
    const rendered = await cards().count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(50);
    // Scrolled to the end, the page's last asset (the oldest of the first 50) is rendered.
    await page.getByTestId('asset-grid').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.getByRole('link', { name: 'landscape-16.jpg', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'sunset-poster-9.jpg', exact: true }).count()).toBe(0);
  });

  it('filters with the facet counts from the server, and keeps every filter in the URL', async () => {
    const sidebar = page.getByRole('complementary', { name: 'Filters' });
    const campaignFacet = sidebar.getByRole('group', { name: 'Collection' }).getByRole('checkbox', { name: /Spring campaign/ });
    expect(await campaignFacet.locator('xpath=..').textContent()).toContain(String(CAMPAIGN_COUNT));
    const heroFacet = sidebar.getByRole('group', { name: 'Tags' }).locator('label', { hasText: 'hero' });
    expect(await heroFacet.textContent()).toContain(String(BRAND_COUNT / 4));

    await campaignFacet.check();
    await expect.poll(() => summary().textContent()).toContain(`${CAMPAIGN_COUNT} assets in Spring campaign`);
    expect(query().get('collection')).toBe(campaign.id);
    expect(await cards().count()).toBe(CAMPAIGN_COUNT);
    await sidebar.getByRole('button', { name: 'Clear all' }).click();
    await heroFacet.getByRole('checkbox').check();
    await expect.poll(() => summary().textContent()).toContain(`${BRAND_COUNT / 4} assets`);
    expect(query().getAll('tag')).toEqual(['hero']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-library-facets.png') });
    await sidebar.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(() => summary().textContent()).toContain(`${BRAND_COUNT + CAMPAIGN_COUNT} assets`);
  });

  it('marks the counts the server estimated from a sample with ≈', async () => {
    // The server flags sampled counts only past hundreds of matches (bridge-server/test/search/postgres.test.ts):
    // here the flag is set on the real answers as they pass, to show what the page does with it.
    const estimated = await context.newPage();
    await estimated.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      const bridge = ws.connectToServer();
      ws.onMessage((message) => bridge.send(message));
      bridge.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { result?: { facets?: unknown; facetsAreEstimate?: boolean } };
        if (frame.result?.facets !== undefined) frame.result.facetsAreEstimate = true;
        ws.send(JSON.stringify(frame));
      });
    });
    await estimated.goto(url('/assets'));
    const sidebar = estimated.getByRole('complementary', { name: 'Filters' });
    const campaignFacet = sidebar.getByRole('group', { name: 'Collection' }).locator('label', { hasText: 'Spring campaign' });
    await expect.poll(() => campaignFacet.textContent()).toContain(`≈ ${CAMPAIGN_COUNT}`);
    const tree = estimated.getByRole('navigation', { name: 'Collections' });
    await expect.poll(() => tree.locator('li', { hasText: 'Spring campaign' }).last().textContent()).toContain(`≈ ${CAMPAIGN_COUNT}`);
    // The total is exact (totalIsEstimate false): no "About", no ≈.
    expect(await estimated.locator('.library-summary').textContent()).toContain(`${BRAND_COUNT + CAMPAIGN_COUNT} assets`);
    expect(await estimated.locator('.library-summary').textContent()).not.toContain('About');
    await estimated.close();
    // Exact counts (every test above) show no ≈.
    expect(await page.getByRole('complementary', { name: 'Filters' }).textContent()).not.toContain('≈');
  });

  it('searches as you type, and Back and a shared link give the same search', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('sunset', { delay: 40 });
    // No button pressed: the search runs when typing pauses.
    await expect.poll(() => summary().textContent(), { timeout: 8000 }).toContain(`${CAMPAIGN_COUNT} assets`);
    expect(query().get('q')).toBe('sunset');
    const shared = page.url();

    await page.getByRole('button', { name: 'List' }).click();
    await page.getByRole('table').getByRole('link', { name: 'sunset-poster-3.jpg' }).waitFor();
    expect(query().get('view')).toBe('list');
    await page.getByRole('table').getByRole('link', { name: 'sunset-poster-3.jpg' }).click();
    await page.getByRole('heading', { level: 1, name: 'sunset-poster-3.jpg' }).waitFor();
    await page.goBack();
    await page.getByRole('table').getByRole('link', { name: 'sunset-poster-3.jpg' }).waitFor();
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('sunset');
    await expect.poll(() => summary().textContent()).toContain(`${CAMPAIGN_COUNT} assets`);

    const other = await context.newPage();
    const otherProblems = recordProblems(other);
    await other.goto(shared);
    await other.locator('.library-summary').getByText(`${CAMPAIGN_COUNT} assets`).waitFor();
    expect(await other.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('sunset');
    expect(await other.getByTestId('asset-grid').locator('li.asset-card').count()).toBe(CAMPAIGN_COUNT);
    await other.close();
    expect(otherProblems).toEqual([]);

    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await expect.poll(() => query().get('q')).toBe(null);
    await page.getByRole('button', { name: 'Grid' }).click();
  });

  it('pages with the page in the URL, and Back returns to the earlier page', async () => {
    await expect.poll(() => summary().textContent()).toContain(`${BRAND_COUNT + CAMPAIGN_COUNT} assets`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    expect(query().getAll('page')).toHaveLength(1);
    await page.getByRole('link', { name: 'landscape-15.jpg', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'landscape-16.jpg', exact: true }).count()).toBe(0);
    await page.goBack();
    await page.getByText('Page 1').waitFor();
    await page.getByRole('link', { name: 'sunset-poster-9.jpg', exact: true }).waitFor();
  });

  it('selects a range with Shift-click', async () => {
    await page.getByLabel('Thumbnail size').fill('140');
    await page.getByRole('checkbox', { name: 'Select sunset-poster-9.jpg' }).click();
    await page.getByRole('checkbox', { name: 'Select sunset-poster-5.jpg' }).click({ modifiers: ['Shift'] });
    await expect.poll(() => summary().textContent()).toContain('5 selected');
    expect(await page.getByRole('checkbox', { name: 'Select sunset-poster-7.jpg' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Select sunset-poster-4.jpg' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('tags, downloads as a zip, moves and deletes the selection, and restores from the trash', async () => {
    const prisma = server.stockroom.database.prisma;
    const posters = ['sunset-poster-9.jpg', 'sunset-poster-8.jpg', 'sunset-poster-7.jpg'];
    const selectPosters = async () => {
      // Tagging and moving change the order (newest changes first): tick each by name.
      for (const name of posters) await page.getByRole('checkbox', { name: `Select ${name}` }).click();
      await page.getByRole('toolbar', { name: 'Bulk actions' }).getByText('3 assets selected').waitFor();
    };
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    const dialog = page.getByRole('dialog');
    const outcome = page.getByTestId('bulk-outcome');

    await selectPosters();
    await screenshot('library-selection');
    await bar.getByRole('button', { name: 'Tag…' }).click();
    await dialog.getByLabel('Tags to add (comma separated)').fill('featured, print');
    await dialog.getByRole('button', { name: 'Apply tags' }).click();
    await expect.poll(() => outcome.textContent()).toContain('Tagged 3 of 3 assets.');
    const tagged = await prisma.asset.findMany({ where: { name: { in: posters } }, select: { tags: true } });
    expect(tagged.map((a) => a.tags)).toEqual([
      ['sunset', 'featured', 'print'],
      ['sunset', 'featured', 'print'],
      ['sunset', 'featured', 'print'],
    ]);

    await selectPosters();
    const [download] = await Promise.all([page.waitForEvent('download'), bar.getByRole('link', { name: 'Download zip' }).click()]);
    const zipPath = path.join(makeTempDir('library-zip'), 'download.zip');
    await download.saveAs(zipPath);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    expect(Object.keys(files).sort()).toEqual([...posters].sort());
    for (const name of posters) {
      const version = await prisma.version.findFirstOrThrow({ where: { asset: { name } }, select: { size: true, blobSha256: true } });
      expect(files[name]!.length).toBe(Number(version.size));
      expect(createHash('sha256').update(files[name]!).digest('hex')).toBe(version.blobSha256);
    }

    await bar.getByRole('button', { name: 'Move to…' }).click();
    await dialog.getByLabel('Collection').selectOption({ label: 'Brand photography' });
    await dialog.getByRole('button', { name: 'Move' }).click();
    await expect.poll(() => outcome.textContent()).toContain('Moved 3 of 3 assets.');
    expect(await prisma.asset.count({ where: { name: { in: posters }, collectionId: brand.id } })).toBe(3);
    const campaignFacet = page.getByRole('group', { name: 'Collection' }).locator('label', { hasText: 'Spring campaign' });
    await eventuallyShows(() => campaignFacet, String(CAMPAIGN_COUNT - 3));

    await selectPosters();
    await bar.getByRole('button', { name: 'Delete…' }).click();
    await dialog.getByText('restore them from the Trash for 30 days').waitFor();
    await screenshot('library-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => outcome.textContent()).toContain('Deleted 3 of 3 assets.');
    await eventuallyShows(summary, `${BRAND_COUNT + CAMPAIGN_COUNT - 3} assets`);
    expect(await prisma.asset.count({ where: { name: { in: posters }, deletedAt: { not: null } } })).toBe(3);

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Trash' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trash' }).waitFor();
    for (const name of posters) await page.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${posters[0]}` }).check();
    await page.getByRole('checkbox', { name: `Select ${posters[1]}` }).check();
    await screenshot('trash');
    await page.getByRole('button', { name: 'Restore selected' }).click();
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Restored 2 of 2 assets.').waitFor();
    await expect.poll(() => page.getByRole('row', { name: /sunset-poster/ }).count()).toBe(1);
    expect(await prisma.asset.count({ where: { name: { in: posters }, deletedAt: null } })).toBe(2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Assets' }).click();
    await eventuallyShows(summary, `${BRAND_COUNT + CAMPAIGN_COUNT - 1} assets`);
  });

  it('applies an action to every asset matching the search ("select all matching")', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('landscape');
    await expect.poll(() => summary().textContent(), { timeout: 8000 }).toContain(`${BRAND_COUNT} assets`);
    await page.getByTestId('asset-grid').getByRole('checkbox').first().click();
    // 56 match, 50 are on this page: the whole search is one click away.
    await page.getByRole('button', { name: `Select all ${BRAND_COUNT} matching` }).click();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByText(`All ${BRAND_COUNT} assets matching`).waitFor();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Tag…' }).click();
    await page.getByRole('dialog').getByLabel('Tags to add (comma separated)').fill('landscape-series');
    await page.getByRole('dialog').getByRole('button', { name: 'Apply tags' }).click();
    await expect.poll(() => page.getByTestId('bulk-outcome').textContent(), { timeout: 20_000 }).toContain(`Tagged ${BRAND_COUNT} of ${BRAND_COUNT} assets.`);
    expect(await server.stockroom.database.prisma.asset.count({ where: { tags: { has: 'landscape-series' } } })).toBe(BRAND_COUNT);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await expect.poll(() => query().get('q')).toBe(null);
  });

  it('renames the collection being viewed, and deletes it only with a choice of where its assets go', async () => {
    const prisma = server.stockroom.database.prisma;
    const held = await prisma.asset.count({ where: { collectionId: campaign.id, deletedAt: null } });
    expect(held).toBeGreaterThan(0);
    await page
      .getByRole('group', { name: 'Collection' })
      .getByRole('checkbox', { name: /Spring campaign/ })
      .check();
    await eventuallyShows(summary, `${held} assets in Spring campaign`);
    await page.getByRole('button', { name: 'Rename collection…' }).click();
    await page.getByRole('dialog').getByLabel('New name').fill('Spring campaign 2026');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => summary().textContent()).toContain(`${held} assets in Spring campaign 2026`);
    expect((await prisma.collection.findUniqueOrThrow({ where: { id: campaign.id } })).name).toBe('Spring campaign 2026');

    await page.getByRole('button', { name: 'Delete collection…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`It holds ${held} assets`).waitFor();
    await dialog.getByLabel('Move its assets to').selectOption({ label: 'Brand photography' });
    await screenshot('library-collection-delete');
    await dialog.getByRole('button', { name: 'Move assets and delete' }).click();
    await expect.poll(() => query().get('collection')).toBe(null);
    expect(await prisma.collection.findUnique({ where: { id: campaign.id } })).toBeNull();
    expect(await prisma.asset.count({ where: { collectionId: brand.id, name: { startsWith: 'sunset-poster' } } })).toBeGreaterThanOrEqual(held);
  });

  it('shows the audit log with names and links, filtered by person', async () => {
    // Restores are asset.restore rows, so the asset. prefix filter includes them.
    const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
    const prefixed = await socket.call('audit.query', { action: 'asset.', limit: 200 });
    socket.close();
    expect(prefixed.events.some((e: { action: string }) => e.action === 'asset.restore')).toBe(true);
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByLabel('Action').fill('asset.restore');
    await page.getByLabel('Person').selectOption({ label: `Administrator (${server.stockroom.config.admin.email})` });
    await page.getByRole('button', { name: 'Filter' }).click();
    const restored = page.locator('table[aria-busy="false"] tbody tr', { hasText: 'asset.restore' }).filter({ hasText: 'sunset-poster-9.jpg' }).first();
    await restored.getByRole('link', { name: 'sunset-poster-9.jpg' }).click();
    await page.getByRole('heading', { level: 1, name: 'sunset-poster-9.jpg' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Assets' }).waitFor();
  });

  it('has no critical or serious accessibility violations, and no console errors', async () => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'List' }).click();
    await page.locator('table[aria-busy="false"]').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Dark mode follows the system setting.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.documentElement).backgroundColor)).toBe(
      'rgb(18, 22, 28)',
    );
    // A refetch dims the table while it runs (aria-busy): audit the settled page.
    await page.locator('table[aria-busy="false"]').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Grid' }).click();
    await expect.poll(loadedThumbnails, { timeout: 15_000 }).toBeGreaterThan(4);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot('library-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });
});
