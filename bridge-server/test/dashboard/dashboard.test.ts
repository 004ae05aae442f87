import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { makeTempDir, startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, passwordSignInAvailable, recordProblems, signIn } from './browser.ts';
/** Screenshots go to the docs when asked for (they change on every run), else to a temporary folder. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('dashboard-screenshots');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let alice: TestUser;
/** Every method call the server answered, with its params and result, recorded on the server side. */
const calls: Array<{ method: string; params: any; result: any }> = [];

/** The parts of HTMLMediaElement the player test uses (this package's types have no DOM). */
type Media = { readyState: number; duration: number; currentTime: number; addEventListener(type: string, listener: () => void, options?: object): void };

const has = (method: string) => server.stockroom.registry.get(method) !== undefined;
const url = (p: string) => `${server.url}/admin${p}`;

async function newAsset(owner: TestUser, name: string, options: { bytes?: Buffer; mimeType?: string } = {}): Promise<string> {
  const socket = await RawSocket.signedIn(server.wsUrl, owner.token);
  const upload = await seedUpload(server.stockroom, owner.id, { fileName: name, ...options });
  const asset = await socket.call('assets.create', { uploadId: upload.uploadId, name });
  socket.close();
  return asset.id;
}

async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
}

async function open(label: string, heading = label): Promise<void> {
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD, JOB_RETRY_LIMIT: '0' } });
  for (const entry of server.stockroom.registry.list()) {
    const handler = entry.handler as (ctx: unknown, params: unknown) => Promise<unknown>;
    entry.handler = (async (ctx: unknown, params: unknown) => {
      const result = await handler(ctx, params);
      calls.push({ method: entry.name, params, result });
      return result;
    }) as typeof entry.handler;
  }
  alice = await server.createUser({ name: 'Alice Painter' });
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
});

afterAll(async () => {
  await context?.close();
  await server?.destroy();
});

describe('admin dashboard in Chromium against a running bridge', () => {
  it('signs in and shows the overview, updated live when an asset is added', async () => {
    await newAsset(alice, 'hero.png');
    await newAsset(alice, 'logo.png');
    await page.goto(url('/'));
    await page.getByRole('heading', { name: 'Sign in to Stockroom admin' }).waitFor();
    await screenshot('sign-in');
    await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
    const assetsCard = page.getByTestId('stat-assets');
    await expect.poll(() => assetsCard.locator('.stat-value').textContent()).toBe('2');
    await newAsset(alice, 'banner.png');
    await expect.poll(() => assetsCard.locator('.stat-value').textContent(), { timeout: 5000 }).toBe('3');
    await expect.poll(() => page.getByTestId('stat-clients').textContent()).toContain('Dashboard');
    expect(await page.locator('.chart rect.bar').count()).toBe(30);
    await screenshot('overview');
  });

  it('force-unlocks a lock held by another client, which receives the unlock event', async () => {
    const assetId = await newAsset(alice, 'poster-final.psd', { mimeType: 'image/vnd.adobe.photoshop' });
    const photoshop = await RawSocket.signedIn(server.wsUrl, alice.token, 'photoshop');
    await photoshop.call('events.subscribe', { events: ['asset.unlocked'] });
    await photoshop.call('assets.checkout', { id: assetId });

    await open('Locks');
    const row = page.getByRole('row', { name: /poster-final\.psd/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Alice Painter');
    expect(await row.textContent()).toContain('photoshop');
    await screenshot('locks');
    await page.getByRole('button', { name: 'Force unlock poster-final.psd' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill('Alice is on holiday');
    await screenshot('locks-confirm');
    await dialog.getByRole('button', { name: 'Force unlock' }).click();

    const event = await photoshop.event('asset.unlocked', (d) => d.assetId === assetId);
    expect(event.data).toMatchObject({ forced: true, reason: 'Alice is on holiday', previousHolder: { id: alice.id } });
    await page.getByText('No asset is checked out.').waitFor();
    expect(await server.stockroom.database.prisma.lock.count({ where: { assetId } })).toBe(0);
    photoshop.close();
  });

  it('finds an asset, edits its details and restores an old version', async () => {
    const assetId = await newAsset(alice, 'brand-guide.pdf', { mimeType: 'application/pdf', bytes: Buffer.from('version one') });
    const editor = await RawSocket.signedIn(server.wsUrl, alice.token, 'premiere');
    const second = await seedUpload(server.stockroom, alice.id, {
      bytes: Buffer.from('version two'),
      fileName: 'brand-guide.pdf',
      mimeType: 'application/pdf',
    });
    await editor.call('assets.checkin', { id: assetId, uploadId: second.uploadId, baseVersion: 1, comment: 'second draft' });
    editor.close();

    await open('Assets');
    if (has('assets.search')) {
      await page.getByRole('searchbox', { name: 'Search' }).fill('brand guide');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: 'brand-guide.pdf' }).waitFor();
      await screenshot('assets');
      await page.getByRole('link', { name: 'brand-guide.pdf' }).click();
    } else {
      await page.getByText('Asset search is not available on this server yet.').waitFor();
      await screenshot('assets');
      await page.getByLabel('Asset id').fill(assetId);
      await page.getByRole('button', { name: 'Open' }).click();
    }
    await page.getByRole('heading', { level: 1, name: 'brand-guide.pdf' }).waitFor();
    await page.getByRole('row', { name: /second draft/ }).waitFor();

    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('row', { name: /Restored from version 1 in the dashboard/ }).waitFor();
    const head = await server.stockroom.database.prisma.version.findFirstOrThrow({ where: { assetId }, orderBy: { number: 'desc' } });
    expect(head).toMatchObject({ number: 3, restoredFrom: 1, clientApp: 'dashboard' });

    await page.getByLabel('Tags', { exact: true }).fill('brand, print,');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
    const asset = await server.stockroom.database.prisma.asset.findUniqueOrThrow({ where: { id: assetId } });
    expect(asset.tags).toEqual(['brand', 'print']);
    await screenshot('asset');
  });

  it('plays the proxy of a video and seeks in it with Range requests', async () => {
    const video = path.join(makeTempDir('video'), 'clip.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=4:size=320x180:rate=10', '-c:v', 'libvpx', '-b:v', '200k', '-y', video]);
    const assetId = await newAsset(alice, 'clip.webm', { bytes: readFileSync(video), mimeType: 'video/webm' });
    const db = server.stockroom.database.prisma;
    const proxyReady = has('derivatives.list');
    if (proxyReady) {
      await expect
        .poll(async () => (await db.derivative.findFirst({ where: { version: { assetId }, preset: 'proxy' } }))?.status, { timeout: 30_000, interval: 250 })
        .toBe('ready');
    }
    const ranges: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/api/assets/${assetId}/`) && request.headers().range) ranges.push(request.url());
    });
    await page.goto(url(`/assets/${assetId}`));
    await page.getByRole('heading', { level: 1, name: 'clip.webm' }).waitFor();
    if (!(await passwordSignInAvailable(server.url))) {
      // Without the cookie session a media element cannot authenticate; the page says so instead of failing.
      await page.getByText('Previews need a password sign-in').waitFor();
      return;
    }
    const player = page.getByTestId('player');
    await player.waitFor();
    if (proxyReady) expect(await player.getAttribute('aria-label')).toBe('Player: proxy of version 1');
    const src = (await player.getAttribute('src'))!;
    await page.waitForFunction((el) => (el as unknown as Media).readyState >= 1, await player.elementHandle());
    const duration = await player.evaluate((el) => (el as unknown as Media).duration);
    expect(duration).toBeGreaterThan(3.5);
    const seeked = await player.evaluate(
      (el) =>
        new Promise<number>((resolve) => {
          const media = el as unknown as Media;
          media.addEventListener('seeked', () => resolve(media.currentTime), { once: true });
          media.currentTime = 3;
        }),
    );
    expect(seeked).toBeCloseTo(3, 0);
    expect(ranges.some((r) => r.endsWith(src))).toBe(true);
    await screenshot('asset-video');
  });

  it('creates a user and a token, and revokes the token', async () => {
    await open('Users & tokens');
    if (!has('users.list')) {
      await page.getByText('Account management is not available on this server yet.').waitFor();
      await screenshot('users');
      return;
    }
    const device = page.getByRole('link', { name: 'Device sign-in approval page' });
    expect(await device.getAttribute('href')).toBe('/auth/device');
    expect((await page.request.get(`${server.url}/auth/device`)).status()).toBe(200);
    const form = page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('Name').fill('Bob Editor');
    await form.getByLabel('E-mail').fill('bob@example.test');
    await form.getByLabel(/^Password/).fill('copper lantern meadow 77');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { level: 2, name: 'Bob Editor' }).waitFor();
    expect(await server.stockroom.database.prisma.user.count({ where: { email: 'bob@example.test' } })).toBe(1);

    const tokenForm = page.getByRole('form', { name: 'Create an API token' });
    await tokenForm.getByLabel('Token name').fill('nightly import');
    await tokenForm.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token-secret').textContent())!;
    expect((await fetch(`${server.url}/api/admin/settings`, { headers: { authorization: `Bearer ${secret}` } })).status).not.toBe(401);
    await screenshot('users');
    // Revoking asks first: cancelled, the token still works.
    await page.getByRole('button', { name: 'Revoke token nightly import' }).first().click();
    const revokeDialog = page.getByRole('dialog', { name: 'Revoke the token “nightly import”?' });
    await revokeDialog.getByRole('button', { name: 'Cancel' }).click();
    await revokeDialog.waitFor({ state: 'hidden' });
    expect((await fetch(`${server.url}/api/admin/settings`, { headers: { authorization: `Bearer ${secret}` } })).status).not.toBe(401);
    await page.getByRole('button', { name: 'Revoke token nightly import' }).first().click();
    await revokeDialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(async () => (await fetch(`${server.url}/api/admin/settings`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);

    // A token with no scope ticked is refused with a message, never made a full-access token.
    const tokensBefore = await server.stockroom.database.prisma.apiToken.count();
    await tokenForm.getByLabel('Token name').fill('no scopes');
    await tokenForm.getByRole('checkbox', { name: 'read' }).uncheck();
    await tokenForm.getByRole('button', { name: 'Create token' }).click();
    await tokenForm.getByText(/choose at least one scope/).waitFor();
    expect(await server.stockroom.database.prisma.apiToken.count()).toBe(tokensBefore);

    // Disabling asks first too.
    const bob = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'bob@example.test' } });
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    const disableDialog = page.getByRole('dialog', { name: 'Disable Bob Editor?' });
    await disableDialog.getByRole('button', { name: 'Cancel' }).click();
    await disableDialog.waitFor({ state: 'hidden' });
    expect((await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { id: bob.id } })).disabledAt).toBeNull();
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await disableDialog.getByRole('button', { name: 'Disable account' }).click();
    await page.getByRole('button', { name: 'Re-enable' }).waitFor();
    expect((await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { id: bob.id } })).disabledAt).not.toBeNull();

    // Changing one's own password: the new one signs in and this session stays (refusals: test/conformance/http.test.ts).
    if (await passwordSignInAvailable(server.url)) {
      const mine = page.getByRole('form', { name: 'Change your password' });
      const change = async (current: string, next: string) => {
        await mine.getByLabel('Current password').fill(current);
        await mine.getByLabel(/^New password/).fill(next);
        await mine.getByRole('button', { name: 'Change password' }).click();
      };
      await change(ADMIN_PASSWORD, 'quiet harbour amber crane');
      await mine.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
      expect(
        (
          await fetch(`${server.url}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: server.stockroom.config.admin.email, password: 'quiet harbour amber crane' }),
          })
        ).status,
      ).toBe(200);
      await change('quiet harbour amber crane', ADMIN_PASSWORD); // as it was, for the tests after this one
      await mine.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    }
  });

  it('creates a collection and grants a user a role in it', async () => {
    await open('Collections & grants');
    const form = page.getByRole('form', { name: 'Create a collection' });
    await form.getByLabel('Name').fill('Brand 2027');
    await form.getByRole('button', { name: 'Create collection' }).click();
    await page.getByRole('button', { name: 'Brand 2027' }).waitFor();
    const collection = await server.stockroom.database.prisma.collection.findFirstOrThrow({ where: { name: 'Brand 2027' } });
    if (!has('grants.list')) {
      await page.getByText('Collection grants is not available on this server yet.').waitFor();
      await screenshot('collections');
      return;
    }
    const grant = page.getByRole('form', { name: 'Grant a role' });
    await grant.getByRole('combobox', { name: /^User/ }).selectOption({ label: `${alice.name} (${alice.email})` });
    await grant.getByRole('combobox', { name: /^Role/ }).selectOption('editor');
    await grant.getByRole('button', { name: 'Grant role' }).click();
    await page.getByRole('row', { name: /Alice Painter.*editor/ }).waitFor();
    const admin = await RawSocket.signedIn(server.wsUrl, server.adminToken);
    const { grants } = await admin.call('grants.list', { collectionId: collection.id });
    admin.close();
    expect(grants.filter((g: { subjectId: string }) => g.subjectId === alice.id)).toEqual([expect.objectContaining({ subjectType: 'user', role: 'editor' })]);
    await screenshot('collections');
  });

  it('lists failed jobs with their reason, retries one, then all failed', async () => {
    await open('Jobs');
    if (!has('jobs.list')) {
      await page.getByText('The job list is not available on this server yet.').waitFor();
      await screenshot('jobs');
      return;
    }
    // hero.png and friends are 1 KiB of random bytes: their thumbnails failed as unreadable.
    const failed = await server.stockroom.database.prisma.derivative.findFirstOrThrow({
      where: { status: 'failed', version: { asset: { name: 'hero.png' } }, preset: 'thumbnail' },
    });
    const row = page.getByRole('row', { name: /hero\.png.*thumbnail/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(failed.failureReason!);
    await screenshot('jobs');
    await row.getByRole('button', { name: 'Retry thumbnail of hero.png' }).click();
    await expect.poll(() => calls.find((c) => c.method === 'jobs.retry' && c.params.id === failed.id)?.result.job.status).toBe('pending');

    const db = server.stockroom.database.prisma;
    await expect.poll(() => db.derivative.count({ where: { status: { in: ['pending', 'processing'] } } }), { timeout: 30_000 }).toBe(0);
    const stillFailed = await db.derivative.findMany({ where: { status: 'failed' }, select: { id: true } });
    const before = calls.length;
    await page.getByRole('button', { name: 'Retry all failed' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry all failed' }).click();
    await page.getByText(`Queued ${stillFailed.length} failed jobs again.`).waitFor();
    const retried = calls
      .slice(before)
      .filter((c) => c.method === 'jobs.retry')
      .map((c) => c.params.id);
    expect(new Set(retried)).toEqual(new Set(stillFailed.map((r) => r.id)));
  });

  it('filters the audit log and exports it as CSV', async () => {
    await open('Audit log');
    if (!has('audit.query')) {
      await page.getByText('The audit log is not available on this server yet.').waitFor();
      await screenshot('audit');
      return;
    }
    await page.getByLabel('Action').fill('asset.forceUnlock');
    await page.getByRole('button', { name: 'Filter' }).click();
    const actionCells = page.locator('table[aria-busy="false"] tbody tr td:nth-child(3)');
    await expect.poll(async () => [...new Set(await actionCells.allTextContents())]).toEqual(['asset.forceUnlock']);
    const actions = await actionCells.allTextContents();
    await screenshot('audit');
    // The server writes the CSV (GET /api/audit/export.csv, with the page's filters); the dashboard saves it.
    const [download, served] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit/export.csv'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(served.status()).toBe(200);
    expect(new URL(served.url()).searchParams.get('action')).toBe('asset.forceUnlock');
    expect(download.suggestedFilename()).toMatch(/^stockroom-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,at,actorId,actorName,actorEmail,action,targetType,targetId,clientApp,ip,data');
    expect(lines.length - 1).toBe(actions.length);
    expect(lines.slice(1).every((l) => l.includes(',asset.forceUnlock,'))).toBe(true);
  });

  it('shows the settings', async () => {
    await open('Settings');
    await page.getByRole('row', { name: /MAX_UPLOAD_SIZE/ }).waitFor();
    await screenshot('settings');
  });

  it('works from the keyboard: skip link, navigation, focus on the page heading, Escape closes a dialog', async () => {
    await page.goto(url('/'));
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.locator('a:focus').textContent()).toBe('Skip to content');
    const nav = page.getByRole('navigation', { name: 'Dashboard' });
    await nav.getByRole('link', { name: 'Jobs' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    expect(await page.locator('h1:focus').textContent()).toBe('Jobs');
    expect(await nav.getByRole('link', { name: 'Jobs' }).getAttribute('aria-current')).toBe('page');
    const opener = page.getByRole('button', { name: 'Retry all failed' });
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await page.locator('button:focus').textContent()).toBe('Retry all failed');
  });

  it('had no console errors on any page', () => {
    expect(problems).toEqual([]);
  });
});
