/**
 * No silent overwrite, in Chromium against a real bridge: the Photoshop panel (its
 * browser preview: the real PhotoshopHost over the fake photoshop/uxp modules) checks in
 * against the version its document came from, shows the conflict dialog when a
 * colleague's version came first, and tells its person when an administrator removed
 * their lock. The colleague and the administrator use the bridge client from Node.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { PanelController, PanelOptions } from '@stockroom/panels-core';
import type { Asset } from '@stockroom/shared-types';
import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../photoshop/preview/window.ts';
import { launchBrowser } from './support/browser.ts';
import { screenshotsOnFailure } from './support/panel-page.ts';
import { startPreview } from './support/preview.ts';
import { connectClient, createAsset } from './support/second-client.ts';

const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;

let server: TestServer;
let preview: { url: string; close(): Promise<void> };
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;
let bobClient: BridgeClient;
let adminClient: BridgeClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let poster: Asset;

/** Bytes that differ per label, as different edits of one document would. */
function documentBytes(label: string, size = 96 * 1024): Buffer {
  const bytes = Buffer.alloc(size);
  let block = createHash('sha256').update(label).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(bytes, offset);
    block = createHash('sha256').update(block).digest();
  }
  return bytes;
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function shot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `photoshop-${name}.png`) });
}

/** The person edits the active document in (fake) Photoshop. */
async function edit(bytes: Buffer): Promise<void> {
  await page.evaluate((b64) => {
    const binary = atob(b64);
    const content = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) content[i] = binary.charCodeAt(i);
    window.stockroomPreview.photoshop.active!.edit(content);
  }, bytes.toString('base64'));
}

async function toasts(): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { toastLog: string[] }).toastLog);
}

async function versions(): Promise<Array<{ number: number; sha256: string; comment: string; author: { name: string } }>> {
  return (await bobClient.call('versions.list', { assetId: poster.id })).versions;
}

/** The colleague checks in new bytes the normal way: check out, upload, check in under the lock. */
async function colleagueChecksIn(bytes: Buffer, comment: string): Promise<number> {
  await bobClient.call('assets.checkout', { id: poster.id });
  const { uploadId } = await bobClient.upload(bytes, { fileName: 'poster.psd', mimeType: 'image/vnd.adobe.photoshop' });
  return (await bobClient.checkIn({ id: poster.id, uploadId, comment, underLock: true })).version.number;
}

async function checkInFromPanel(comment: string): Promise<void> {
  await page.getByTestId('document-tab').click();
  if (await page.getByTestId('checkin-again').isVisible()) await page.getByTestId('checkin-again').click();
  await page.getByPlaceholder('What changed?').fill(comment);
  await page.getByTestId('checkin-button').click();
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice Designer' });
  bob = await server.createUser({ name: 'Bob Retoucher' });
  admin = await server.createUser({ name: 'Dana Admin', role: 'admin' });
  [bobClient, adminClient] = await Promise.all([connectClient(server.url, bob.token), connectClient(server.url, admin.token)]);
  preview = await startPreview(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

screenshotsOnFailure('conflict-', () => ({ '': page }));

afterAll(async () => {
  bobClient?.close();
  adminClient?.close();
  await browser?.close();
  await preview?.close();
  await server?.destroy();
});

describe.sequential('no silent overwrite in the Photoshop panel', () => {
  it('opens the asset at v1, checked out; an administrator forces the lock open and the holder sees who, when and why within 2 s', async () => {
    poster = await createAsset(bobClient, documentBytes('v1'), 'poster.psd', 'image/vnd.adobe.photoshop', 'Spring Poster');
    await page.goto(`${preview.url}/?screenshot`);
    await page.getByRole('button', { name: 'Use a token instead' }).click();
    await page.getByPlaceholder('Paste the token').fill(alice.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator(`[data-asset-id="${poster.id}"]`).click();
    await page.getByRole('button', { name: 'Check out & open' }).click();
    await page.getByText('is checked out to you and open').waitFor();
    await page.evaluate(() => {
      const { store } = window.stockroomPreview.controller;
      const seen: string[] = [];
      Object.assign(window, { toastLog: seen });
      store.subscribe(() => {
        for (const toast of store.get().toasts) if (!seen.includes(toast.message)) seen.push(toast.message);
      });
    });
    await page.getByTestId('document-tab').click();
    await page.locator('[data-testid="checkin"][data-lock="mine"]').waitFor();
    expect(await page.getByTestId('checkin-basis').innerText()).toContain('came from version 1');

    const reason = 'Alice is away today; Bob needs to finish the poster';
    await adminClient.call('assets.forceUnlock', { id: poster.id, reason });
    const unlockedAt = Date.now();
    await page.getByTestId('lock-notice').waitFor({ timeout: 2000 });
    const latency = Date.now() - unlockedAt;
    expect(latency).toBeLessThan(2000);
    const notice = await page.getByTestId('lock-notice').innerText();
    expect(notice).toContain('Dana Admin removed your check-out of Spring Poster');
    expect(notice).toContain(`Reason: “${reason}”`);
    expect(notice).toMatch(/just now|min ago/);
    // The check-in box switched to the unlocked state.
    await page.locator('[data-testid="checkin"][data-lock="none"]').waitFor({ timeout: 2000 });
    expect(await page.getByTestId('checkin-basis').innerText()).toContain('only if version 1');
    expect(await page.getByRole('button', { name: 'Release' }).count()).toBe(0);
    await shot('lock-removed');
    console.info(`force-unlock notice latency: ${latency} ms`);
  });

  it('a colleague checks in v2; the designer’s check-in ends in the conflict dialog, v2 intact and no v3', async () => {
    const v2Bytes = documentBytes('v2 by Bob');
    expect(await colleagueChecksIn(v2Bytes, 'Brighter sky')).toBe(2);
    await edit(documentBytes('Alice from v1'));
    await checkInFromPanel('Retouched the face');

    await page.getByTestId('conflict-dialog').waitFor({ timeout: 20_000 });
    const details = await page.getByTestId('conflict-details').innerText();
    expect(details).toContain('Your document came from version 1 of Spring Poster');
    const newer = page.getByTestId('conflict-version');
    expect(await newer.count()).toBe(1);
    const v2Line = await newer.first().innerText();
    expect(v2Line).toContain('v2');
    expect(v2Line).toContain('Bob Retoucher');
    expect(v2Line).toContain('“Brighter sky”');
    expect(v2Line).toMatch(/just now|min ago/);
    expect(await page.getByTestId('check-in-anyway').innerText()).toBe('Check in anyway as a new version on top of v2…');
    expect(await page.getByTestId('open-latest').isVisible()).toBe(true);
    expect(await page.getByTestId('save-copy').isVisible()).toBe(true);
    await shot('conflict');

    // Never a success: no such toast, no "checked in" state; v2 is the head, unchanged.
    expect((await toasts()).filter((t) => /checked in/i.test(t))).toEqual([]);
    expect(await page.getByTestId('checkin-done').count()).toBe(0);
    const list = await versions();
    expect(list.map((v) => v.number)).toEqual([2, 1]);
    expect(list[0]!.sha256).toBe(sha256(v2Bytes));
  });

  it('"check in anyway" is a second, explicit step; then v3 holds the designer’s bytes and the audit row records base v2 and the override', async () => {
    await page.getByTestId('check-in-anyway').click();
    const confirm = await page.getByTestId('override-details').innerText();
    expect(confirm).toContain('Your document becomes version 3');
    expect(confirm).toContain('started from version 1');
    expect(confirm).toContain('v2 by Bob Retoucher');
    expect(await page.getByTestId('confirm-override').innerText()).toBe('Replace and check in as version 3');
    await shot('conflict-confirm');
    expect((await versions()).map((v) => v.number)).toEqual([2, 1]); // the first step changed nothing

    await page.getByTestId('confirm-override').click();
    await page.getByTestId('checkin-done').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('conflict-dialog').count()).toBe(0);
    expect(await page.getByTestId('checkin-done-text').innerText()).toBe(
      'Spring Poster is now version 3, replacing v2 (recorded). It was not checked out to you.',
    );
    await shot('checked-in');
    const list = await versions();
    expect(list.map((v) => v.number)).toEqual([3, 2, 1]);
    expect(list[0]).toMatchObject({ sha256: sha256(documentBytes('Alice from v1')), comment: 'Retouched the face', author: { name: 'Alice Designer' } });
    expect(list[1]!.sha256).toBe(sha256(documentBytes('v2 by Bob')));
    const rows = await server.stockroom.database.prisma.auditEvent.findMany({
      where: { targetId: poster.id, action: 'asset.checkin' },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((row) => [row.actorId, row.data])).toEqual([
      [bob.id, { number: 2, sha256: sha256(documentBytes('v2 by Bob')), baseVersion: 1, underLock: true }],
      [alice.id, { number: 3, sha256: sha256(documentBytes('Alice from v1')), baseVersion: 2, underLock: false, override: { startedFrom: 1 } }],
    ]);
    // The document's file is still the cached v1, but it holds v3 now: a reloaded panel
    // (a new controller over the same host and storage) knows that.
    const reloaded = await page.evaluate(async () => {
      const { controller, host } = window.stockroomPreview;
      const Controller = controller.constructor as new (options: PanelOptions) => PanelController;
      const fresh = new Controller({ host, pluginVersion: 'reloaded', settings: window.localStorage });
      const doc = await host.getActiveDocument();
      return { path: doc?.path, origin: doc ? fresh.origins.resolve(doc) : null };
    });
    expect(reloaded).toEqual({ path: `plugin-data:/cache/${poster.id}/v1/poster.psd`, origin: { assetId: poster.id, version: 3, source: 'checkin' } });
    // The cached v1 file opened again (a new document) holds v1: its check-in would be checked against v1, not v3.
    const reopened = await page.evaluate(async (file) => {
      const { host, photoshop, controller } = window.stockroomPreview;
      const working = photoshop.active;
      await host.openFile(file);
      const doc = await host.getActiveDocument();
      const origin = doc ? controller.origins.resolve(doc) : null;
      photoshop.active = working; // back to the document being worked on
      return origin;
    }, reloaded.path!);
    expect(reopened).toEqual({ assetId: poster.id, version: 1, source: 'cache' });
    // The banner stays until dismissed.
    expect(await page.getByTestId('lock-notice').count()).toBe(1);
    await page.getByTestId('dismiss-lock-notice').click();
    expect(await page.getByTestId('lock-notice').count()).toBe(0);
  });

  it('the document is v3 now: the next check-in goes against v3, and after a colleague’s v4 "Open the latest version" opens v4 to check in from', async () => {
    expect(await colleagueChecksIn(documentBytes('v4 by Bob'), 'Logo moved')).toBe(4);
    await edit(documentBytes('Alice from v3'));
    await checkInFromPanel('Warmer tones');
    await page.getByTestId('conflict-dialog').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('conflict-details').innerText()).toContain('came from version 3');
    expect(await page.getByTestId('conflict-version').count()).toBe(1);

    await page.getByTestId('open-latest').click();
    await page.getByTestId('conflict-dialog').waitFor({ state: 'detached' });
    const opened = await page.evaluate(() => window.stockroomPreview.log.named('photoshop.app.open').map((call) => call.args[0]));
    expect(opened.at(-1)).toBe(`plugin-data:/cache/${poster.id}/v4/poster.psd`);
    expect((await versions()).map((v) => v.number)).toEqual([4, 3, 2, 1]);
    await expect.poll(() => page.getByTestId('checkin-basis').innerText()).toContain('version 4');
    await edit(documentBytes('Alice from v4'));
    await checkInFromPanel('Warmer tones, on the moved logo');
    await page.getByTestId('checkin-done').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('checkin-done-text').innerText()).toBe('Spring Poster is now version 5. It was not checked out to you.');
    const audit = await server.stockroom.database.prisma.auditEvent.findFirst({
      where: { targetId: poster.id, action: 'asset.checkin' },
      orderBy: { id: 'desc' },
    });
    expect(audit?.data).toMatchObject({ number: 5, baseVersion: 4, underLock: false });
    expect(audit?.data).not.toHaveProperty('override');
  });

  it('"Save my copy elsewhere" keeps the designer’s bytes as a new asset and leaves the colleague’s version the head', async () => {
    expect(await colleagueChecksIn(documentBytes('v6 by Bob'), 'Final text')).toBe(6);
    const mine = documentBytes('Alice from v5');
    await edit(mine);
    await checkInFromPanel('Another idea');
    await page.getByTestId('conflict-dialog').waitFor({ timeout: 20_000 });
    await page.getByTestId('save-copy').click();
    await page.getByTestId('checkin-done').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('checkin-done-text').innerText()).toContain('Your copy is Spring Poster (my copy from v5), version 1');
    const row = await server.stockroom.database.prisma.asset.findFirst({ where: { name: 'Spring Poster (my copy from v5)' } });
    const copy = await bobClient.call('assets.get', { id: row!.id });
    expect(copy.head).toMatchObject({ number: 1, sha256: sha256(mine) });
    expect(copy.head?.author.name).toBe('Alice Designer');
    const list = await versions();
    expect(list[0]).toMatchObject({ number: 6, sha256: sha256(documentBytes('v6 by Bob')) });
    // The document checks in to its own asset from now on.
    await expect.poll(() => page.getByTestId('checkin-again').isVisible()).toBe(true);
    await page.getByTestId('checkin-again').click();
    expect(await page.getByTestId('checkin-basis').innerText()).toContain('version 1');
  });

  it('while a colleague holds the lock, the dialog names them and offers no "check in anyway"', async () => {
    const row = await server.stockroom.database.prisma.asset.findFirst({ where: { name: 'Spring Poster (my copy from v5)' } });
    await bobClient.call('assets.checkout', { id: row!.id });
    await edit(documentBytes('Alice, second idea'));
    await checkInFromPanel('Second idea');
    await page.getByTestId('conflict-dialog').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('conflict-details').innerText()).toContain('Bob Retoucher has checked out Spring Poster (my copy from v5) in script');
    expect(await page.getByTestId('check-in-anyway').count()).toBe(0);
    expect(await page.getByTestId('open-latest').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Cancel — keep working' }).click();
    await page.getByTestId('conflict-dialog').waitFor({ state: 'detached' });
    expect((await bobClient.call('versions.list', { assetId: row!.id })).versions.map((v) => v.number)).toEqual([1]);
    expect((await toasts()).filter((t) => /checked in .*copy/i.test(t))).toEqual([]);
    await bobClient.call('assets.releaseCheckout', { id: row!.id });
  });
});

describe.sequential('a lock removed while the panel was offline', () => {
  it('is told after the panel reconnects, with who, when and why, and only once', async () => {
    const away = await launchBrowser();
    try {
      const panel = await away.context.newPage();
      // Every bridge socket of this page (the preview proxies /ws; not the dev server's own)
      // goes through here: passed on while online, closed at once while offline.
      let offline = false;
      const sockets: WebSocketRoute[] = [];
      const catchUps: string[] = [];
      await panel.routeWebSocket(
        (url) => url.pathname === '/ws',
        (ws) => {
          if (offline) {
            void ws.close({ code: 1012, reason: 'offline' });
            return;
          }
          sockets.push(ws);
          const bridge = ws.connectToServer();
          ws.onMessage((message) => {
            if (typeof message === 'string' && message.includes('"assets.forcedUnlocks"')) catchUps.push(message);
            bridge.send(message);
          });
        },
      );
      const goOffline = async () => {
        offline = true;
        for (const ws of sockets.splice(0)) await ws.close({ code: 1012, reason: 'offline' });
        await expect.poll(() => panel.evaluate(() => window.stockroomPreview.controller.store.get().connection), { timeout: 10_000 }).not.toBe('open');
      };
      const comeBack = async () => {
        offline = false;
        await expect.poll(() => panel.evaluate(() => window.stockroomPreview.controller.store.get().connection), { timeout: 15_000 }).toBe('open');
      };
      const banner = await createAsset(bobClient, documentBytes('banner v1'), 'banner.psd', 'image/vnd.adobe.photoshop', 'Autumn Banner');
      await panel.goto(preview.url);
      await panel.getByRole('button', { name: 'Use a token instead' }).click();
      await panel.getByPlaceholder('Paste the token').fill(alice.token);
      await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
      await panel.locator(`[data-asset-id="${banner.id}"]`).click();
      await panel.getByRole('button', { name: 'Check out & open' }).click();
      await panel.getByText('is checked out to you and open').waitFor();

      await goOffline();
      const reason = 'Print deadline; Bob takes over';
      await adminClient.call('assets.forceUnlock', { id: banner.id, reason });
      // Offline, nothing can be told yet.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await panel.getByTestId('lock-notice').count()).toBe(0);

      await comeBack();
      await panel.getByTestId('lock-notice').waitFor({ timeout: 10_000 });
      const notice = await panel.getByTestId('lock-notice').innerText();
      expect(notice).toContain('Dana Admin removed your check-out of Autumn Banner');
      expect(notice).toContain(`Reason: “${reason}”`);
      expect(notice).toMatch(/just now|min ago/);

      // A second drop and return asks again from the new moment: the same removal is not told twice.
      expect(catchUps).toHaveLength(1);
      await goOffline();
      await comeBack();
      await expect.poll(() => catchUps.length, { timeout: 10_000 }).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await panel.getByTestId('lock-notice').count()).toBe(1);
    } finally {
      await away.close();
    }
  });
});
