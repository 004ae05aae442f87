import { request as httpRequest } from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { frameAtSeconds } from '@stockroom/shared-types';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { ensureDashboardBuilt, launchBrowser, recordProblems } from '../dashboard/browser.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { ensureReviewMedia, uploadFile, waitForDerivatives, type ReviewMedia } from './media.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots') : makeTempDir('share-screenshots');

let server: TestServer;
let media: ReviewMedia;
let admin: Actor;
let editor: TestUser;
let viewer: TestUser;
let editorSocket: RawSocket;
let viewerSocket: RawSocket;
let C: string;
let D: string;
let video: string; // in C
let film: string; // in D: the browser test's own clip, without the other tests' comments
let board: string; // in C
let secret: string; // in D: no link to it exists
let browser: BrowserContext;
const s = () => server.stockroom.services;

async function share(params: Record<string, unknown>) {
  return editorSocket.call('shares.create', params) as Promise<{ link: any; url: string; secret: string }>;
}
const json = async (res: Response): Promise<any> => res.json();
const get = (p: string, init?: RequestInit) => fetch(new URL(p, server.url), { redirect: 'manual', ...init });
const postComment = (linkPath: string, index: number, body: unknown, headers: Record<string, string> = {}) =>
  get(`${linkPath}/items/${index}/comments`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A request with the path sent exactly as written (fetch would resolve dot segments first). */
function rawGet(rawPath: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const built = ensureDashboardBuilt();
  [server, media] = await Promise.all([startTestServer(), ensureReviewMedia()]);
  const row = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  admin = { user: { id: row.id, name: row.name, email: row.email, role: 'admin' }, clientApp: 'script' };
  C = (await s().collections.create(admin, { name: 'Client review' })).id;
  D = (await s().collections.create(admin, { name: 'Internal' })).id;
  editor = await server.createUser({ name: 'Edda Editor' });
  viewer = await server.createUser({ name: 'Vic Viewer' });
  await s().grants.set(admin, { collectionId: C, subjectType: 'user', subjectId: editor.id, role: 'editor' });
  await s().grants.set(admin, { collectionId: C, subjectType: 'user', subjectId: viewer.id, role: 'viewer' });
  editorSocket = await RawSocket.signedIn(server.wsUrl, editor.token, 'dashboard');
  viewerSocket = await RawSocket.signedIn(server.wsUrl, viewer.token);
  await viewerSocket.call('events.subscribe', {});
  const create = async (file: string, mime: string, collectionId: string, name: string) =>
    (await s().assets.create(admin, { uploadId: (await uploadFile(server.stockroom, admin, file, mime)).uploadId, collectionId, name })).id;
  video = await create(media.clips['29.97'], 'video/mp4', C, 'Spot 29.97');
  board = await create(media.image, 'image/png', C, 'Key visual');
  film = await create(media.clips['30'], 'video/mp4', D, 'Teaser 30');
  secret = await create(media.image2, 'image/png', D, 'Unreleased');
  await Promise.all([
    waitForDerivatives(server.stockroom, video, ['proxy', 'poster']),
    waitForDerivatives(server.stockroom, board, ['preview']),
    waitForDerivatives(server.stockroom, secret, ['preview']),
    waitForDerivatives(server.stockroom, film, ['proxy', 'poster']),
    built,
  ]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  editorSocket?.close();
  viewerSocket?.close();
  await server?.destroy();
});

describe('share links', () => {
  it('show one asset to a guest without exposing ids, tokens or other assets', async () => {
    const created = await share({ target: { kind: 'asset', assetId: video }, expiresInDays: 7, allowComments: true });
    expect(created.url).toBe(`/s/${created.secret}`);
    expect(created.link).toMatchObject({
      name: 'Spot 29.97',
      targetName: 'Spot 29.97',
      hasPassword: false,
      allowDownload: false,
      allowComments: true,
      views: 0,
    });
    const pageRes = await get(created.url);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('referrer-policy')).toBe('no-referrer');
    expect(pageRes.headers.get('content-security-policy')).toContain("script-src 'self'");
    const data = await json(await get(`${created.url}/api`));
    expect(data.items).toHaveLength(1);
    expect(data.items[0]).toMatchObject({
      index: 0,
      name: 'Spot 29.97',
      kind: 'video',
      versionNumber: 1,
      downloadUrl: null,
      proxyUrl: `${created.url}/items/0/proxy`,
    });
    expect(data.items[0].frameRate).toBeCloseTo(30000 / 1001, 9);
    const text = JSON.stringify(data);
    for (const hidden of [video, board, secret, C, editor.id, admin.user.id, admin.user.email, editor.token, server.adminToken])
      expect(text).not.toContain(hidden);

    const proxy = await get(`${created.url}/items/0/proxy`, { headers: { range: 'bytes=0-99' } });
    expect(proxy.status).toBe(206);
    expect(proxy.headers.get('content-type')).toBe('video/mp4');
    expect((await get(`${created.url}/items/0/poster`)).status).toBe(200);
    expect((await get(`${created.url}/items/0/download`)).status).toBe(403);

    // Editors of the collection manage its links, whoever made them; viewers see none.
    const byAdmin = await s().shares.create(admin, { target: { kind: 'asset', assetId: board }, allowDownload: false, allowComments: true });
    const listed = (await editorSocket.call('shares.list', {})).links.map((l: any) => l.id);
    expect(listed).toEqual(expect.arrayContaining([created.link.id, byAdmin.link.id]));
    expect((await viewerSocket.call('shares.list', {})).links).toEqual([]);
    expect((await viewerSocket.request('shares.usage', { id: byAdmin.link.id })).error?.code).toBe('FORBIDDEN');
  });

  it('never reach another asset: guessed indexes, ids, other derivative URLs, path traversal', async () => {
    const { url } = await share({ target: { kind: 'asset', assetId: board } });
    const otherPreview = (await server.stockroom.database.prisma.derivative.findFirstOrThrow({ where: { version: { assetId: secret }, preset: 'preview' } }))
      .blobSha256!;
    const attempts = [
      `${url}/items/1/preview`,
      `${url}/items/99/preview`,
      `${url}/items/-1/preview`,
      `${url}/items/0/original`,
      `${url}/items/0/filmstrip`,
      `${url}/items/${secret}/preview`,
      `${url}/assets/${secret}`,
      `${url}/items/0/..%2F..%2F..%2Fapi%2Fassets%2F${secret}%2Fversions%2F1%2Fcontent`,
      `${url}/items/0/preview/../../../../api/assets/${secret}/versions/1/derivatives/preview/content`,
      `${url}/../../api/assets/${secret}/versions/1/derivatives/preview/content`,
      `/api/assets/${secret}/versions/1/derivatives/preview/content`,
      `/api/assets/${secret}/versions/1/content`,
      `/api/assets/${board}/versions/1/content`,
      `/s/${'sh_' + 'A'.repeat(32)}/items/0/preview`,
      `/s/..%2Fapi/items/0/preview`,
    ];
    for (const attempt of attempts) {
      const res = await rawGet(attempt);
      expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      expect(res.body.toString('latin1'), attempt).not.toContain(otherPreview);
      expect(res.body.length, attempt).toBeLessThan(2000);
    }
    // The link's own preview is served: the refusals above are not a broken route.
    expect((await rawGet(`${url}/items/0/preview`)).status).toBe(200);

    const { url: collectionUrl } = await share({ target: { kind: 'collection', collectionId: C }, allowDownload: true });
    const shown = await json(await get(`${collectionUrl}/api`));
    expect(shown.items.map((i: any) => i.name)).toEqual(['Key visual', 'Spot 29.97']);
    expect((await rawGet(`${collectionUrl}/items/2/preview`)).status).toBe(404);
    const download = await get(`${collectionUrl}/items/0/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('board-v1.png');
    // Somebody who may not share an asset cannot make a link to it.
    expect((await viewerSocket.request('shares.create', { target: { kind: 'asset', assetId: board } })).error?.code).toBe('FORBIDDEN');
    // An asset the editor may not read at all looks missing.
    expect((await editorSocket.request('shares.create', { target: { kind: 'asset', assetId: secret } })).error?.code).toBe('NOT_FOUND');
  });

  it('refuse expired, revoked and wrong-password links with a clear page, and open with the right password', async () => {
    const expired = await share({ target: { kind: 'asset', assetId: board }, expiresInDays: 1 });
    await server.stockroom.database.prisma.shareLink.update({ where: { id: expired.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expiredPage = await get(expired.url);
    expect(expiredPage.status).toBe(410);
    expect(await expiredPage.text()).toContain('This link has expired');
    expect((await get(`${expired.url}/items/0/preview`)).status).toBe(403);

    const revoked = await share({ target: { kind: 'asset', assetId: board } });
    expect((await editorSocket.call('shares.revoke', { id: revoked.link.id })).revokedAt).not.toBeNull();
    const revokedPage = await get(revoked.url);
    expect(revokedPage.status).toBe(410);
    expect(await revokedPage.text()).toContain('This link was turned off');
    const revokedApi = await json(await get(`${revoked.url}/api`));
    expect(revokedApi.error).toMatchObject({ code: 'FORBIDDEN', data: { reason: 'revoked' } });

    const unknown = await get(`/s/sh_${'x'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This link does not work');

    const locked = await share({ target: { kind: 'asset', assetId: board }, password: 'open sesame' });
    expect(locked.link.hasPassword).toBe(true);
    const stored = await server.stockroom.database.prisma.shareLink.findUniqueOrThrow({ where: { id: locked.link.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const ask = await get(locked.url);
    expect(ask.status).toBe(401);
    expect(await ask.text()).toContain('This link needs a password');
    expect((await get(`${locked.url}/items/0/preview`)).status).toBe(403);
    const form = (password: string) =>
      get(`${locked.url}/unlock`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password }),
      });
    const wrong = await form('open barley');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong password');
    const right = await form('open sesame');
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toContain(`Path=/s/${locked.secret}`);
    const withCookie = await get(locked.url, { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    expect((await get(`${locked.url}/items/0/preview`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
    // The cookie of one link opens no other.
    const other = await share({ target: { kind: 'asset', assetId: video }, password: 'another one' });
    expect(
      (await get(other.url, { headers: { cookie: cookie.split(';')[0]!.replace(/sr_share_[^=]+/, `sr_share_${other.link.id.slice(0, 8)}`) } })).status,
    ).toBe(401);

    const usage = await editorSocket.call('shares.usage', { id: locked.link.id });
    expect(usage.accesses.map((a: any) => [a.kind, a.detail])).toContainEqual(['refused', 'wrong-password']);
    const expiredUsage = await editorSocket.call('shares.usage', { id: expired.link.id });
    expect(expiredUsage.accesses.filter((a: any) => a.kind === 'refused').map((a: any) => a.detail)).toContain('expired');
    const audit = await server.stockroom.database.prisma.auditEvent.findMany({ where: { action: { in: ['share.create', 'share.revoke'] } } });
    expect(audit.some((a) => a.action === 'share.revoke' && a.targetId === revoked.link.id)).toBe(true);
    expect(JSON.stringify(audit.map((a) => a.data))).not.toContain(locked.secret);
  });

  it('take guest comments as text, live to readers, and rate-limit them', async () => {
    const { url, link } = await share({ target: { kind: 'asset', assetId: video }, allowComments: true });
    const hostileName = '<img src=x onerror="alert(1)">';
    const hostileBody = '</p><script>alert("x")</script> **fix** the grade';
    const res = await postComment(url, 0, { name: hostileName, body: hostileBody, timeRange: { startFrame: 45 } });
    expect(res.status).toBe(201);
    const { comment } = await json(res);
    expect(comment).toMatchObject({ authorName: hostileName, guest: true, body: hostileBody, timeRange: { startFrame: 45 } });
    const live = await viewerSocket.event('comment.created', (d) => d.comment.id === comment.id);
    expect(live.data.comment.author).toEqual({ kind: 'guest', name: hostileName });
    expect((await viewerSocket.call('comments.list', { assetId: video })).comments.map((c: any) => c.id)).toContain(comment.id);

    const bad = await postComment(url, 0, { name: '', body: 'x' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('VALIDATION_FAILED');
    const other = await share({ target: { kind: 'asset', assetId: video } });
    expect((await postComment(other.url, 3, { name: 'Zed', body: 'x' })).status).toBe(404);
    const closed = await share({ target: { kind: 'asset', assetId: video }, allowComments: false });
    expect((await postComment(closed.url, 0, { name: 'Zed', body: 'x' })).status).toBe(403);

    const statuses: number[] = [];
    // Ten per link and address in ten minutes: the hostile one above and nine more.
    for (let i = 0; i < 9; i++) statuses.push((await postComment(url, 0, { name: 'Flood', body: `comment ${i}` })).status);
    expect(statuses).toEqual(Array(9).fill(201));
    const limited = await postComment(url, 0, { name: 'Flood', body: 'one more' });
    expect(limited.status).toBe(429);
    expect((await json(limited)).error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const usage = await editorSocket.call('shares.usage', { id: link.id });
    expect(usage.accesses.filter((a: any) => a.kind === 'comment')).toHaveLength(10);
  });

  it('works in Chromium: plays, seeks to a comment’s frame, renders hostile text as text, takes a guest comment, no console errors', async () => {
    const { url, link } = (await s().shares.create(admin, {
      target: { kind: 'asset', assetId: film },
      allowComments: true,
      allowDownload: true,
      name: 'Teaser for the client',
    })) as any;
    await s().comments.create(admin, { assetId: film, version: 1, body: 'Flash frame here', timeRange: { startFrame: 52, endFrame: 60 } });
    await s().comments.create(admin, { assetId: film, version: 1, body: 'Logo is a touch too far left', timeRange: { startSeconds: 0.5, endSeconds: 1.2 } });
    await postComment(url, 0, { name: '<b onmouseover=alert(1)>Mallory</b>', body: '<img src=x onerror=alert(2)>' });
    const page = await browser.newPage();
    const problems = recordProblems(page);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(new URL(url, server.url).href);
    await page.getByRole('heading', { level: 1, name: 'Teaser for the client' }).waitFor();
    const player = page.getByTestId('share-player');
    await page.waitForFunction(() => ((globalThis as any).document.querySelector('video')?.readyState ?? 0) >= 2);
    await player.evaluate((el: any) => el.play());
    await page.waitForFunction(() => (globalThis as any).document.querySelector('video').currentTime > 0.2);
    await page
      .getByRole('button', { name: /Go to frame 52/ })
      .first()
      .click();
    await page.waitForFunction(() =>
      (() => {
        const v = (globalThis as any).document.querySelector('video');
        return v.paused && !v.seeking;
      })(),
    );
    const currentTime: number = await player.evaluate((el: any) => el.currentTime);
    expect(frameAtSeconds(currentTime, 30)).toBe(52);
    // Hostile text is shown as text and creates no element.
    await page.getByText('<b onmouseover=alert(1)>Mallory</b>').first().waitFor();
    await page.getByText('<img src=x onerror=alert(2)>').first().waitFor();
    expect(await page.locator('img[src="x"], b[onmouseover]').count()).toBe(0);
    // A guest comment at the paused frame.
    await page.getByLabel('Your name').fill('Client Carla');
    const note = `Love it, but brighten this shot (${Date.now()})`;
    await page.getByLabel('Comment', { exact: true }).fill(note);
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.getByRole('status').getByText('Thank you, your comment was sent.').waitFor();
    await page.getByText(note).waitFor();
    const saved = await server.stockroom.database.prisma.reviewComment.findFirstOrThrow({ where: { guestName: 'Client Carla', body: note } });
    expect(saved.startFrame).toBe(52);
    // A guest's reply joins the thread.
    await page.getByRole('button', { name: 'Reply to Administrator' }).first().click();
    await page.getByLabel('Comment', { exact: true }).fill('Agreed with the flash frame');
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.locator('.comment.reply', { hasText: 'Agreed with the flash frame' }).waitFor();
    const reply = await server.stockroom.database.prisma.reviewComment.findFirstOrThrow({ where: { body: 'Agreed with the flash frame' } });
    const flash = await server.stockroom.database.prisma.reviewComment.findFirstOrThrow({
      where: { assetId: film, body: 'Flash frame here' },
      orderBy: { createdAt: 'asc' },
    });
    expect(reply).toMatchObject({ parentId: flash.id, guestName: 'Client Carla', startFrame: null });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'share-page.png'), fullPage: true });
    // A refused link in the browser: a clear page, no errors either.
    await s().shares.revoke(admin, link.id);
    await page.goto(new URL(url, server.url).href);
    await page.getByRole('heading', { name: 'This link was turned off' }).waitFor();
    expect(dialogs).toBe(0);
    // The refused page answers 410, which Chromium reports as a failed resource load: that is the page's point.
    expect(problems.filter((p) => !/status of 410/.test(p))).toEqual([]);
    await page.close();

    const listed = (await s().shares.list(admin, { assetId: film, includeRevoked: true })).find((l) => l.id === link.id)!;
    expect(listed.views).toBeGreaterThanOrEqual(1);
    expect(listed.revokedAt).not.toBeNull();
  });
});
