/**
 * Working in the library from the Photoshop panel (its browser preview over the fake
 * Photoshop) against a real bridge with real media: photographs, sounds, an empty and
 * a damaged file. Dense grid and list, the audio filter and its waveforms (requests
 * counted), no place action for what Photoshop cannot place, collections, favourites and
 * recents, keyboard use, thumbnails in "This document", and axe-core on every screen in
 * the light and the dark theme. Steps run in order and share the server and the browser.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landscapeJpeg } from '../../bridge-server/test/dashboard/library-fixture.ts';
import { ensureCorpus, type Corpus } from '../../bridge-server/test/media/corpus.ts';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../photoshop/preview/window.ts';
import { expectAccessible as expectAccessibleOn, seriousAccessibilityViolations, switchTheme as useThemeOn } from './support/accessibility.ts';
import { launchBrowser } from './support/browser.ts';
import { screenshotsOnFailure } from './support/panel-page.ts';
import { startPreview } from './support/preview.ts';
import { connectClient } from './support/second-client.ts';

const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;
const PHOTOS = 9;
const SOUNDS = [
  ['wav', 'Rain on the studio roof', 'audio/wav'],
  ['mp3', 'Intro sting', 'audio/mpeg'],
  ['ogg', 'Crowd murmur', 'audio/ogg'],
  ['flac', 'Low drone', 'audio/flac'],
] as const;

let server: TestServer;
let preview: { url: string; close(): Promise<void> };
let alice: TestUser;
let admin: BridgeClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let corpus: Corpus;
const photos: Asset[] = [];
const sounds: Asset[] = [];
let emptyFile: Asset;
let damaged: Asset;
let hero: Asset;
let brand: { id: string; name: string };
let soundLibrary: { id: string; name: string };
/** Every URL the panel asked for, in order, and how many times the panel was loaded. */
const requests: string[] = [];
let loads = 0;

async function addAsset(bytes: Uint8Array, fileName: string, mimeType: string, name: string, collectionId?: string): Promise<Asset> {
  const { uploadId } = await admin.upload(bytes, { fileName, mimeType });
  return admin.call('assets.create', { uploadId, name, ...(collectionId ? { collectionId } : {}) });
}

/** Waits until the worker has finished (made or given up on) these derivatives of these assets. */
async function waitForDerivatives(assetIds: string[], presets: string[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await server.stockroom.database.prisma.derivative.count({
      where: { preset: { in: presets }, status: { in: ['ready', 'failed'] }, version: { assetId: { in: assetIds } } },
    });
    if (done >= assetIds.length) return;
    if (Date.now() > deadline) throw new Error(`only ${done} of ${assetIds.length} ${presets.join('/')} derivatives finished in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function shot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `photoshop-library-${name}.png`) });
}

const switchTheme = (name: 'light' | 'dark') => useThemeOn(page, name);
const expectAccessible = (screen: string) => expectAccessibleOn(page, screen);

const cards = () => page.getByTestId('asset-card');
const thumbRequests = (assetId: string, preset: string) =>
  requests.filter((url) => url.includes(`/api/assets/${assetId}/versions/`) && url.includes(`/derivatives/${preset}/`)).length;
const derivativeRequests = (assetId: string) =>
  requests.filter((url) => url.includes(`/api/assets/${assetId}/versions/`) && url.includes('/derivatives/')).length;
const focusedAssetId = () => page.evaluate(() => document.activeElement?.getAttribute('data-asset-id') ?? null);

async function signIn(): Promise<void> {
  await page.getByRole('button', { name: 'Use a token instead' }).click();
  await page.getByPlaceholder('Paste the token').fill(alice.token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('tab', { name: 'Search' }).waitFor();
}

beforeAll(async () => {
  [server, corpus] = await Promise.all([startTestServer(), ensureCorpus()]);
  alice = await server.createUser({ name: 'Alice Designer' });
  admin = await connectClient(server.url, server.adminToken);
  brand = await admin.call('collections.create', { name: 'Brand photography' });
  soundLibrary = await admin.call('collections.create', { name: 'Sound library' });
  for (const collection of [brand, soundLibrary]) {
    await admin.call('grants.set', { collectionId: collection.id, subjectType: 'user', subjectId: alice.id, role: 'viewer' });
  }
  for (let i = 0; i < PHOTOS; i++) {
    photos.push(await addAsset(await landscapeJpeg(i + 7), `landscape-${i + 1}.jpg`, 'image/jpeg', `Landscape ${i + 1}`, brand.id));
  }
  for (const [key, name, mime] of SOUNDS) sounds.push(await addAsset(readFileSync(corpus[key]), path.basename(corpus[key]), mime, name, soundLibrary.id));
  // Unfiled: every member may work with these (check-out included).
  hero = await addAsset(await landscapeJpeg(42, 800, 520), 'hero.jpg', 'image/jpeg', 'Summer hero');
  emptyFile = await addAsset(new Uint8Array(0), 'empty.png', 'image/png', 'Empty export');
  damaged = await addAsset(readFileSync(corpus.truncatedJpeg), 'truncated.jpg', 'image/jpeg', 'Damaged scan');
  await Promise.all([
    waitForDerivatives(
      [...photos, hero, damaged].map((a) => a.id),
      ['thumbnail'],
    ),
    waitForDerivatives(
      sounds.map((a) => a.id),
      ['waveform'],
    ),
  ]);
  preview = await startPreview(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  // A step that cannot find what it waits for fails with its own message, well inside the test's time.
  page.setDefaultTimeout(15_000);
  page.on('request', (request) => requests.push(request.url()));
  page.on('load', () => loads++);
}, 300_000);

screenshotsOnFailure('library-', () => ({ '': page }));

afterAll(async () => {
  admin?.close();
  await browser?.close();
  await preview?.close();
  await server?.destroy();
});

describe.sequential('the library in the Photoshop panel', () => {
  it('signed out: the document has a language and no critical or serious axe violation in either theme', async () => {
    await page.goto(`${preview.url}/?screenshot`);
    await page.getByRole('button', { name: 'Use a token instead' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectAccessible('signed out');
    // The audit sees what it should: the host's own light-theme grey (#6e6e6e on #f0f0f0) would fail it.
    await switchTheme('light');
    await page.evaluate(() => {
      const probe = document.createElement('p');
      probe.id = 'contrast-probe';
      probe.textContent = 'Secondary text in the host grey';
      probe.setAttribute('style', 'color: #6e6e6e; background-color: #f0f0f0; font-size: 12px');
      document.querySelector('.sr-panel')!.append(probe);
    });
    expect((await seriousAccessibilityViolations(page)).join('\n')).toMatch(/color-contrast \(serious\).*contrast-probe/);
    await page.evaluate(() => document.getElementById('contrast-probe')!.remove());
    await signIn();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('browses a denser grid of neutral cells with a size slider and a list view remembered across reloads', async () => {
    const all = PHOTOS + SOUNDS.length + 3;
    await expect.poll(() => cards().count(), { timeout: 20_000 }).toBe(all);
    // At the default size, a 320 px panel shows three columns and at least nine whole cards.
    const firstRow = () => cards().evaluateAll((els) => els.filter((el) => (el as HTMLElement).offsetTop === (els[0] as HTMLElement).offsetTop).length);
    expect(await firstRow()).toBe(3);
    const visible = await cards().evaluateAll((els) => {
      const scroller = document.querySelector('[data-testid="results"]')!.getBoundingClientRect();
      return els.filter((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= scroller.top && box.bottom <= scroller.bottom;
      }).length;
    });
    expect(visible).toBeGreaterThanOrEqual(9);
    // Photographs show their thumbnails on a neutral grey (no saturated letterboxing).
    await expect.poll(() => page.locator(`[data-asset-id="${photos[0]!.id}"] [data-testid="thumb"] img`).count(), { timeout: 15_000 }).toBe(1);
    const cellColours = await page
      .locator('[data-testid="thumb"], [data-testid="thumb-placeholder"]')
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number)));
    for (const [r, g, b] of cellColours) expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeLessThanOrEqual(8);
    await shot('grid');

    // The slider makes cards smaller: more of them in a row.
    await page.getByRole('slider', { name: 'Thumbnail size' }).fill('64');
    await expect.poll(firstRow).toBe(4);
    await page.getByRole('button', { name: 'List' }).click();
    await expect.poll(() => page.getByTestId('result-cards').getAttribute('data-layout')).toBe('list');
    expect(await firstRow()).toBe(1);
    await shot('list');
    // The choice stays with the panel (its own storage) after a reload.
    await page.reload();
    await expect.poll(() => cards().count(), { timeout: 20_000 }).toBe(all);
    expect(await page.getByTestId('result-cards').getAttribute('data-layout')).toBe('list');
    await page.getByRole('button', { name: 'Grid' }).click();
    expect(await page.getByRole('slider', { name: 'Thumbnail size' }).inputValue()).toBe('64');
    await page.getByRole('slider', { name: 'Thumbnail size' }).fill('88');
    await expect.poll(firstRow).toBe(3);
    await expectAccessible('browse');
    // Photoshop's dark interface while the system says light (and the reverse): the colours follow the host.
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await switchTheme('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await switchTheme('light');
    await shot('grid-light');
    await switchTheme('dark');
  });

  it('filters to audio: waveform thumbnails, and no request for a thumbnail that cannot exist', async () => {
    await page.getByRole('button', { name: 'Audio' }).click();
    await expect.poll(() => cards().count(), { timeout: 10_000 }).toBe(SOUNDS.length);
    expect((await cards().evaluateAll((els) => els.map((el) => el.getAttribute('data-asset-id')))).sort()).toEqual(sounds.map((a) => a.id).sort());
    await expect.poll(() => page.locator('[data-testid="asset-card"] [data-testid="thumb"] img').count(), { timeout: 15_000 }).toBe(SOUNDS.length);
    const waveform = await page
      .locator('[data-testid="asset-card"] img')
      .first()
      .evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(waveform).toBe(1600); // the server's waveform preset, not a placeholder
    await shot('audio');
    // Browses (sign-in, reload) and the filter: each sound's waveform asked for once per
    // page load (then kept), never a `thumbnail` of a sound, nothing at all for the empty file.
    for (const sound of sounds) {
      expect(thumbRequests(sound.id, 'thumbnail')).toBe(0);
      expect(thumbRequests(sound.id, 'waveform')).toBeGreaterThanOrEqual(1);
      expect(thumbRequests(sound.id, 'waveform')).toBeLessThanOrEqual(loads); // at most once per page load
    }
    expect(derivativeRequests(emptyFile.id)).toBe(0);
    await page.getByRole('button', { name: 'Audio' }).click();
    await expect.poll(() => cards().count()).toBe(PHOTOS + SOUNDS.length + 3);
  });

  it('offers no place action for sound, an empty file or a damaged one, says why, and never reports a success', async () => {
    const expected: Array<[Asset, RegExp]> = [
      [sounds[0]!, /Photoshop cannot place sound/],
      [emptyFile, /empty \(0 bytes\)/],
      [damaged, /could not read truncated\.jpg\. .*damaged or incomplete/i],
    ];
    for (const [asset, reason] of expected) {
      await page.locator(`[data-asset-id="${asset.id}"]`).click();
      await page.getByTestId('asset-view').waitFor();
      await expect.poll(() => page.getByTestId('place-refusal').textContent(), { timeout: 10_000 }).toMatch(reason);
      expect(await page.getByRole('button', { name: /Place (embedded|linked)/ }).count()).toBe(0);
      if (asset === sounds[0]) {
        await shot('cannot-place');
        await expectAccessible('asset detail');
      }
      await page.getByRole('button', { name: '‹ Results' }).click();
    }
    // Any other way in (a script, a stale button) is refused too: a warning, and Photoshop is never asked.
    const outcome = await page.evaluate(async (sound) => {
      const { controller, log } = window.stockroomPreview;
      await controller.place(sound, false);
      return { toasts: controller.store.get().toasts.map((t) => [t.level, t.message]), placed: log.named('photoshop.action.batchPlay').length };
    }, sounds[0]!);
    expect(outcome.toasts).toEqual([['warning', 'Photoshop cannot place sound. Use it in Premiere Pro, or download it from the dashboard.']]);
    expect(outcome.placed).toBe(0);
  });

  it('moves through the grid with the arrow keys, opens with Enter, places with Enter and goes back with Escape', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).focus();
    await page.keyboard.press('ArrowDown');
    const order = await cards().evaluateAll((els) =>
      els.map((el) => ({ id: el.getAttribute('data-asset-id')!, top: (el as HTMLElement).offsetTop, left: (el as HTMLElement).offsetLeft })),
    );
    expect(await focusedAssetId()).toBe(order[0]!.id);
    // The focused card wears the panel's own focus ring.
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(ring).toBe('solid');
    await page.keyboard.press('ArrowRight');
    expect(await focusedAssetId()).toBe(order[1]!.id);
    await page.keyboard.press('ArrowDown');
    const below = order.find((card) => card.top > order[1]!.top && card.left === order[1]!.left)!;
    expect(await focusedAssetId()).toBe(below.id);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    expect(await focusedAssetId()).toBe(order[0]!.id);

    // The hero: find it, open it with Enter; Enter again places it (its main action has focus).
    const heroIndex = order.findIndex((card) => card.id === hero.id);
    for (let i = 0; i < heroIndex; i++) await page.keyboard.press('ArrowRight');
    expect(await focusedAssetId()).toBe(hero.id);
    await page.keyboard.press('Enter');
    await page.getByTestId('asset-view').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Place embedded');
    await page.keyboard.press('Enter');
    await page.getByText('Placed Summer hero (version 1).').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await page.getByTestId('results').waitFor();
    await expect.poll(focusedAssetId).toBe(hero.id);
  });

  it('shows thumbnails in "This document"', async () => {
    // A second placement: a photograph, by mouse.
    await page.locator(`[data-asset-id="${photos[2]!.id}"]`).click();
    await page.getByRole('button', { name: 'Place linked' }).click();
    await page.getByText('Placed Landscape 3 (version 1, linked).').waitFor({ timeout: 15_000 });
    await page.getByTestId('document-tab').click();
    await expect.poll(() => page.getByTestId('placement').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid="placement-thumb"] img').count(), { timeout: 15_000 }).toBe(2);
    const sizes = await page.locator('[data-testid="placement-thumb"] img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
    for (const width of sizes) expect(width).toBeGreaterThan(0);
    await shot('document');
    await expectAccessible('this document');
  });

  it('browses collections with counts, opens one and goes back; favourites and recents follow the person', async () => {
    await page.getByTestId('collections-tab').click();
    const row = (name: string) => page.getByTestId('collection').filter({ hasText: name });
    await expect.poll(() => row('Brand photography').getAttribute('data-count'), { timeout: 20_000 }).toBe(String(PHOTOS));
    expect(await row('Sound library').getAttribute('data-count')).toBe(String(SOUNDS.length));
    await shot('collections');
    await expectAccessible('collections');

    await row('Sound library').click();
    await page.getByTestId('shelf-view').waitFor();
    await expect.poll(() => cards().count(), { timeout: 10_000 }).toBe(SOUNDS.length);
    await expectAccessible('collection');
    // Escape leaves the collection for the list.
    await page.keyboard.press('Escape');
    await page.getByTestId('collections-view').waitFor();

    // Recents: the placed ones and the opened ones, newest first.
    await expect.poll(() => page.getByTestId('shelf-recent').getAttribute('data-count')).toBe('5');
    await page.getByTestId('shelf-recent').click();
    await expect
      .poll(() => cards().evaluateAll((els) => els.map((el) => el.getAttribute('data-asset-id'))))
      .toEqual([photos[2]!.id, hero.id, damaged.id, emptyFile.id, sounds[0]!.id]);
    // A star from the asset page: favourites.
    await page.locator(`[data-asset-id="${photos[2]!.id}"]`).click();
    await page.getByTestId('favourite').click();
    expect(await page.getByTestId('favourite').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Escape');
    await page.getByTestId('shelf-back').click();
    await expect.poll(() => page.getByTestId('shelf-favourites').getAttribute('data-count')).toBe('1');
    // Kept for this person on this server, across a reload.
    await page.reload();
    await page.getByTestId('collections-tab').click();
    await expect.poll(() => page.getByTestId('shelf-favourites').getAttribute('data-count')).toBe('1');
    await page.getByTestId('shelf-favourites').click();
    await expect.poll(() => cards().evaluateAll((els) => els.map((el) => el.getAttribute('data-asset-id')))).toEqual([photos[2]!.id]);
    await shot('favourites');
    await expectAccessible('favourites');
    await page.getByTestId('shelf-back').click();
  });

  it('the conflict dialog passes axe in both themes', async () => {
    await page.getByRole('tab', { name: 'Search' }).click();
    if (await page.getByTestId('asset-view').isVisible()) await page.keyboard.press('Escape');
    await page.locator(`[data-asset-id="${hero.id}"]`).click();
    await page.getByRole('button', { name: 'Check out & open' }).click();
    await page.getByText('is checked out to you and open').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Release check-out' }).click();
    await page.getByText('Released Summer hero').waitFor();
    // A colleague checks in a newer version meanwhile.
    await admin.call('assets.checkout', { id: hero.id });
    const { uploadId } = await admin.upload(await landscapeJpeg(43, 800, 520), { fileName: 'hero.jpg', mimeType: 'image/jpeg' });
    await admin.checkIn({ id: hero.id, uploadId, comment: 'Warmer light', underLock: true });
    await page.getByTestId('document-tab').click();
    await page.getByPlaceholder('What changed?').fill('Cropped for the poster');
    await page.getByTestId('checkin-button').click();
    await page.getByTestId('conflict-dialog').waitFor({ timeout: 15_000 });
    await expectAccessible('conflict dialog');
  });
});
