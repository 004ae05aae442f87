/**
 * The Photoshop panel in Chromium (its browser preview: the real PhotoshopHost over
 * fake photoshop/uxp modules that record calls) against a real bridge server.
 * Steps run in order and share the server, the people and their browsers.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../photoshop/preview/window.ts';
import { launchBrowser } from './support/browser.ts';
import { screenshotsOnFailure } from './support/panel-page.ts';
import { startPreview } from './support/preview.ts';
import { checkInNewVersion, connectClient, createAsset } from './support/second-client.ts';

/**
 * The check-in document: 200 MB, the size the issue names (about 23 s for that step on
 * the shared 2-core machine, docs/panels.md); STOCKROOM_BIG_DOC_MB picks another size.
 */
const BIG_DOC_BYTES = Number(process.env.STOCKROOM_BIG_DOC_MB ?? 200) * 1024 * 1024;
const CHUNK_BYTES = Math.max(1024 * 1024, Math.ceil(BIG_DOC_BYTES / 32 / 1024) * 1024);
const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;

interface RecordedCall {
  api: string;
  args: unknown[];
  result?: unknown;
  modal: boolean;
}

const BOB_PASSWORD = 'a long enough password for Bob';
let server: TestServer;
let preview: { url: string; close(): Promise<void> };
let alice: TestUser;
let bob: TestUser;
let bobClient: BridgeClient;
let browserA: Awaited<ReturnType<typeof launchBrowser>>;
let browserB: Awaited<ReturnType<typeof launchBrowser>>;
let pageA: Page;
let pageB: Page;
let hero: Asset;
const extraAssets: Asset[] = [];

async function png(width: number, height: number, colour: { r: number; g: number; b: number }): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: colour } })
      .png()
      .toBuffer(),
  );
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `photoshop-${name}.png`) });
}

async function calls(page: Page, api: string): Promise<RecordedCall[]> {
  return page.evaluate((name) => window.stockroomPreview.log.named(name) as unknown as RecordedCall[], api);
}

async function tokenPath(page: Page, token: string): Promise<string | undefined> {
  return page.evaluate((t) => window.stockroomPreview.files.pathForToken(t), token);
}

/** The panel's address: requests of a 32nd of the document (at least 1 MiB), so the restart below lands mid-upload. */
const panelUrl = () => `${preview.url}/?screenshot&uploadChunkKB=${CHUNK_BYTES / 1024}`;

/** Signs in with the fallback: a pasted access token. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(panelUrl());
  await page.getByRole('button', { name: 'Use a token instead' }).click();
  await page.getByPlaceholder('Paste the token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('tab', { name: 'Search' }).waitFor();
}

beforeAll(async () => {
  // Panels poll device sign-in at the server's interval: 1 s (the shortest) keeps this quick.
  server = await startTestServer({ env: { DEVICE_POLL_INTERVAL: '1s' } });
  alice = await server.createUser({ name: 'Alice Designer' });
  // Bob has a password: he signs in to the bridge's web page to approve his panel.
  const bobUser = await server.stockroom.services.users.create({ email: `bob-${Date.now()}@example.test`, name: 'Bob Retoucher', password: BOB_PASSWORD });
  bob = {
    id: bobUser.id,
    email: bobUser.email,
    name: bobUser.name,
    token: (await server.stockroom.services.tokens.create(bobUser.id, { name: 'test' })).secret,
  };
  bobClient = await connectClient(server.url, bob.token);
  preview = await startPreview(server.url);
  [browserA, browserB] = await Promise.all([launchBrowser(), launchBrowser()]);
  pageA = await browserA.context.newPage();
  pageB = await browserB.context.newPage();
});

// A failed step leaves pictures of both panels behind, to see what the person would have seen.
screenshotsOnFailure('', () => ({ '-A': pageA, '-B': pageB }));

afterAll(async () => {
  bobClient?.close();
  await Promise.all([browserA?.close(), browserB?.close()]);
  await preview?.close();
  await server?.destroy();
});

describe.sequential('Photoshop panel against a real bridge', () => {
  it('signs in with a pasted token and shows a helpful empty state', async () => {
    await signIn(pageA, alice.token);
    await pageA.getByTestId('empty-state').waitFor();
    expect(await pageA.getByTestId('empty-state').innerText()).toContain('No assets yet');
    const stored = await calls(pageA, 'uxp.secureStorage.setItem');
    expect(stored.map((call) => call.args[0])).toEqual(['stockroom.token']);
    await shot(pageA, 'empty');
  });

  it('finds an asset from a query with typos, as you type', async () => {
    hero = await createAsset(bobClient, await png(640, 400, { r: 40, g: 120, b: 200 }), 'summer-hero.png', 'image/png', 'Summer Campaign Hero', [
      'summer',
      'campaign',
    ]);
    for (const [name, colour] of [
      ['Winter Sale Banner', { r: 200, g: 220, b: 240 }],
      ['Logo Primary', { r: 20, g: 20, b: 20 }],
    ] as const) {
      extraAssets.push(await createAsset(bobClient, await png(200, 200, colour), `${name}.png`, 'image/png', name));
    }
    await expect.poll(() => pageA.getByTestId('asset-card').count()).toBe(3); // the browse list picks up new assets live
    await pageA.getByPlaceholder('Search assets').fill('sumer campain');
    await expect.poll(() => pageA.getByTestId('asset-card').count(), { timeout: 15_000 }).toBe(1);
    expect(await pageA.getByTestId('asset-card').getAttribute('data-asset-id')).toBe(hero.id);
    expect(await pageA.getByText('1 asset', { exact: true }).count()).toBe(1);
    await pageA.getByPlaceholder('Search assets').fill('');
    await expect.poll(() => pageA.getByTestId('asset-card').count()).toBe(3);
    await shot(pageA, 'results');
  });

  it('places the asset linked: the placeEvent points into the cache with linked: true', async () => {
    await pageA.locator(`[data-asset-id="${hero.id}"]`).click();
    await pageA.getByTestId('asset-view').waitFor();
    await pageA.getByTestId('versions').getByText('v1').waitFor();
    await shot(pageA, 'asset-view');

    await pageA.evaluate(() => (window.stockroomPreview.photoshop.modalDelayMs = 1200));
    await pageA.getByRole('button', { name: 'Place linked' }).click();
    await pageA.getByText('Placing linked…').waitFor();
    await shot(pageA, 'placing');
    await pageA.getByText('Placed Summer Campaign Hero (version 1, linked).').waitFor();
    await pageA.evaluate(() => (window.stockroomPreview.photoshop.modalDelayMs = 0));

    const plays = await calls(pageA, 'photoshop.action.batchPlay');
    const place = plays.find((call) => (call.args[0] as Array<{ _obj: string }>)[0]?._obj === 'placeEvent');
    expect(place?.modal).toBe(true);
    const descriptor = (place!.args[0] as Array<Record<string, any>>)[0]!;
    expect(descriptor).toMatchObject({ _obj: 'placeEvent', linked: true, null: { _kind: 'local' } });
    expect(await tokenPath(pageA, descriptor.null._path)).toBe(`plugin-data:/cache/${hero.id}/v1/summer-hero.png`);
    // The cached file holds exactly the version's bytes.
    const cachedSize = await pageA.evaluate((p) => window.stockroomPreview.files.files.get(p)?.byteLength, `plugin-data:/cache/${hero.id}/v1/summer-hero.png`);
    expect(cachedSize).toBe(hero.head!.size);
  });

  it('shows "update available" within 2 s of another app checking in, and updating relinks that layer', async () => {
    await pageA.getByTestId('document-tab').click();
    await pageA.getByTestId('placement').waitFor();
    const itemId = await pageA.getByTestId('placement').getAttribute('data-item-id');

    await checkInNewVersion(bobClient, hero.id, await png(640, 400, { r: 90, g: 170, b: 240 }), 'summer-hero.png', 'image/png');
    const checkedInAt = Date.now();
    await pageA.getByTestId('update-available').waitFor({ timeout: 2000 });
    const latency = Date.now() - checkedInAt;
    expect(latency).toBeLessThan(2000);
    expect(await pageA.getByTestId('update-available').innerText()).toContain('v2');
    await shot(pageA, 'update-available');

    const before = (await calls(pageA, 'photoshop.action.batchPlay')).length;
    await pageA.getByRole('button', { name: 'Update', exact: true }).click();
    await pageA.getByText('Updated Summer Campaign Hero to version 2.').waitFor();
    await pageA.getByTestId('update-available').waitFor({ state: 'detached' });
    const relink = (await calls(pageA, 'photoshop.action.batchPlay')).slice(before);
    expect(relink).toHaveLength(1);
    const [select, relinkTo] = relink[0]!.args[0] as Array<Record<string, any>>;
    expect(select).toEqual({
      _obj: 'select',
      _target: [{ _ref: 'layer', _id: Number(itemId) }],
      makeVisible: false,
      _options: { dialogOptions: 'dontDisplay' },
    });
    expect(relinkTo!._obj).toBe('placedLayerRelinkToFile');
    expect(await tokenPath(pageA, relinkTo!.null._path)).toBe(`plugin-data:/cache/${hero.id}/v2/summer-hero.png`);
    await bobClient.call('assets.releaseCheckout', { id: hero.id });
    console.info(`update-available latency: ${latency} ms`);
  });

  it('signs in with the browser: the panel shows a code, its person approves it in their browser, and the panel searches', async () => {
    await pageB.goto(panelUrl());
    await pageB.getByRole('button', { name: 'Sign in with browser' }).click();
    const first = await pageB.getByTestId('device-code').innerText();
    // A code nobody approved in time (its ten minutes moved on in the database): a sentence and "Try again".
    await server.stockroom.database.prisma.deviceCode.update({ where: { userCode: first }, data: { expiresAt: new Date(Date.now() - 1) } });
    await pageB.getByTestId('device-failed').waitFor({ timeout: 15_000 });
    expect(await pageB.getByTestId('device-failed').innerText()).toBe('The code expired before it was approved. Try again to get a new one.');
    await pageB.getByRole('button', { name: 'Try again' }).click();
    const code = await pageB.getByTestId('device-code').innerText();
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(code).not.toBe(first);
    await shot(pageB, 'sign-in');
    await pageB.getByRole('button', { name: 'Open sign-in page' }).click();
    await expect.poll(async () => (await calls(pageB, 'uxp.shell.openExternal')).length).toBe(1);
    const [url] = (await calls(pageB, 'uxp.shell.openExternal'))[0]!.args as [string];
    expect(url).toBe(`${server.url}/auth/device?code=${encodeURIComponent(code)}`);
    await pageB.waitForTimeout(1500);
    expect(await pageB.getByTestId('device-code').isVisible()).toBe(true); // still waiting: nobody approved yet

    // Bob's own browser opens that page, he signs in to the bridge there, checks the code, approves.
    const approval = await browserB.context.newPage();
    await approval.goto(url);
    await approval.fill('#email', bob.email);
    await approval.fill('#password', BOB_PASSWORD);
    await Promise.all([approval.waitForURL(/\/auth\/device\?code=/), approval.click('button[type=submit]')]);
    expect(await approval.textContent('#user-code')).toBe(code);
    await approval.click('#approve');
    expect(await approval.textContent('#result')).toContain('is now signed in');
    await approval.close();

    await pageB.getByRole('tab', { name: 'Search' }).waitFor({ timeout: 10_000 });
    const stored = await calls(pageB, 'uxp.secureStorage.setItem');
    expect(stored.map((call) => call.args[0])).toEqual(['stockroom.token']);
    // The panel holds a token of its own, named after the app and the machine.
    const tokens = await server.stockroom.database.prisma.apiToken.findMany({ where: { userId: bob.id }, select: { name: true } });
    expect(tokens.map((t) => t.name).filter((name) => name.startsWith('photoshop on '))).toHaveLength(1);
    await pageB.getByPlaceholder('Search assets').fill('sumer campain');
    await expect.poll(() => pageB.getByTestId('asset-card').count(), { timeout: 15_000 }).toBe(1);
    expect(await pageB.getByTestId('asset-card').getAttribute('data-asset-id')).toBe(hero.id);
  });

  it('checking out shows the lock badge live in another person’s panel', async () => {
    const cardB = pageB.locator(`[data-asset-id="${hero.id}"]`);
    await cardB.waitFor();
    expect(await cardB.getByTestId('lock-badge').count()).toBe(0);
    await cardB.click();
    await pageB.getByTestId('asset-view').waitFor();

    await pageA.getByRole('tab', { name: 'Search' }).click();
    await pageA.getByRole('button', { name: '‹ Results' }).click();
    await pageA.locator(`[data-asset-id="${hero.id}"]`).click();
    await pageA.getByRole('button', { name: 'Check out & open' }).click();
    await pageA.getByText('is checked out to you and open').waitFor();
    const opened = await calls(pageA, 'photoshop.app.open');
    expect(opened.at(-1)?.args).toEqual([`plugin-data:/cache/${hero.id}/v2/summer-hero.png`]);

    await pageB.getByTestId('lock-badge').waitFor({ timeout: 2000 });
    expect(await pageB.getByTestId('lock-badge').innerText()).toBe('Checked out by Alice Designer');
    expect(await pageB.getByRole('button', { name: 'Checked out by someone else' }).isDisabled()).toBe(true);
    await shot(pageB, 'locked-by-someone-else');
    await pageB.getByRole('button', { name: '‹ Results' }).click();
    await cardB.getByTestId('lock-badge').waitFor();
    expect(await cardB.getByTestId('lock-badge').innerText()).toBe('Locked · Alice Designer');
  });

  it(
    `checks in a ${Math.round(BIG_DOC_BYTES / 1024 / 1024)} MB document with progress, resuming after the server restarts mid-upload`,
    async () => {
      const patches: Array<{ offset: number; at: number }> = [];
      let clickedAt = Date.now();
      let stopping: Promise<void> | null = null;
      pageA.on('request', (request) => {
        if (request.method() !== 'PATCH' || !request.url().includes('/api/uploads/')) return;
        const offset = Number(request.headers()['upload-offset']);
        patches.push({ offset, at: Date.now() });
        // Stop the server under the running upload once a quarter of the document is there.
        if (!stopping && offset >= BIG_DOC_BYTES * 0.25) stopping = server.stop();
      });
      /** Every upload request with its answer, for the failure message. */
      const uploadLog: string[] = [];
      pageA.on('response', (response) => {
        const request = response.request();
        if (!request.url().includes('/api/uploads')) return;
        uploadLog.push(
          `${request.method()} ${request.headers()['upload-offset'] ?? ''} -> ${response.status()} ${response.headers()['upload-offset'] ?? ''} @${((Date.now() - clickedAt) / 1000).toFixed(1)}`,
        );
      });
      pageA.on('requestfailed', (request) => {
        if (request.url().includes('/api/uploads'))
          uploadLog.push(
            `${request.method()} ${request.headers()['upload-offset'] ?? ''} failed ${request.failure()?.errorText} @${((Date.now() - clickedAt) / 1000).toFixed(1)}`,
          );
      });
      await pageA.evaluate((size) => {
        const preview = window.stockroomPreview;
        preview.photoshop.active!.edit(preview.documentBytes(size));
      }, BIG_DOC_BYTES);
      await pageA.getByTestId('document-tab').click();
      await pageA.getByTestId('checkin').waitFor();
      await pageA.getByPlaceholder('What changed?').fill('Retouched the sky');
      // Every toast from here on, so a failure shows the sentence the person would have read.
      await pageA.evaluate(() => {
        const { store } = window.stockroomPreview.controller;
        const seen: string[] = [];
        const phases: Array<{ phase: string; at: number }> = [];
        Object.assign(window, { toastLog: seen, phaseLog: phases });
        store.subscribe(() => {
          for (const toast of store.get().toasts) if (!seen.includes(toast.message)) seen.push(toast.message);
          const phase = store.get().upload?.phase ?? 'done';
          if (phases.at(-1)?.phase !== phase && (phases.length > 0 || phase !== 'done')) phases.push({ phase, at: Date.now() });
        });
      });
      clickedAt = Date.now();
      await pageA.getByTestId('checkin-button').click();

      await pageA.getByTestId('upload-progress').waitFor();
      await expect.poll(() => stopping !== null, { timeout: 120_000, interval: 50 }).toBe(true);
      await shot(pageA, 'checking-in');
      await stopping;
      const stoppedAt = Date.now();
      const serverHadBeforeStop = Math.max(...patches.map((p) => p.offset));
      expect(serverHadBeforeStop).toBeLessThan(BIG_DOC_BYTES * 0.9); // the stop really came mid-upload
      await pageB.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
      expect(await pageB.getByTestId('connection-banner').innerText()).toContain('Offline');
      await shot(pageB, 'offline');
      await server.start();
      const restartedAt = Date.now();

      await expect
        .poll(() => pageA.evaluate(() => (window as unknown as { toastLog: string[] }).toastLog), {
          timeout: Math.max(90_000, (BIG_DOC_BYTES / 1024 / 1024) * 600),
          interval: 250,
        })
        .toContain('Checked in Summer Campaign Hero as version 3.');
      // The new state, not the form again.
      expect(await pageA.getByTestId('checkin-done-text').innerText()).toBe('Summer Campaign Hero is now version 3. Your check-out was released.');
      expect(await pageA.getByTestId('checkin-button').count()).toBe(0);
      const phases = await pageA.evaluate(() => (window as unknown as { phaseLog: Array<{ phase: string; at: number }> }).phaseLog);
      // Where the time goes (docs/panels.md lists measured runs).
      console.info(
        `check-in phases (s from click): ${phases.map((p) => `${p.phase} ${((p.at - clickedAt) / 1000).toFixed(1)}`).join(', ')}; server stopped ${((stoppedAt - clickedAt) / 1000).toFixed(1)}, restarted ${((restartedAt - clickedAt) / 1000).toFixed(1)}`,
      );
      const last = await pageA.evaluate(() => window.stockroomPreview.controller.store.get().lastUpload);
      expect(last?.total).toBe(BIG_DOC_BYTES);
      const afterRestart = patches.filter((p) => p.at > stoppedAt);
      // On failure, the upload requests and their answers say what happened.
      const requests = `upload requests (s from click):\n${uploadLog.join('\n')}`;
      expect(afterRestart.length, requests).toBeGreaterThan(0);
      // Resumed: after the restart the upload continued where the server stopped (losing at
      // most the one request that was cut), never from 0.
      expect(afterRestart[0]!.offset, requests).toBeGreaterThanOrEqual(serverHadBeforeStop - CHUNK_BYTES);
      expect(
        afterRestart.every((p) => p.offset > 0),
        requests,
      ).toBe(true);

      const { versions } = await bobClient.call('versions.list', { assetId: hero.id }).catch(async () => {
        bobClient.close();
        bobClient = await connectClient(server.url, bob.token);
        return bobClient.call('versions.list', { assetId: hero.id });
      });
      expect(versions[0]).toMatchObject({ number: 3, size: BIG_DOC_BYTES, comment: 'Retouched the sky' });
      expect(versions[0]!.author.name).toBe('Alice Designer');
      await pageB.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
    },
    Math.max(180_000, (BIG_DOC_BYTES / 1024 / 1024) * 1200),
  );
});
