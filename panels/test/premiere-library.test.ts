/**
 * The Premiere Pro panel (its browser preview over the fake Premiere Pro) against a real
 * bridge with real media: sound is imported (Premiere Pro plays it), a file Premiere Pro
 * cannot import offers no import, and axe-core finds no critical or serious violation on
 * any screen in the light or the dark theme.
 */
import { readFileSync } from 'node:fs';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus, type Corpus } from '../../bridge-server/test/media/corpus.ts';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../premiere/preview/window.ts';
import { expectAccessible } from './support/accessibility.ts';
import { launchBrowser } from './support/browser.ts';
import { screenshotsOnFailure } from './support/panel-page.ts';
import { startPremierePreview } from './support/preview.ts';
import { connectClient } from './support/second-client.ts';

let server: TestServer;
let preview: { url: string; close(): Promise<void> };
let alice: TestUser;
let admin: BridgeClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let corpus: Corpus;
let clip: Asset;
let sound: Asset;
let notes: Asset;

async function addAsset(bytes: Uint8Array, fileName: string, mimeType: string, name: string): Promise<Asset> {
  const { uploadId } = await admin.upload(bytes, { fileName, mimeType });
  return admin.call('assets.create', { uploadId, name });
}

beforeAll(async () => {
  [server, corpus] = await Promise.all([startTestServer(), ensureCorpus()]);
  alice = await server.createUser({ name: 'Alice Editor' });
  admin = await connectClient(server.url, server.adminToken);
  const films = await admin.call('collections.create', { name: 'Brand films' });
  await admin.call('grants.set', { collectionId: films.id, subjectType: 'user', subjectId: alice.id, role: 'viewer' });
  clip = await addAsset(readFileSync(corpus.h264), 'h264-1080p.mp4', 'video/mp4', 'Launch film');
  sound = await addAsset(readFileSync(corpus.wav), 'tone.wav', 'audio/wav', 'Room tone');
  notes = await addAsset(new TextEncoder().encode('Shot list: wide, close, insert.\n'), 'shot-list.txt', 'text/plain', 'Shot list');
  preview = await startPremierePreview(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
}, 180_000);

screenshotsOnFailure('premiere-library-', () => ({ '': page }));

afterAll(async () => {
  admin?.close();
  await browser?.close();
  await preview?.close();
  await server?.destroy();
});

describe.sequential('the Premiere Pro panel, every screen', () => {
  it('signed out and browsing pass axe in both themes; the document has a language', async () => {
    await page.goto(`${preview.url}/?screenshot`);
    await page.getByRole('button', { name: 'Use a token instead' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectAccessible(page, 'signed out');
    await page.getByRole('button', { name: 'Use a token instead' }).click();
    await page.getByPlaceholder('Paste the token').fill(alice.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByTestId('asset-card').count(), { timeout: 20_000 }).toBe(3);
    await expectAccessible(page, 'browse');
  });

  it('offers no import for a file Premiere Pro cannot import, with the reason; sound is imported', async () => {
    await page.locator(`[data-asset-id="${notes.id}"]`).click();
    await expect.poll(() => page.getByTestId('place-refusal').textContent()).toContain('Premiere Pro cannot import TXT files');
    expect(await page.getByRole('button', { name: /Import (original|proxy)/ }).count()).toBe(0);
    await expectAccessible(page, 'asset detail, cannot import');
    await page.keyboard.press('Escape');

    await page.locator(`[data-asset-id="${sound.id}"]`).click();
    await page.getByRole('button', { name: 'Import original' }).click();
    await page.getByText(/Imported Room tone \(version 1\)/).waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'asset detail');
    await page.keyboard.press('Escape');
    await page.locator(`[data-asset-id="${clip.id}"]`).waitFor();
  });

  it('this project and collections pass axe in both themes', async () => {
    await page.getByTestId('document-tab').click();
    await expect.poll(() => page.getByTestId('placement').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('placement-thumb').count()).toBe(1);
    await expectAccessible(page, 'this project');
    await page.getByTestId('collections-tab').click();
    await page.getByTestId('collection').filter({ hasText: 'Brand films' }).waitFor();
    await expectAccessible(page, 'collections');
    await page.getByTestId('shelf-recent').click();
    await expect.poll(() => page.getByTestId('asset-card').count()).toBe(2);
    await expectAccessible(page, 'recents');
  });
});
