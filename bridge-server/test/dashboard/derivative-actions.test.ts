import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchIndex } from '../../src/adapters/search/postgres.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { seedPictures, seriousAccessibilityViolations, waitForThumbnails } from './library-fixture.ts';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let ids: string[];
let socket: RawSocket;

const prisma = () => server.stockroom.database.prisma;
const thumbnailOf = (assetId: string) => prisma().derivative.findFirstOrThrow({ where: { preset: 'thumbnail', version: { assetId } } });

/** How many thumbnails in this part of the page show decoded pixels. */
function shownThumbs(scope: ReturnType<Page['locator']>): Promise<number> {
  return scope
    .locator('.row-thumb img')
    .evaluateAll(
      (imgs) =>
        imgs.filter(
          (i) => (i as unknown as { complete: boolean; naturalWidth: number }).complete && (i as unknown as { naturalWidth: number }).naturalWidth > 0,
        ).length,
    );
}

async function selectInGrid(names: string[]): Promise<void> {
  await page.goto(`${server.url}/admin/assets?view=list`);
  for (const name of names) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const admin = await prisma().user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  ids = await seedPictures(
    server,
    admin.id,
    server.adminToken,
    ['dune', 'glacier', 'harbour', 'orchard'].map((name, i) => ({ name: `${name}.jpg`, seed: 60 + i })),
  );
  await waitForThumbnails(server, ids);
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 240_000);

afterAll(async () => {
  socket?.close();
  await context?.close();
  await server?.destroy();
});

describe('bulk derivative actions and thumbnails in lists', () => {
  it('"Retry failed jobs" on the selection makes a failed thumbnail again with the real worker', async () => {
    // A thumbnail that failed earlier (a worker that was stopped mid-job, say).
    const before = await thumbnailOf(ids[0]!);
    const healthy = await thumbnailOf(ids[1]!);
    await prisma().derivative.update({
      where: { id: before.id },
      data: { status: 'failed', failureReason: 'worker-stopped', failure: 'The worker stopped.', blobSha256: null },
    });
    await selectInGrid(['dune.jpg', 'glacier.jpg']);
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Retry failed jobs' }).click();
    await page
      .getByTestId('bulk-outcome')
      .getByText(/Queued \d+ derivative jobs? \(failed or missing\) for 2 of 2 assets\./)
      .waitFor();
    await expect.poll(async () => (await thumbnailOf(ids[0]!)).status, { timeout: 60_000, interval: 300 }).toBe('ready');
    const after = await thumbnailOf(ids[0]!);
    expect(after.blobSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(after.finishedAt!.getTime()).toBeGreaterThan(before.finishedAt!.getTime());
    // The other one had nothing failed: its thumbnail was left alone.
    expect((await thumbnailOf(ids[1]!)).finishedAt).toEqual(healthy.finishedAt);
    expect(await prisma().auditEvent.count({ where: { action: 'derivatives.regenerate', targetId: { in: [ids[0]!, ids[1]!] } } })).toBe(2);
  });

  it('"Regenerate derivatives" makes every derivative of the selection again, after a confirmation', async () => {
    const before = await thumbnailOf(ids[2]!);
    const untouched = await thumbnailOf(ids[3]!);
    await selectInGrid(['harbour.jpg']);
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Regenerate derivatives…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Make every derivative of 1 asset again?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await thumbnailOf(ids[2]!)).finishedAt).toEqual(before.finishedAt);
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Regenerate derivatives…' }).click();
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await page
      .getByTestId('bulk-outcome')
      .getByText(/Queued \d+ derivative jobs? to make again for 1 of 1 assets\./)
      .waitFor();
    await expect
      .poll(
        async () => {
          const t = await thumbnailOf(ids[2]!);
          return t.status === 'ready' && t.finishedAt!.getTime() > before.finishedAt!.getTime();
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBe(true);
    expect((await thumbnailOf(ids[3]!)).finishedAt).toEqual(untouched.finishedAt);
  });

  it('shows thumbnails in the versions, where-used, jobs, locks and audit lists', async () => {
    await socket.call('placements.report', { documentId: 'doc-poster', documentName: 'Poster.psd', placements: [{ assetId: ids[3]!, versionNumber: 1 }] });
    await socket.call('assets.checkout', { id: ids[3]! });

    await page.goto(`${server.url}/admin/assets/${ids[3]}`);
    const versions = page.getByRole('region', { name: 'Versions' });
    await expect.poll(() => shownThumbs(versions), { timeout: 10_000 }).toBe(1);
    expect(await versions.locator('.row-thumb img').getAttribute('src')).toBe(`/api/assets/${ids[3]}/versions/1/derivatives/thumbnail/content`);
    const whereUsed = page.getByRole('region', { name: 'Where used' });
    await whereUsed.getByText('Poster.psd').waitFor();
    await expect.poll(() => shownThumbs(whereUsed), { timeout: 10_000 }).toBe(1);

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('group', { name: 'Job state' }).getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'orchard.jpg' }).first().waitFor();
    await expect.poll(() => shownThumbs(page.locator('table')), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Locks' }).click();
    const lockRow = page.getByRole('row', { name: /orchard\.jpg/ });
    await expect.poll(() => shownThumbs(lockRow), { timeout: 10_000 }).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Audit log' }).click();
    const regenRow = page.getByRole('row', { name: /derivatives\.regenerate.*harbour\.jpg/ });
    await expect.poll(() => shownThumbs(regenRow), { timeout: 10_000 }).toBe(1);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });

  it('refuses the action for a viewer, naming the asset, and queues nothing', async () => {
    const viewer = await server.createUser({ name: 'Vera Viewer' });
    const s = server.stockroom.services;
    const actor = {
      user: { id: (await prisma().user.findFirstOrThrow({ where: { role: 'admin' } })).id, name: 'Admin', email: 'a', role: 'admin' as const },
      clientApp: 'script',
    };
    const collection = await s.collections.create(actor, { name: 'Look only' });
    await s.grants.set(actor, { collectionId: collection.id, subjectType: 'user', subjectId: viewer.id, role: 'viewer' });
    await s.assets.update(actor, { id: ids[1]!, collectionId: collection.id });
    const asViewer = await RawSocket.signedIn(server.wsUrl, viewer.token);
    const reply = await asViewer.request('derivatives.regenerate', { selection: { ids: [ids[1]!] }, mode: 'all' });
    asViewer.close();
    expect(reply.error?.code).toBe('FORBIDDEN');
    expect(reply.error?.message).toContain('“glacier.jpg”');
    expect(await prisma().derivative.count({ where: { status: 'pending', version: { assetId: ids[1]! } } })).toBe(0);
  });

  it('filters by upload date (recent periods and a range of days), kept in the URL', async () => {
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const ages: Array<[string, number]> = [
      [ids[0]!, 40],
      [ids[1]!, 3],
      [ids[2]!, 400],
      [ids[3]!, 0],
    ];
    for (const [id, age] of ages) await prisma().asset.update({ where: { id }, data: { createdAt: daysAgo(age) } });
    await new PostgresSearchIndex(prisma()).rebuild();
    const names = async () => (await page.locator('li.asset-card .card-name').allTextContents()).sort();
    const uploaded = page.getByRole('group', { name: 'Uploaded' });

    await page.goto(`${server.url}/admin/assets`);
    await expect.poll(names).toEqual(['dune.jpg', 'glacier.jpg', 'harbour.jpg', 'orchard.jpg']);
    await uploaded.getByLabel('Last 7 days').check();
    await expect.poll(names).toEqual(['glacier.jpg', 'orchard.jpg']);
    expect(new URL(page.url()).searchParams.get('uploaded')).toBe('7d');
    await uploaded.getByLabel('Last 12 months').check();
    await expect.poll(names).toEqual(['dune.jpg', 'glacier.jpg', 'orchard.jpg']);
    await uploaded.getByLabel('From', { exact: true }).fill(day(daysAgo(41)));
    await uploaded.getByLabel('To', { exact: true }).fill(day(daysAgo(39)));
    await expect.poll(names).toEqual(['dune.jpg']);
    expect(new URL(page.url()).searchParams.get('uploaded')).toBeNull();
    // A shared link gives the same view; Back returns to the earlier one.
    await page.goto(page.url());
    await expect.poll(names).toEqual(['dune.jpg']);
    await page.goBack();
    await page.goBack();
    await expect.poll(names).toEqual(['dune.jpg', 'glacier.jpg', 'orchard.jpg']);
  });

  it('counts and filters by uploader with the server’s facet counts, kept in the URL', async () => {
    const uma = await server.createUser({ name: 'Uma Uploader' });
    await seedPictures(server, uma.id, uma.token, [{ name: 'uma-sketch.jpg', seed: 90 }]);
    const names = async () => (await page.locator('li.asset-card .card-name').allTextContents()).sort();
    const byGroup = page.getByRole('group', { name: 'Uploaded by' });
    await page.goto(`${server.url}/admin/assets`);
    // The search index follows the outbox: reload until the new asset is counted.
    await expect
      .poll(
        async () => {
          const text = (await byGroup.textContent()) ?? '';
          if (!text.includes('Uma Uploader')) await page.reload();
          return text.replace(/\s+/g, ' ');
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('Uma Uploader1');
    expect((await byGroup.textContent())?.replace(/\s+/g, ' ')).toContain('Administrator4');
    await byGroup.getByLabel('Uma Uploader').check();
    await expect.poll(names).toEqual(['uma-sketch.jpg']);
    expect(new URL(page.url()).searchParams.getAll('by')).toEqual([uma.id]);
    await page.goBack();
    await expect.poll(names).toEqual(['dune.jpg', 'glacier.jpg', 'harbour.jpg', 'orchard.jpg', 'uma-sketch.jpg']);
  });
});
