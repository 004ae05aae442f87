import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { frameAtSeconds } from '@stockroom/shared-types';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from '../dashboard/browser.ts';
import { makeTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ensureReviewMedia, uploadFile, waitForDerivatives, type ReviewMedia } from './media.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('review-screenshots');

let server: TestServer;
let media: ReviewMedia;
let admin: Actor;
let browser: BrowserContext;
let page: Page;
let problems: string[];
let video: string;
let board: string;
const s = () => server.stockroom.services;

async function screenshot(name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  const built = ensureDashboardBuilt();
  [server, media] = await Promise.all([startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } }), ensureReviewMedia()]);
  const row = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  admin = { user: { id: row.id, name: row.name, email: row.email, role: 'admin' }, clientApp: 'script' };
  const C = (await s().collections.create(admin, { name: 'Launch film' })).id;
  const up = async (file: string, mime: string) => (await uploadFile(server.stockroom, admin, file, mime)).uploadId;
  video = (await s().assets.create(admin, { uploadId: await up(media.clips['25'], 'video/mp4'), collectionId: C, name: 'Launch cut' })).id;
  await s().versions.checkin(admin, { id: video, uploadId: await up(media.clips['24'], 'video/mp4'), baseVersion: 1, comment: 'Regraded' });
  board = (await s().assets.create(admin, { uploadId: await up(media.image, 'image/png'), collectionId: C, name: 'Launch key visual' })).id;
  await s().versions.checkin(admin, { id: board, uploadId: await up(media.image2, 'image/png'), baseVersion: 1 });
  await Promise.all([
    waitForDerivatives(server.stockroom, video, ['proxy'], 1),
    waitForDerivatives(server.stockroom, video, ['proxy', 'poster'], 2),
    waitForDerivatives(server.stockroom, board, ['preview'], 1),
    waitForDerivatives(server.stockroom, board, ['preview'], 2),
    built,
  ]);
  await s().comments.create(admin, { assetId: video, version: 2, body: 'Logo pops in a frame late', timeRange: { startFrame: 37, endFrame: 40 } });
  await s().comments.create(admin, { assetId: video, version: 1, body: 'Music starts too early', timeRange: { startSeconds: 0.5 } });
  browser = await launchBrowser();
  page = await browser.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: row.email });
});
afterAll(async () => {
  await browser?.close();
  await server?.destroy();
});

const playerTime = (testId: string): Promise<number> => page.getByTestId(testId).evaluate((el: any) => el.currentTime);

describe('dashboard review view', () => {
  it('plays, seeks to a comment’s frame when it is clicked, and approves', async () => {
    await page.goto(`${server.url}/admin/assets/${video}`);
    await page.getByRole('link', { name: 'Review and comments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review: Launch cut' }).waitFor();
    const player = page.getByTestId('review-player');
    await page.waitForFunction(() => ((globalThis as any).document.querySelector('[data-testid=review-player]')?.readyState ?? 0) >= 2);
    await player.evaluate((el: any) => el.play());
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=review-player]').currentTime > 0.2);
    // The comment made on v1 is carried over and marked.
    await page.getByText('Music starts too early').waitFor();
    await expect.poll(() => page.locator('.comment', { hasText: 'Music starts too early' }).getByText('on v1').count()).toBe(1);
    await page
      .getByRole('button', { name: /Go to frame 37/ })
      .first()
      .click();
    await page.waitForFunction(() =>
      (() => {
        const v = (globalThis as any).document.querySelector('[data-testid=review-player]');
        return v.paused && !v.seeking;
      })(),
    );
    // Version 2 is the 24 fps clip.
    expect(frameAtSeconds(await playerTime('review-player'), 24)).toBe(37);

    // A new comment at the paused frame.
    await page.getByRole('textbox', { name: 'New comment' }).fill('Hold this frame two more');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.comment', { hasText: 'Hold this frame two more' }).waitFor();
    const added = await server.stockroom.database.prisma.reviewComment.findFirstOrThrow({ where: { body: 'Hold this frame two more' } });
    expect(added).toMatchObject({ versionNumber: 2, startFrame: 37 });
    await screenshot('review-video');

    await page.getByLabel('Note (optional)').fill('Good to go');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Approved');
    const review = await s().reviews.get(admin, { assetId: video });
    expect(review).toMatchObject({ versionNumber: 2, status: 'approved', history: [{ status: 'approved', note: 'Good to go', by: { id: admin.user.id } }] });

    // The asset list filters by review status.
    await page.goto(`${server.url}/admin/assets`);
    await page.getByRole('heading', { level: 1, name: 'Assets' }).waitFor();
    // The library filters as soon as the status is chosen (it is kept in the URL).
    await page.getByLabel('Review').selectOption('approved');
    await expect.poll(() => page.url()).toContain('review=approved');
    await expect.poll(() => page.getByRole('link', { name: 'Launch key visual' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Launch cut' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('compares two versions side by side, in sync', async () => {
    await page.goto(`${server.url}/admin/assets/${video}/review`);
    await page.getByRole('heading', { level: 1, name: 'Review: Launch cut' }).waitFor();
    await page.getByLabel('Compare with').selectOption('1');
    const left = page.getByTestId('compare-v2');
    const right = page.getByTestId('compare-v1');
    await left.waitFor();
    await right.waitFor();
    await page.waitForFunction(() =>
      ['compare-v1', 'compare-v2'].every((id) => ((globalThis as any).document.querySelector(`[data-testid=${id}]`)?.readyState ?? 0) >= 2),
    );
    await left.evaluate((el: any) => (el.currentTime = 2));
    await expect.poll(() => playerTime('compare-v1'), { timeout: 10_000 }).toBeCloseTo(2, 1);
    await left.evaluate((el: any) => el.play());
    await expect.poll(() => right.evaluate((el: any) => el.paused)).toBe(false);
    await left.evaluate((el: any) => el.pause());
    await expect.poll(() => right.evaluate((el: any) => el.paused)).toBe(true);
    await expect.poll(async () => Math.abs((await playerTime('compare-v1')) - (await playerTime('compare-v2')))).toBeLessThan(0.1);
    await screenshot('review-compare');
    expect(problems).toEqual([]);
  });

  it('draws a rectangle on an image for a comment, and shows a comment’s region when it is clicked', async () => {
    await page.goto(`${server.url}/admin/assets/${board}/review`);
    await page.getByRole('heading', { level: 1, name: 'Review: Launch key visual' }).waitFor();
    const image = page.getByTestId('review-player');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=review-player] img')?.complete);
    const box = (await image.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.getByRole('textbox', { name: 'New comment' }).fill('Make the sun smaller');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.comment', { hasText: 'Make the sun smaller' }).waitFor();
    const saved = await server.stockroom.database.prisma.reviewComment.findFirstOrThrow({ where: { body: 'Make the sun smaller' } });
    expect(saved.regionX).toBeCloseTo(0.5, 1);
    expect(saved.regionY).toBeCloseTo(0.2, 1);
    expect(saved.regionWidth).toBeCloseTo(0.2, 1);
    expect(saved.regionHeight).toBeCloseTo(0.3, 1);
    await page
      .getByRole('button', { name: /Show the region of the comment/ })
      .first()
      .click();
    const outline = page.getByRole('img', { name: 'Region of the selected comment' });
    const shown = (await outline.boundingBox())!;
    expect((shown.x - box.x) / box.width).toBeCloseTo(0.5, 1);
    expect(shown.width / box.width).toBeCloseTo(0.2, 1);
    await screenshot('review-image');

    // Request changes, then resolve the comment.
    await page.getByRole('button', { name: 'Request changes' }).click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Changes requested');
    await page.locator('.comment', { hasText: 'Make the sun smaller' }).getByRole('button', { name: 'Resolve' }).click();
    await expect
      .poll(async () => (await server.stockroom.database.prisma.reviewComment.findUniqueOrThrow({ where: { id: saved.id } })).resolvedAt)
      .not.toBeNull();
    expect(problems).toEqual([]);
  });

  it('creates a share link from the review view and revokes it on the share links page', async () => {
    await page.goto(`${server.url}/admin/assets/${board}/review`);
    await page.getByRole('button', { name: 'Create link' }).click();
    const link = await page.getByTestId('share-url').textContent();
    expect(link).toMatch(/\/s\/sh_[A-Za-z0-9_-]{32}$/);
    expect((await fetch(link!)).status).toBe(200);
    await fetch(`${link}/api`);
    await page.getByRole('link', { name: 'All share links, their usage and revocation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Share links' }).waitFor();
    const row = page.getByRole('row', { name: /Launch key visual/ });
    await expect.poll(() => row.getByRole('cell').nth(4).textContent()).toBe('1');
    await row.getByRole('button', { name: 'Usage' }).click();
    await page.getByRole('table', { name: 'Usage' }).getByText('view').waitFor();
    await screenshot('share-links');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke link' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Launch key visual/ }).count()).toBe(0);
    expect((await fetch(link!)).status).toBe(410);
    expect(problems).toEqual([]);
  });
});
