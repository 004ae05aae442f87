import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { seedPictures, seriousAccessibilityViolations, waitForThumbnails } from './library-fixture.ts';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let assetId: string;
let collectionId: string;

/** axe's critical and serious violations of the page as shown now, in the light and then the dark theme. */
async function bothThemes(where: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await seriousAccessibilityViolations(page)) found.push(`${where} (${colorScheme}): ${v}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const admin = await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  collectionId = (await socket.call('collections.create', { name: 'Autumn catalogue' })).id;
  const ids = await seedPictures(server, admin.id, server.adminToken, [
    { name: 'maple-road.jpg', collectionId, tags: ['autumn'], seed: 81 },
    { name: 'harvest.jpg', collectionId, tags: ['autumn', 'food'], seed: 82 },
    { name: 'fog.jpg', seed: 83 },
  ]);
  assetId = ids[0]!;
  await socket.call('metadata.saveSchema', {
    collectionId,
    fields: [
      { key: 'client', label: 'Client', type: 'text', required: true },
      { key: 'usage', label: 'Usage', type: 'choice', options: ['web', 'print'] },
      { key: 'rights', label: 'Usage rights', type: 'rights' },
    ],
    baseUpdatedAt: null,
  });
  await socket.call('assets.delete', { id: ids[2]! });
  await socket.call('assets.checkout', { id: ids[1]! });
  await socket.call('shares.create', { target: { kind: 'asset', assetId } });
  await socket.call('invitations.create', { email: 'new.colleague@example.test' });
  socket.close();
  await waitForThumbnails(server, ids.slice(0, 2));
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
}, 240_000);

afterAll(async () => {
  await context?.close();
  await server?.destroy();
});

describe('accessibility of every dashboard page (axe-core, WCAG 2.1 A and AA)', () => {
  it('has no critical or serious violation on any page, in the light and the dark theme', { timeout: 240_000 }, async () => {
    const found: string[] = [];
    await page.goto(`${server.url}/admin/`);
    await page.getByRole('heading', { name: 'Sign in to Stockroom admin' }).waitFor();
    found.push(...(await bothThemes('sign-in')));

    await page.goto(`${server.url}/admin/invite#inv_not-a-real-invitation-code`);
    await page.getByRole('alert').waitFor();
    found.push(...(await bothThemes('invitation')));

    await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
    // Every page of the sidebar, read from the page itself, so a new page is checked too.
    const nav = page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link');
    const labels = await nav.allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(11);
    for (const label of labels) {
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: label, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // Let the page's first queries settle (no "Loading…" left).
      await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
      found.push(...(await bothThemes(label)));
    }

    // Pages reached from others, in the state people work in.
    await page.goto(`${server.url}/admin/assets?view=list`);
    await page.getByRole('checkbox', { name: 'Select harvest.jpg' }).check();
    found.push(...(await bothThemes('assets, list view with a selection')));

    await page.goto(`${server.url}/admin/assets/${assetId}`);
    await page.getByRole('form', { name: 'Metadata fields' }).waitFor();
    await page.getByRole('button', { name: 'Save metadata' }).click();
    await page.locator('.field-error').first().waitFor();
    found.push(...(await bothThemes('asset page with refused fields')));

    await page.goto(`${server.url}/admin/assets/${assetId}/review`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
    found.push(...(await bothThemes('review')));

    await page.goto(`${server.url}/admin/collections`);
    await page.getByRole('button', { name: 'Autumn catalogue' }).click();
    await page.getByRole('form', { name: 'Metadata schema' }).waitFor();
    found.push(...(await bothThemes('collection with grants and metadata schema')));

    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('row', { name: /new\.colleague@example\.test/ }).waitFor();
    found.push(...(await bothThemes('users and invitations')));

    expect(found).toEqual([]);
    // The refused invitation code's 404 is the answer that page shows; nothing else may fail.
    expect(problems.filter((p) => !/invite#.*status of 404/.test(p))).toEqual([]);
  });
});
