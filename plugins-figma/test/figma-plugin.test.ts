/**
 * The Figma brand asset picker end to end: the built plugin (ui.html in a sandboxed
 * iframe with the manifest's CSP, code.js against the recording fake figma global)
 * against a real bridge server, with a designer approving the sign-in in a browser.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import type { BrandKit } from '@stockroom/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY } from '../src/protocol.ts';
import type { BuiltPlugin } from '../scripts/build-plugin.ts';
import type { NodeSnapshot } from '../fake/index.ts';
import { startTestServer, type TestServer } from '../../bridge-server/test/support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, signIn } from '../../bridge-server/test/dashboard/browser.ts';
import { api, createBrandKit, kitInput, LOGO_SVG, type BrandFixture } from '../../bridge-server/test/brand/fixture.ts';
import { seedUpload } from '../../bridge-server/test/support/seed.ts';
import { buildForServer, bundleFake, openFigma, type FigmaWindow } from './support/harness.ts';

const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;
const DESIGNER_PASSWORD = 'designer password 12';

let server: TestServer;
let kit: BrandFixture;
let plugin: BuiltPlugin;
let fakeBundle: string;
let browser: BrowserContext;
let figma: FigmaWindow;
const designer = { email: `dana-${Date.now()}@example.test`, name: 'Dana Designer', id: '' };

beforeAll(async () => {
  server = await startTestServer({ env: { DEVICE_POLL_INTERVAL: '1s', STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  kit = await createBrandKit(server);
  const user = await server.stockroom.services.users.create({ email: designer.email, name: designer.name, password: DESIGNER_PASSWORD });
  designer.id = user.id;
  await api(server, 'POST', `/api/collections/${kit.collection.id}/grants`, { subjectType: 'user', subjectId: user.id, role: 'viewer' });
  [plugin, fakeBundle, browser] = await Promise.all([buildForServer(server.port), bundleFake(), launchBrowser(), ensureDashboardBuilt()]);
  // Search follows the outbox: wait until the kit's assets are findable.
  for (const deadline = Date.now() + 30_000; ; ) {
    const found = await api<{ total: number }>(server, 'POST', '/api/assets/search', { q: '', filters: { collectionId: kit.collection.id } });
    if (found.total === 6) break;
    if (Date.now() > deadline) throw new Error(`the brand kit's assets were never indexed (${found.total} of 6)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  figma = await openFigma(browser, plugin, fakeBundle);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.destroy();
});

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !figma) return;
  const dir = path.resolve(import.meta.dirname, '..', '..', '.tmp', 'figma-failures');
  mkdirSync(dir, { recursive: true });
  console.error(figma.problems.join('\n'));
  await figma.page.screenshot({ path: path.join(dir, `${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => {});
});

async function shot(name: string): Promise<void> {
  if (SCREENSHOTS) await figma.page.locator('#ui').screenshot({ path: path.join(SCREENSHOTS, `figma-${name}.png`) });
}

const ui = () => figma.ui();
const nodes = async () => (await figma.snapshot()).pages[0]!.nodes;
const tagged = (list: NodeSnapshot[], assetId: string) => list.filter((n) => n.shared['stockroom/asset'] === assetId);
const message = () => ui().getByTestId('message').innerText();
/** Waits generously: downloads, conversions and live events take their time on a loaded machine. */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

describe('Figma brand asset picker', () => {
  it('runs its UI in a sandboxed frame: origin null, localStorage throws, the manifest CSP applies', async () => {
    await ui().getByRole('button', { name: 'Sign in with browser' }).waitFor();
    expect(await ui().evaluate(() => origin)).toBe('null');
    expect(
      await ui().evaluate(() => {
        try {
          return String(localStorage.length);
        } catch (error) {
          return (error as Error).name;
        }
      }),
    ).toBe('SecurityError');
    // The CSP lets the bridge through and nothing else.
    const blocked = await ui().evaluate(() =>
      fetch('https://example.com/').then(
        () => 'reached',
        () => 'blocked',
      ),
    );
    expect(blocked).toBe('blocked');
    expect(plugin.manifest).toMatchObject({ api: '1.0.0', editorType: ['figma'], documentAccess: 'dynamic-page' });
    expect(plugin.manifest.networkAccess.devAllowedDomains).toEqual([`http://localhost:${server.port}`, `ws://localhost:${server.port}`]);
    await shot('sign-in');
  });

  it('signs in with the device flow: opens the approval page, keeps the token in clientStorage only', async () => {
    // Each step is bounded and timed, so a slow or stuck one names itself in the failure.
    const steps: string[] = [];
    const step = async <T>(name: string, run: () => Promise<T>, ms = 20_000): Promise<T> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          run(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`step "${name}" did not finish within ${ms / 1000} s (steps so far: ${steps.join(', ')})`)), ms);
          }),
        ]);
      } finally {
        clearTimeout(timer);
        steps.push(`${name} ${Math.round(performance.now() - started)} ms`);
      }
    };
    try {
      await step('sign in with browser', () => ui().getByRole('button', { name: 'Sign in with browser' }).click());
      const code = await step('device code shown', () => ui().getByTestId('device-code').innerText());
      await step('approval page opened', () => eventually(async () => (await figma.snapshot()).opened.length).toBe(1));
      const url = (await figma.snapshot()).opened[0]!;
      expect(url).toBe(`http://localhost:${server.port}/auth/device?code=${encodeURIComponent(code)}`);
      await shot('device-code');
      const approval = await step('new browser page', () => browser.newPage());
      await step('approval page loaded', () => approval.goto(url));
      await approval.fill('#email', designer.email);
      await approval.fill('#password', DESIGNER_PASSWORD);
      await step('signed in on the approval page', () => Promise.all([approval.waitForURL(/\/auth\/device\?code=/), approval.click('button[type=submit]')]));
      expect(await approval.textContent('#user-code')).toBe(code);
      await step('approved', () => approval.click('#approve'));
      expect(await step('approval confirmed', () => approval.textContent('#result'))).toContain('is now signed in');
      // The browser tab is not what is tested: closing it is not awaited (a close racing the
      // approval's own navigation must not hold the plugin's sign-in up).
      void approval.close().catch(() => {});

      await step('plugin signed in', () => ui().getByRole('searchbox', { name: 'Search the brand kit' }).waitFor({ timeout: 30_000 }), 35_000);
      expect(await ui().getByTestId('who').innerText()).toContain('Dana Designer');
      const state = await figma.snapshot();
      expect(Object.keys(state.storage)).toEqual([TOKEN_STORAGE_KEY]);
      expect(String(state.storage[TOKEN_STORAGE_KEY])).toMatch(/^sr_/);
      expect((await figma.calls('clientStorage.setAsync')).map((c) => c.args[0])).toEqual([TOKEN_STORAGE_KEY]);
    } finally {
      console.error(`device sign-in steps: ${steps.join(', ')}`);
    }
  }, 120_000);

  it('shows the kit as sections of thumbnails, without withdrawn entries, filters by kind and tag', async () => {
    await ui().getByRole('region', { name: 'Logos' }).waitFor();
    const cards = ui().locator('[data-card]');
    expect(await cards.count()).toBe(4); // logo, partner badge, old seal, harbour — not the withdrawn wordmark
    expect(
      await ui()
        .getByRole('button', { name: /Retired wordmark/ })
        .count(),
    ).toBe(0);
    // Usage notes travel with the entry to the designer.
    expect(await ui().getByRole('button', { name: 'Insert Acme logo (colour)' }).innerText()).toContain('Keep clear space of one dot around the logo.');
    await ui().getByRole('button', { name: 'image', exact: true }).click();
    await eventually(() => cards.count()).toBe(1);
    await ui().getByRole('button', { name: 'image', exact: true }).click();
    await ui().getByRole('combobox', { name: 'Tag' }).selectOption('logo');
    await eventually(() => cards.count()).toBe(1);
    await ui().getByRole('combobox', { name: 'Tag' }).selectOption('');
    await eventually(() => cards.count()).toBe(4);
    await shot('browse');
  });

  it('searches as you type and forgives a typo; arrows and Enter insert from the keyboard', async () => {
    const search = ui().getByRole('searchbox', { name: 'Search the brand kit' });
    await search.fill('harbor');
    await eventually(() => ui().locator('[data-card]').count()).toBe(1);
    expect(await ui().locator('[data-card]').first().getAttribute('aria-label')).toBe('Insert Harbour at dawn (original)');
    await shot('search');
    await search.fill('acme logo');
    await eventually(async () => ui().locator('[data-card]').first().getAttribute('aria-label')).toBe('Insert Acme logo (colour)');
    // ArrowDown from the search box focuses the first card; Enter inserts it.
    await search.press('ArrowDown');
    expect(await ui().evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Insert Acme logo (colour)');
    await ui().locator(':focus').press('Enter');
    await eventually(async () => tagged(await nodes(), kit.logo.id).length).toBe(1);
    await search.fill('');
  });

  it('inserted the SVG logo as editable vectors tagged with asset, version, variant', async () => {
    const [logo] = tagged(await nodes(), kit.logo.id);
    expect(logo!.type).toBe('FRAME');
    expect(logo!.children.map((c) => c.type)).toEqual(['VECTOR', 'VECTOR']);
    expect(logo!.shared).toMatchObject({
      'stockroom/asset': kit.logo.id,
      'stockroom/version': '1',
      'stockroom/variant': 'colour',
      'stockroom/kit': kit.collection.id,
    });
    expect(logo!.relaunch).toEqual({ open: '' });
    const svgs = await figma.calls('createNodeFromSvg');
    expect(String(svgs[0]!.args[0])).toContain('<linearGradient id="brand"');
    // A document id on the root, so placements survive renames.
    expect((await figma.snapshot()).root['stockroom/documentId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await message()).toContain('Placed “Acme logo” as editable vectors.');
  });

  it('fills the selected layer with a photo downscaled to 4096 px, and drops a photo onto the canvas as a new rectangle', async () => {
    const target = await figma.page.evaluate(() => {
      const rect = window.fake.api.createRectangle();
      rect.name = 'Hero frame';
      window.fake.select([rect.id]);
      return rect.id;
    });
    await ui().getByRole('button', { name: 'Insert Harbour at dawn (original)' }).click();
    await eventually(async () => (await nodes()).find((n) => n.id === target)?.shared['stockroom/asset']).toBe(kit.photo.id);
    const hero = (await nodes()).find((n) => n.id === target)!;
    expect(hero.fills).toEqual([expect.objectContaining({ type: 'IMAGE', scaleMode: 'FILL' })]);
    const hash = (hero.fills[0] as { imageHash: string }).imageHash;
    const image = await figma.page.evaluate((h) => window.fake.images.get(h), hash);
    expect(image).toMatchObject({ format: 'jpeg', width: 4096, height: 2458 });
    expect(await message()).toContain('Filled 1 selected layer');

    await figma.page.evaluate(() => window.fake.select([]));
    await ui().getByRole('button', { name: 'Insert Harbour at dawn (original)' }).dispatchEvent('dragend', { clientX: 640, clientY: 220 });
    await eventually(async () => tagged(await nodes(), kit.photo.id).length).toBe(2);
    const dropped = tagged(await nodes(), kit.photo.id).find((n) => n.id !== target)!;
    expect(dropped).toMatchObject({ type: 'RECTANGLE', x: 640, y: 220, width: 800, height: 480 });
    expect(dropped.shared['stockroom/version']).toBe('1');
  });

  it('sanitises a hostile SVG (script, handler, external image) and says what it removed', async () => {
    await ui().getByRole('button', { name: 'Insert Partner badge (colour)' }).click();
    await eventually(async () => tagged(await nodes(), kit.hostile.id).length).toBe(1);
    const inserted = String((await figma.calls('createNodeFromSvg')).at(-1)!.args[0]);
    expect(inserted).not.toMatch(/<script|onload|evil\.test/);
    expect(await message()).toMatch(/removed unsafe parts of the SVG: .*a script.*an external reference to https:\/\/tracker\.evil\.test\/pixel\.png/);
  });

  it('refuses an XML bomb with a clear message and inserts nothing', async () => {
    const before = (await figma.calls('createNodeFromSvg')).length;
    await ui().getByRole('button', { name: 'Insert Old seal (colour)' }).click();
    await eventually(message).toContain('XML bomb');
    expect((await figma.calls('createNodeFromSvg')).length).toBe(before);
    expect(tagged(await nodes(), kit.bomb.id)).toEqual([]);
    expect((await figma.snapshot()).notifications.at(-1)).toContain('error: ');
  });

  it('shows "update available" live when a second client checks in a new logo, and updates it in place', async () => {
    await eventually(async () => ui().getByTestId('placed').innerText()).toMatch(/Placed on this page \(4\)/i);
    const before = tagged(await nodes(), kit.logo.id)[0]!;
    // Somebody else checks in version 2 of the logo (a new colour and a third shape).
    const v2 = LOGO_SVG.replace('#29335c', '#00a676').replace('</svg>', '<circle cx="110" cy="30" r="4" fill="#00a676"/></svg>');
    const adminId = (await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { role: 'admin' } })).id;
    const upload = await seedUpload(server.stockroom, adminId, { bytes: Buffer.from(v2), fileName: 'acme-logo.svg', mimeType: 'image/svg+xml' });
    await api(server, 'POST', `/api/assets/${kit.logo.id}/checkin`, { uploadId: upload.uploadId, baseVersion: 1, comment: 'Greener' });

    await ui().getByTestId('update-available').waitFor({ timeout: 20_000 });
    expect(await ui().getByTestId('update-available').innerText()).toContain('Update available for 1 layer');
    await eventually(async () => tagged(await nodes(), kit.logo.id)[0]!.relaunch).toEqual({ update: 'Version 2 is available in Stockroom', open: '' });
    await shot('update-available');

    await ui().getByRole('button', { name: 'Update to latest' }).click();
    await eventually(async () => tagged(await nodes(), kit.logo.id)[0]!.shared['stockroom/version']).toBe('2');
    const after = tagged(await nodes(), kit.logo.id)[0]!;
    expect(after.id).toBe(before.id);
    expect({ x: after.x, y: after.y, width: after.width, height: after.height, constraints: after.constraints }).toEqual({
      x: before.x,
      y: before.y,
      width: before.width,
      height: before.height,
      constraints: before.constraints,
    });
    expect(after.children).toHaveLength(3);
    expect(after.children.map((c) => c.source)).toContain('rect fill=#00a676');
    await eventually(() => ui().getByTestId('update-available').count()).toBe(0);
    expect(after.relaunch).toEqual({ open: '' });
    // The grid follows the new head version too.
    await eventually(() => ui().getByRole('button', { name: 'Insert Acme logo (colour)' }).getAttribute('data-version')).toBe('2');
    await shot('placed');
  });

  it('never makes a sync node lookup (dynamic-page), and sends only cloneable messages', async () => {
    expect(await figma.calls('getNodeById')).toEqual([]);
    expect((await figma.calls('getNodeByIdAsync')).length).toBeGreaterThan(0);
    // The fake refuses what Figma refuses: an ArrayBuffer in a message.
    const refused = await figma.page.evaluate(() => {
      try {
        window.fake.api.ui.postMessage({ bytes: new ArrayBuffer(4) });
        return 'sent';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(refused).toContain('ArrayBuffer');
  });

  it("reports placements per page: the dashboard's where-used lists the Figma file", async () => {
    const placements = await api<{ placements: Array<{ documentName: string; app: string; versionNumber: number; itemId: string }> }>(
      server,
      'GET',
      `/api/placements?assetId=${kit.logo.id}`,
    );
    expect(placements.placements).toEqual([expect.objectContaining({ documentName: 'Campaign 2027 › Cover', app: 'figma', versionNumber: 2 })]);
    const dashboard = await browser.newPage();
    await signIn(dashboard, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.bootstrap.email });
    await dashboard.goto(`${server.url}/admin/assets/${kit.logo.id}`);
    const whereUsed = dashboard.getByRole('region', { name: 'Where used' });
    await whereUsed.getByText('Campaign 2027 › Cover').waitFor({ timeout: 20_000 });
    expect(await whereUsed.innerText()).toMatch(/figma/i);
    await dashboard.close();
  });

  it('checks the whole file on request, loading every page (dynamic-page)', async () => {
    expect(await figma.calls('loadAllPagesAsync')).toEqual([]);
    await ui().getByRole('button', { name: 'Check whole file' }).click();
    await eventually(async () => (await figma.calls('loadAllPagesAsync')).length).toBe(1);
    await eventually(async () => ui().getByTestId('placed').innerText()).toMatch(/Placed in this file \(4\)/i);
    // Every page is its own document to the bridge; reporting the whole file keeps the four placements.
    await eventually(async () => (await server.stockroom.database.prisma.placement.findMany({ where: { app: 'figma' } })).length).toBe(4);
    await ui().getByRole('button', { name: 'Only this page' }).click();
  });

  it('"Update to latest" from a relaunch button swaps the image of the selected layer in place', async () => {
    const token = String((await figma.snapshot()).storage[TOKEN_STORAGE_KEY]);
    const photoEntry = kit.kit.sections[1]!.entries[0]!;
    const v2 = await sharp({ create: { width: 3000, height: 2000, channels: 4, background: { r: 250, g: 90, b: 30, alpha: 0.8 } } })
      .png()
      .toBuffer();
    const adminId = (await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { role: 'admin' } })).id;
    const upload = await seedUpload(server.stockroom, adminId, { bytes: v2, fileName: 'harbour.png', mimeType: 'image/png' });
    await api(server, 'POST', `/api/assets/${kit.photo.id}/checkin`, { uploadId: upload.uploadId, baseVersion: 1, comment: 'Sunset grade' });
    const small = [
      ...(await sharp({ create: { width: 40, height: 24, channels: 3, background: '#123456' } })
        .png()
        .toBuffer()),
    ];
    // Another file, opened later: a layer placed from version 1, selected, then the relaunch button.
    const later = await openFigma(browser, plugin, fakeBundle, {
      command: 'update',
      clientStorage: { [TOKEN_STORAGE_KEY]: token },
      prepare: (page) =>
        page.evaluate(
          ({ bytes, tag }) => {
            const api = window.fake.api;
            const rect = api.createRectangle();
            rect.name = 'Poster photo';
            rect.resize(400, 240);
            rect.fills = [{ type: 'IMAGE', imageHash: api.createImage(new Uint8Array(bytes)).hash, scaleMode: 'FIT' }];
            for (const [key, value] of Object.entries(tag)) rect.setSharedPluginData('stockroom', key, value);
            window.fake.select([rect.id]);
          },
          { bytes: small, tag: { asset: kit.photo.id, version: '1', variant: 'original', entry: photoEntry.id, kit: kit.collection.id } },
        ),
    });
    try {
      const before = (await later.snapshot()).pages[0]!.nodes[0]!;
      await eventually(async () => (await later.snapshot()).pages[0]!.nodes[0]!.shared['stockroom/version']).toBe('2');
      const after = (await later.snapshot()).pages[0]!.nodes[0]!;
      expect(after.id).toBe(before.id);
      expect([after.x, after.y, after.width, after.height]).toEqual([before.x, before.y, 400, 240]);
      const [fill] = after.fills as Array<{ imageHash: string; scaleMode: string }>;
      expect(fill!.scaleMode).toBe('FIT');
      expect(fill!.imageHash).not.toBe((before.fills[0] as { imageHash: string }).imageHash);
      expect(await later.page.evaluate((h) => window.fake.images.get(h), fill!.imageHash)).toMatchObject({ format: 'png', width: 3000, height: 2000 });
      await later.ui().getByTestId('message').getByText('Updated 1 layer to the latest version.').waitFor({ timeout: 20_000 });
    } finally {
      await later.page.close();
    }
  });

  it('follows a kit edited elsewhere live: a manager’s new usage note shows without reopening the kit', async () => {
    const current = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    const note = 'Use on light backgrounds only; ask the brand team for the reversed logo.';
    const sections = kitInput(current).map((section, s) => ({
      ...section,
      entries: section.entries.map((entry, e) => (current.sections[s]!.entries[e]!.assetId === kit.logo.id ? { ...entry, usageNotes: note } : entry)),
    }));
    await api(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: current.updatedAt, sections });
    await eventually(() => ui().getByRole('button', { name: 'Insert Acme logo (colour)' }).innerText()).toContain(note);
    expect(await ui().locator('[data-card]').count()).toBe(4);
  });

  it('signs out: the token leaves clientStorage', async () => {
    await ui().getByRole('button', { name: 'Sign out' }).click();
    await ui().getByRole('button', { name: 'Sign in with browser' }).waitFor();
    expect((await figma.snapshot()).storage).toEqual({});
    // Nothing Stockroom wrote into the file holds a token.
    const everything = JSON.stringify((await figma.snapshot()).pages);
    expect(everything).not.toMatch(/sr_[A-Za-z0-9_-]{10,}/);
  });
});
