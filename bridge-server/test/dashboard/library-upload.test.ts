import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { landscapeJpeg, seedPictures, seriousAccessibilityViolations } from './library-fixture.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('upload-screenshots');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let campaign: { id: string; name: string };
const files = makeTempDir('upload-files');
const item = (name: string) => page.getByTestId('upload-item').and(page.getByLabel(name, { exact: true }));
/** An upload row's state; a failure carries its sentence, so a failing test says why. */
async function statusOf(name: string): Promise<string> {
  const status = await item(name).getAttribute('data-status');
  return status === 'failed' ? `failed: ${await item(name).textContent()} ${problems.join(' | ')}` : (status ?? '');
}
/** The bytes stored for an asset's first version, read back from the blob store. */
async function storedBytes(name: string): Promise<Buffer> {
  const version = await server.stockroom.database.prisma.version.findFirstOrThrow({ where: { asset: { name } } });
  const chunks: Buffer[] = [];
  for await (const chunk of (await server.stockroom.blobStore.createReadStream(version.blobSha256)) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const admin = await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  campaign = await socket.call('collections.create', { name: 'Spring campaign' });
  socket.close();
  await seedPictures(server, admin.id, server.adminToken, [{ name: 'already-here.jpg', collectionId: campaign.id, seed: 7 }]);
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.destroy();
});

describe('uploading from the dashboard', () => {
  it('takes dropped files into the collection being viewed, and asks before sending bytes already in the library', async () => {
    await page.goto(`${server.url}/admin/assets?collection=${campaign.id}`);
    await page.locator('.library-summary').getByText('1 assets in Spring campaign').waitFor();
    const fresh = await landscapeJpeg(21);
    const again = await storedBytes('already-here.jpg');
    // A real drop event with real File objects, on the library itself.
    const transfer = await page.evaluateHandle(
      ([a, b]) => {
        // This package's types have no DOM: the page's own constructors.
        const { DataTransfer, File } = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
        };
        const data = new DataTransfer();
        const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes(a)], 'meadow.jpg', { type: 'image/jpeg' }));
        data.items.add(new File([bytes(b)], 'copy-of-already-here.jpg', { type: 'image/jpeg' }));
        return data;
      },
      [fresh.toString('base64'), again.toString('base64')] as const,
    );
    await page.locator('.library').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByRole('heading', { name: 'Upload into Spring campaign' }).waitFor();
    await expect.poll(() => statusOf('meadow.jpg'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => statusOf('copy-of-already-here.jpg'), { timeout: 20_000 }).toBe('duplicate');
    expect(await item('copy-of-already-here.jpg').textContent()).toContain('Already in the library as already-here.jpg');
    await screenshot('library-upload');
    await item('copy-of-already-here.jpg').getByRole('button', { name: 'Skip' }).click();
    expect(await statusOf('copy-of-already-here.jpg')).toBe('skipped');

    const prisma = server.stockroom.database.prisma;
    const meadow = await prisma.asset.findFirstOrThrow({ where: { name: 'meadow.jpg' }, include: { versions: true } });
    expect(meadow.collectionId).toBe(campaign.id);
    expect(meadow.versions[0]!.blobSha256).toBe(sha(fresh));
    expect(await prisma.asset.count({ where: { name: 'copy-of-already-here.jpg' } })).toBe(0);
    await page.locator('.library-summary').getByText('2 assets in Spring campaign').waitFor({ timeout: 10_000 });
  });

  it('uploads a chosen folder, tagging each file with the folder name', async () => {
    const folder = path.join(files, 'Shoot 2026');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'dune.jpg'), await landscapeJpeg(31));
    writeFileSync(path.join(folder, 'lake.jpg'), await landscapeJpeg(32));
    await page.getByLabel('Choose a folder').setInputFiles(folder);
    await expect.poll(() => statusOf('lake.jpg'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => statusOf('dune.jpg'), { timeout: 20_000 }).toBe('done');
    const rows = await server.stockroom.database.prisma.asset.findMany({ where: { name: { in: ['dune.jpg', 'lake.jpg'] } } });
    expect(rows.map((r) => [r.collectionId, r.tags])).toEqual([
      [campaign.id, ['shoot 2026']],
      [campaign.id, ['shoot 2026']],
    ]);
  });

  it('shows progress, pauses, and resumes where it stopped after the server restarts', async () => {
    const big = randomBytes(12 * 1024 * 1024);
    const bigPath = path.join(files, 'master-take.mov');
    writeFileSync(bigPath, big);
    // A slow line (about 2 MB/s up) so there is time to watch progress and pause.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
    await page.getByLabel('Choose files').setInputFiles(bigPath);
    const take = item('master-take.mov');
    await expect
      .poll(() => take.locator('progress').evaluate((p) => (p as unknown as { value: number }).value), { timeout: 20_000 })
      .toBeGreaterThan(2 * 1024 * 1024);
    expect(Number(await page.getByLabel('Total upload progress').getAttribute('value'))).toBeGreaterThan(0);
    await take.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => statusOf('master-take.mov')).toBe('paused');

    await server.restart();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    await take.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => statusOf('master-take.mov'), { timeout: 60_000 }).toBe('done');
    const resumedFrom = Number(await take.getAttribute('data-resumed-from'));
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThan(big.length);
    expect(await take.textContent()).toContain('resumed after');
    const asset = await server.stockroom.database.prisma.asset.findFirstOrThrow({ where: { name: 'master-take.mov' }, include: { versions: true } });
    expect(asset.versions[0]!.blobSha256).toBe(sha(big));
    expect(Number(asset.versions[0]!.size)).toBe(big.length);
  });

  it('lets the page compile WebAssembly, so uploads hash with the fast SHA-256, while eval stays refused', async () => {
    const wasm = await page.evaluate(() => {
      // This package's types have no DOM: the page's own WebAssembly.
      const { WebAssembly: engine } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } };
      // The smallest valid module: the magic number and version 1.
      return engine.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])).then(
        () => 'compiled',
        (error: Error) => `refused: ${error.message}`,
      );
    });
    expect(wasm).toBe('compiled');
    // The page's own evaluation above bypasses script-src, so the policy is read from the header itself.
    const policy = (await fetch(`${server.url}/admin/`)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toContain("'unsafe-eval'");
  });

  it('has no critical or serious accessibility violations, and no console errors', async () => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The pause aborts a request on purpose and the restart drops the socket: the browser logs those, nothing else.
    expect(problems.filter((p) => !/ERR_ABORTED|ERR_CONNECTION_REFUSED|WebSocket|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/.test(p))).toEqual([]);
  });
});

async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${name}.png`) });
}
