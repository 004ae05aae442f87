/**
 * The Photoshop panel (its browser preview over fake photoshop/uxp modules) lists the
 * review comments of the open asset's version against a real bridge server, and clicking
 * a comment with a region outlines that region on the preview.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import { launchBrowser } from './support/browser.ts';
import { startPreview } from './support/preview.ts';
import { checkInNewVersion, connectClient, createAsset } from './support/second-client.ts';

const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;

let server: TestServer;
let preview: { url: string; close(): Promise<void> };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let designer: TestUser;
let reviewer: BridgeClient;
let poster: Asset;

async function png(colour: { r: number; g: number; b: number }, label: string): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"><rect width="800" height="500" fill="rgb(${colour.r},${colour.g},${colour.b})"/>
    <circle cx="560" cy="170" r="110" fill="#f5c542"/><text x="60" y="420" font-family="sans-serif" font-size="64" fill="#fff">${label}</text></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

beforeAll(async () => {
  server = await startTestServer();
  designer = await server.createUser({ name: 'Dana Designer' });
  const producer = await server.createUser({ name: 'Pat Producer' });
  reviewer = await connectClient(server.url, producer.token);
  poster = await createAsset(reviewer, await png({ r: 30, g: 90, b: 160 }, 'Poster v1'), 'poster.png', 'image/png', 'Festival Poster');
  await reviewer.call('comments.create', { assetId: poster.id, version: 1, body: 'Title needs more contrast' });
  await checkInNewVersion(reviewer, poster.id, await png({ r: 30, g: 120, b: 90 }, 'Poster v2'), 'poster.png', 'image/png');
  const { comment } = await reviewer.call('comments.create', {
    assetId: poster.id,
    version: 2,
    body: 'The sun is too big',
    region: { x: 0.55, y: 0.1, width: 0.3, height: 0.45 },
  });
  await reviewer.call('comments.create', { assetId: poster.id, version: 2, body: 'Agreed, about two thirds', parentId: comment.id });
  preview = await startPreview(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  reviewer?.close();
  await browser?.close();
  await preview?.close();
  await server?.destroy();
});

describe('Photoshop panel: review comments', () => {
  it('lists the comments of the open asset’s version, carried-over ones marked, and shows a region when clicked', async () => {
    await page.goto(`${preview.url}/?screenshot`);
    await page.getByRole('button', { name: 'Use a token instead' }).click();
    await page.getByPlaceholder('Paste the token').fill(designer.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator(`[data-asset-id="${poster.id}"]`).click();
    const comments = page.getByTestId('comments');
    await comments.getByText('The sun is too big').waitFor();
    expect(await comments.getByTestId('comment').allInnerTexts()).toEqual([
      expect.stringContaining('Title needs more contrast'),
      expect.stringContaining('The sun is too big'),
      expect.stringContaining('Agreed, about two thirds'),
    ]);
    expect(await comments.getByTestId('comment').first().getByText('on v1').count()).toBe(1);

    await comments.getByRole('button', { name: 'Show region' }).click();
    const box = comments.getByTestId('comment-region');
    await box.locator('img').waitFor();
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=comment-region] img')?.complete);
    const image = (await box.locator('img').boundingBox())!;
    const outline = (await comments.getByRole('img', { name: 'Region of the selected comment' }).boundingBox())!;
    expect((outline.x - image.x) / image.width).toBeCloseTo(0.55, 1);
    expect((outline.y - image.y) / image.height).toBeCloseTo(0.1, 1);
    expect(outline.width / image.width).toBeCloseTo(0.3, 1);
    expect(outline.height / image.height).toBeCloseTo(0.45, 1);
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'photoshop-comments.png'), fullPage: true });
    }

    // Version 1's own comments, resolved ones too.
    await comments.getByLabel('Comments of version').selectOption('1');
    await expect.poll(() => comments.getByTestId('comment').count()).toBe(1);
    expect(await comments.getByTestId('comment').innerText()).toContain('Title needs more contrast');
  });

  it('shows a colleague’s new comment and resolution live, without Refresh', async () => {
    const comments = page.getByTestId('comments');
    await comments.getByLabel('Comments of version').selectOption('2');
    await comments.getByText('The sun is too big').waitFor();
    const { comment } = await reviewer.call('comments.create', { assetId: poster.id, version: 2, body: 'Logo a bit lower' });
    await comments.getByText('Logo a bit lower').waitFor({ timeout: 10_000 });
    await reviewer.call('comments.delete', { commentId: comment.id });
    await expect.poll(() => comments.getByText('Logo a bit lower').count(), { timeout: 10_000 }).toBe(0);
  });
});
