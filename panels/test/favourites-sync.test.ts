/**
 * Favourites follow the person: a star made in the Photoshop panel shows in the same
 * person's Premiere Pro panel (another plugin, its own storage; here another browser, as on
 * another computer) without a reload, and an unstar goes back the same way. Stars an older
 * panel kept on the computer are handed to the server once and then forgotten there, so a
 * stale copy never brings back a star removed elsewhere. Another person sees none of it.
 */
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset, Collection } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../photoshop/preview/window.ts';
import type {} from '../premiere/preview/window.ts';
import { launchBrowser } from './support/browser.ts';
import { signInWithToken } from './support/panel-page.ts';
import { startPremierePreview, startPreview } from './support/preview.ts';
import { connectClient } from './support/second-client.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let admin: BridgeClient;
let aliceScript: BridgeClient;
let bobScript: BridgeClient;
let photoshopPreview: { url: string; close(): Promise<void> };
let premierePreview: { url: string; close(): Promise<void> };
const browsers: Array<Awaited<ReturnType<typeof launchBrowser>>> = [];
let photoshop: Page;
let premiere: Page;
let campaign: Collection;
let poster: Asset;
let banner: Asset;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f7a1f10000000049454e44ae426082',
  'hex',
);

async function openPanel(url: string, token: string): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await signInWithToken(page, token);
  await page.getByRole('tab', { name: 'Search' }).waitFor();
  await page.getByTestId('collections-tab').click();
  return page;
}

const favouritesCount = (page: Page) => page.getByTestId('shelf-favourites').getAttribute('data-count');

/** Opens an asset's page from the search tab, presses its star, and goes back to the collections tab. */
async function toggleStar(page: Page, asset: Asset, pressed: 'true' | 'false'): Promise<void> {
  await page.getByRole('tab', { name: 'Search' }).click();
  await page.locator(`[data-asset-id="${asset.id}"]`).click();
  await page.getByTestId('favourite').click();
  await expect.poll(() => page.getByTestId('favourite').getAttribute('aria-pressed')).toBe(pressed);
  await page.keyboard.press('Escape');
  await page.getByTestId('collections-tab').click();
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice Editor' });
  bob = await server.createUser({ name: 'Bob Colleague' });
  admin = await connectClient(server.url, server.adminToken);
  campaign = await admin.call('collections.create', { name: 'Campaign' });
  for (const user of [alice, bob]) {
    await admin.call('grants.set', { collectionId: campaign.id, subjectType: 'user', subjectId: user.id, role: 'editor' });
  }
  for (const [file, name] of [
    ['poster.png', 'Launch poster'],
    ['banner.png', 'Launch banner'],
  ] as const) {
    const { uploadId } = await admin.upload(PNG, { fileName: file, mimeType: 'image/png' });
    const asset = await admin.call('assets.create', { uploadId, name, collectionId: campaign.id });
    if (file === 'poster.png') poster = asset;
    else banner = asset;
  }
  aliceScript = await connectClient(server.url, alice.token);
  bobScript = await connectClient(server.url, bob.token);
  [photoshopPreview, premierePreview] = await Promise.all([startPreview(server.url), startPremierePreview(server.url)]);
}, 120_000);

afterAll(async () => {
  for (const client of [admin, aliceScript, bobScript]) client?.close();
  for (const browser of browsers) await browser.close();
  await photoshopPreview?.close();
  await premierePreview?.close();
  await server?.destroy();
});

describe('favourites across panels', () => {
  it('hands the stars an older panel kept on this computer to the server once, then forgets them there', async () => {
    photoshop = await openPanel(photoshopPreview.url, alice.token);
    // An earlier panel version kept Alice's star in the plugin's storage on this computer.
    const key = await photoshop.evaluate((userId) => `stockroom.lists.${window.stockroomPreview.controller.store.get().serverUrl}.${userId}`, alice.id);
    await photoshop.evaluate(({ key, id }) => window.localStorage.setItem(key, JSON.stringify({ favourites: [id], recents: [] })), { key, id: poster.id });
    await photoshop.reload();
    await photoshop.getByTestId('collections-tab').click();
    await expect.poll(() => favouritesCount(photoshop)).toBe('1');
    await expect.poll(async () => (await aliceScript.call('favourites.list', {})).assetIds).toEqual([poster.id]);
    const kept = await photoshop.evaluate((key) => JSON.parse(window.localStorage.getItem(key) ?? '{}'), key);
    expect(kept.favourites).toEqual([]);
    expect((await bobScript.call('favourites.list', {})).assetIds).toEqual([]);
  });

  it('shows a star made in Photoshop in the same person’s Premiere Pro panel live, and an unstar the other way', async () => {
    premiere = await openPanel(premierePreview.url, alice.token);
    await expect.poll(() => favouritesCount(premiere)).toBe('1');

    await toggleStar(photoshop, banner, 'true');
    await expect.poll(() => favouritesCount(premiere), { timeout: 10_000 }).toBe('2');
    await premiere.getByTestId('shelf-favourites').click();
    await expect
      .poll(() => premiere.getByTestId('asset-card').evaluateAll((els) => els.map((el) => el.getAttribute('data-asset-id'))))
      .toEqual([banner.id, poster.id]);
    await premiere.getByTestId('shelf-back').click();

    await toggleStar(premiere, poster, 'false');
    await expect.poll(() => favouritesCount(photoshop), { timeout: 10_000 }).toBe('1');
    expect((await aliceScript.call('favourites.list', {})).assetIds).toEqual([banner.id]);
    // The unstar is not undone by what Photoshop's storage held before: a reload keeps it.
    await photoshop.reload();
    await photoshop.getByTestId('collections-tab').click();
    await expect.poll(() => favouritesCount(photoshop)).toBe('1');
    expect((await bobScript.call('favourites.list', {})).assetIds).toEqual([]);
  });

  it('undoes a star the server refuses, and says why', async () => {
    // Alice's access to the campaign ends while the poster's page is open in her panel.
    await photoshop.getByRole('tab', { name: 'Search' }).click();
    await photoshop.locator(`[data-asset-id="${poster.id}"]`).click();
    await photoshop.getByTestId('favourite').waitFor();
    await admin.call('grants.remove', { collectionId: campaign.id, subjectType: 'user', subjectId: alice.id });
    // Grants reach open connections within moments: wait until Alice's own client is refused the asset.
    await expect
      .poll(() =>
        aliceScript.call('assets.get', { id: poster.id }).then(
          () => 'readable',
          (error: { code?: string }) => error.code,
        ),
      )
      .toBe('NOT_FOUND');
    await photoshop.getByTestId('favourite').click();
    // The asset page may say so too, once it finds the asset gone: the first of them is enough.
    await photoshop.getByText('That asset is no longer there').first().waitFor();
    await expect.poll(() => photoshop.getByTestId('favourite').getAttribute('aria-pressed')).toBe('false');
    expect((await aliceScript.call('favourites.list', {})).assetIds).not.toContain(poster.id);
  });
});
