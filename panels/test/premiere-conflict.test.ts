/**
 * No silent overwrite from the Premiere Pro panel, in Chromium against a real bridge: the
 * panel (its browser preview: the real PremiereHost over the fake premierepro/uxp/fs
 * modules) checks a clip's changed media file in against the version the clip plays. When
 * a colleague's version came first (another app, the bridge client from Node), the
 * conflict dialog says who, when and why, and each of its choices does what it says.
 * Also: collection counts and totals the server estimated read "≈ N".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset, Collection } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus, type Corpus } from '../../bridge-server/test/media/corpus.ts';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../premiere/preview/window.ts';
import { launchBrowser } from './support/browser.ts';
import { recordToasts, screenshotsOnFailure, signInWithToken, toastLog } from './support/panel-page.ts';
import { startPremierePreview } from './support/preview.ts';
import { connectClient } from './support/second-client.ts';

const MEDIA = '/Users/editor/Stockroom Media';

let server: TestServer;
let preview: { url: string; close(): Promise<void> };
let alice: TestUser;
let bob: TestUser;
let bobClient: BridgeClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let corpus: Corpus;
let films: Collection;
let film: Asset;

/**
 * A real MP4 that differs per label, as different edits of one clip would: the corpus clip
 * with a `free` box of label-derived bytes after it (the fake host reads the file's boxes,
 * and relinks only to media of the same kind).
 */
function editedBytes(label: string): Buffer {
  const payload = Buffer.alloc(64 * 1024);
  let block = createHash('sha256').update(label).digest();
  for (let offset = 0; offset < payload.length; offset += block.length) {
    block.copy(payload, offset);
    block = createHash('sha256').update(block).digest();
  }
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write('free', 4, 'latin1');
  return Buffer.concat([readFileSync(corpus.h264), header, payload]);
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const clipPath = (assetId: string, version: number) => `${MEDIA}/${assetId}/v${version}/launch-film.mp4`;

interface RecordedCall {
  api: string;
  args: unknown[];
  result?: unknown;
}

async function calls(api: string): Promise<RecordedCall[]> {
  return page.evaluate((name) => window.stockroomPremiere.log.named(name) as unknown as RecordedCall[], api);
}

/** The media paths of the clips in the open project's bins. */
async function clipPaths(): Promise<string[]> {
  return page.evaluate(() =>
    window.stockroomPremiere.premiere.active!.root.items.flatMap((bin) =>
      ((bin as unknown as { items?: Array<{ mediaPath: string }> }).items ?? []).map((clip) => clip.mediaPath),
    ),
  );
}

/** The editor changes the clip's media file (an export or an edit in another app writes over it). */
async function editClipFile(filePath: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    ([file, b64]) => {
      const binary = atob(b64);
      const content = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) content[i] = binary.charCodeAt(i);
      window.stockroomPremiere.files.files.set(`file:${file}`, content);
    },
    [filePath, bytes.toString('base64')] as const,
  );
}

function toasts(): Promise<string[]> {
  return toastLog(page);
}

async function toastSaid(text: string, timeout = 30_000): Promise<void> {
  await expect.poll(toasts, { timeout, interval: 100 }).toContain(text);
}

async function versions() {
  return (await bobClient.call('versions.list', { assetId: film.id })).versions;
}

/** The colleague checks in new bytes from another app: check out, upload, check in under the lock (released with it). */
async function colleagueChecksIn(bytes: Uint8Array, comment: string): Promise<number> {
  await bobClient.call('assets.checkout', { id: film.id });
  const { uploadId } = await bobClient.upload(bytes, { fileName: 'launch-film.mp4', mimeType: 'video/mp4' });
  return (await bobClient.checkIn({ id: film.id, uploadId, comment, underLock: true })).version.number;
}

/** The clip is not checked out to the editor: its check-in is behind a button, against the version the clip plays. */
async function checkInClipFromPanel(comment: string): Promise<void> {
  await page.getByTestId('clip-checkin-open').click();
  await page.getByPlaceholder('What changed in this clip?').fill(comment);
  await page.getByTestId('clip-checkin-button').click();
}

beforeAll(async () => {
  [server, corpus] = await Promise.all([startTestServer(), ensureCorpus()]);
  alice = await server.createUser({ name: 'Alice Editor' });
  bob = await server.createUser({ role: 'admin', name: 'Bob Producer' });
  bobClient = await connectClient(server.url, bob.token);
  films = await bobClient.call('collections.create', { name: 'Brand Films' });
  await bobClient.call('grants.set', { collectionId: films.id, subjectType: 'user', subjectId: alice.id, role: 'editor' });
  const { uploadId } = await bobClient.upload(new Uint8Array(readFileSync(corpus.h264)), { fileName: 'launch-film.mp4', mimeType: 'video/mp4' });
  film = await bobClient.call('assets.create', { uploadId, name: 'Launch Film', collectionId: films.id });
  preview = await startPremierePreview(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') console.error('toasts so far:', await toasts().catch(() => []));
});
screenshotsOnFailure('premiere-conflict-', () => ({ '': page }));

afterAll(async () => {
  bobClient?.close();
  await browser?.close();
  await preview?.close();
  await server?.destroy();
});

describe.sequential('no silent overwrite from the Premiere Pro panel', () => {
  it('the editor imported v1; a colleague checks in v2; the clip’s check-in on v1 ends in the conflict dialog with who, when and their comment, and no v3', async () => {
    await page.goto(`${preview.url}/?screenshot`);
    await recordToasts(page, 'stockroomPremiere');
    await signInWithToken(page, alice.token);
    await page.locator(`[data-asset-id="${film.id}"]`).click();
    await page.getByRole('button', { name: 'Import original' }).click();
    await toastSaid('Imported Launch Film (version 1) into the Brand Films bin.');
    expect(await clipPaths()).toEqual([clipPath(film.id, 1)]);

    const v2Bytes = new Uint8Array(readFileSync(corpus.portrait));
    expect(await colleagueChecksIn(v2Bytes, 'Colour graded by Bob')).toBe(2);
    await page.getByTestId('document-tab').click();
    await page.getByTestId('update-available').waitFor();
    await editClipFile(clipPath(film.id, 1), editedBytes('Alice from v1'));
    await page.getByTestId('clip-checkin-open').click();
    expect(await page.getByTestId('clip-checkin-basis').innerText()).toContain('only if version 1, the one this clip plays, is still the latest');
    await page.getByPlaceholder('What changed in this clip?').fill('Trimmed the intro');
    await page.getByTestId('clip-checkin-button').click();

    await page.getByTestId('conflict-dialog').waitFor();
    expect(await page.getByTestId('conflict-details').innerText()).toContain('Your clip’s file came from version 1 of Launch Film');
    const newer = page.getByTestId('conflict-version');
    expect(await newer.count()).toBe(1);
    const v2Line = await newer.first().innerText();
    expect(v2Line).toContain('v2');
    expect(v2Line).toContain('Bob Producer');
    expect(v2Line).toContain('“Colour graded by Bob”');
    expect(v2Line).toMatch(/just now|min ago/);
    expect(await page.getByTestId('check-in-anyway').innerText()).toBe('Check in anyway as a new version on top of v2…');
    expect(await page.getByTestId('open-latest').innerText()).toBe('Use the latest version in this project');
    expect(await page.getByTestId('save-copy').isVisible()).toBe(true);

    // Never a success: no such toast (nor an error toast with the bare refusal); v2 is the head, unchanged; the clip still plays the editor's file.
    await page.getByTestId('clip-checkin-button').waitFor({ state: 'detached' });
    expect((await toasts()).filter((t) => /checked in/i.test(t))).toEqual([]);
    const list = await versions();
    expect(list.map((v) => v.number)).toEqual([2, 1]);
    expect(list[0]!.sha256).toBe(sha256(v2Bytes));
    expect(await clipPaths()).toEqual([clipPath(film.id, 1)]);
  }, 180_000);

  it('"Check in anyway" is a second, explicit step; then v3 holds the editor’s file, the audit records base v2 and the override, and the clip plays v3', async () => {
    await page.getByTestId('check-in-anyway').click();
    const confirm = await page.getByTestId('override-details').innerText();
    expect(confirm).toContain('Your clip’s file becomes version 3');
    expect(confirm).toContain('started from version 1');
    expect(confirm).toContain('v2 by Bob Producer');
    expect(await page.getByTestId('confirm-override').innerText()).toBe('Replace and check in as version 3');
    expect((await versions()).map((v) => v.number)).toEqual([2, 1]); // the first step changed nothing

    await page.getByTestId('confirm-override').click();
    await page.getByTestId('conflict-dialog').waitFor({ state: 'detached' });
    await toastSaid('Checked in Launch Film as version 3, replacing v2 (recorded).');
    const list = await versions();
    expect(list.map((v) => v.number)).toEqual([3, 2, 1]);
    expect(list[0]).toMatchObject({
      sha256: sha256(editedBytes('Alice from v1')),
      comment: 'Trimmed the intro',
      clientApp: 'premiere',
      author: { name: 'Alice Editor' },
    });
    const rows = await server.stockroom.database.prisma.auditEvent.findMany({ where: { targetId: film.id, action: 'asset.checkin' }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.actorId, row.data])).toEqual([
      [bob.id, { number: 2, sha256: sha256(new Uint8Array(readFileSync(corpus.portrait))), baseVersion: 1, underLock: true }],
      [alice.id, { number: 3, sha256: sha256(editedBytes('Alice from v1')), baseVersion: 2, underLock: false, override: { startedFrom: 1 } }],
    ]);
    // The file moved to v3's place in the media folder and the clip followed it.
    expect((await calls('ClipProjectItem.changeMediaFilePath')).at(-1)?.args).toEqual(['launch-film.mp4', clipPath(film.id, 3), false]);
    expect(await clipPaths()).toEqual([clipPath(film.id, 3)]);
    await expect.poll(() => page.getByTestId('update-available').count()).toBe(0);
  });

  it('"Use the latest version" relinks the clip to the colleague’s newer version, checks nothing in and leaves the changed file where it was', async () => {
    const v4Bytes = new Uint8Array(readFileSync(corpus.h264));
    expect(await colleagueChecksIn(v4Bytes, 'Music swapped')).toBe(4);
    const changed = editedBytes('Alice from v3');
    await editClipFile(clipPath(film.id, 3), changed);
    await checkInClipFromPanel('Tighter cut');
    await page.getByTestId('conflict-dialog').waitFor();
    expect(await page.getByTestId('conflict-details').innerText()).toContain('came from version 3');
    expect(await page.getByTestId('conflict-version').first().innerText()).toContain('“Music swapped”');
    const before = await toasts();

    await page.getByTestId('open-latest').click();
    await page.getByTestId('conflict-dialog').waitFor({ state: 'detached' });
    await toastSaid('Updated Launch Film to version 4.');
    expect((await calls('ClipProjectItem.changeMediaFilePath')).map((c) => [c.args[1], c.result]).at(-1)).toEqual([clipPath(film.id, 4), true]);
    expect(await clipPaths()).toEqual([clipPath(film.id, 4)]);
    // The new version's bytes were downloaded into the media folder; the editor's changes stay in v3's place, unchecked-in.
    const onDisk = await page.evaluate(
      ([latest, old]) => [
        window.stockroomPremiere.files.files.get(`file:${latest}`)?.byteLength,
        window.stockroomPremiere.files.files.get(`file:${old}`)?.byteLength,
      ],
      [clipPath(film.id, 4), clipPath(film.id, 3)] as const,
    );
    expect(onDisk).toEqual([v4Bytes.byteLength, changed.byteLength]);
    const told = (await toasts()).slice(before.length);
    expect(told.some((t) => t.includes('Your changed file was not checked in') && t.includes(clipPath(film.id, 3)))).toBe(true);
    expect(told.filter((t) => /^Checked in/.test(t))).toEqual([]);
    expect((await versions()).map((v) => v.number)).toEqual([4, 3, 2, 1]);
  });

  it('"Save my copy elsewhere" makes the editor’s file a new asset the clip plays, and leaves the colleague’s version the head', async () => {
    expect(await colleagueChecksIn(new Uint8Array(readFileSync(corpus.portrait)), 'Final mix')).toBe(5);
    const mine = editedBytes('Alice from v4');
    await editClipFile(clipPath(film.id, 4), mine);
    await checkInClipFromPanel('Alternative ending');
    await page.getByTestId('conflict-dialog').waitFor();
    await page.getByTestId('save-copy').click();
    await page.getByTestId('conflict-dialog').waitFor({ state: 'detached' });
    await toastSaid('Saved your copy as a new asset, Launch Film (my copy from v4); the clip plays it now. Launch Film is unchanged.');
    const row = await server.stockroom.database.prisma.asset.findFirst({ where: { name: 'Launch Film (my copy from v4)' } });
    const copy = await bobClient.call('assets.get', { id: row!.id });
    expect(copy).toMatchObject({
      collectionId: films.id,
      head: { number: 1, sha256: sha256(mine), comment: 'Alternative ending', author: { name: 'Alice Editor' } },
    });
    expect(await clipPaths()).toEqual([clipPath(copy.id, 1)]);
    const list = await versions();
    expect(list.map((v) => v.number)).toEqual([5, 4, 3, 2, 1]);
    expect(list[0]!.comment).toBe('Final mix');
  });
});

describe.sequential('counts in the panel', () => {
  it('reads "≈ N" for the collection counts and the total the server estimated, and exact numbers otherwise', async () => {
    // Estimated counts need more than 5,000 matches on the server (bridge-server/test/search/postgres.test.ts):
    // here the flags are set on the real answers as they pass, to show what the panel does with them.
    // Its own browser: a page beside the signed-in one would share its stored sign-in.
    const other = await launchBrowser();
    try {
      const estimated = await other.context.newPage();
      await estimated.routeWebSocket(
        (url) => url.pathname === '/ws',
        (ws) => {
          const bridge = ws.connectToServer();
          ws.onMessage((message) => bridge.send(message));
          bridge.onMessage((message) => {
            const frame = JSON.parse(String(message)) as { result?: { facets?: unknown; facetsAreEstimate?: boolean; totalIsEstimate?: boolean } };
            if (frame.result?.facets !== undefined) Object.assign(frame.result, { facetsAreEstimate: true, totalIsEstimate: true });
            ws.send(JSON.stringify(frame));
          });
        },
      );
      await estimated.goto(preview.url);
      await signInWithToken(estimated, alice.token);
      await expect.poll(() => estimated.locator('.sr-status').first().innerText()).toBe('≈ 2 assets');
      await estimated.getByTestId('collections-tab').click();
      const row = estimated.getByTestId('collection').filter({ hasText: 'Brand Films' });
      await expect.poll(() => row.getByTestId('shelf-count').innerText()).toBe('≈ 2');
    } finally {
      await other.close();
    }

    // The same server's exact answers: no ≈.
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByRole('button', { name: /Results/ }).click();
    await page.getByPlaceholder('Search assets').fill('launch film');
    await expect.poll(() => page.locator('.sr-status').first().innerText()).toBe('2 assets');
    await page.getByTestId('collections-tab').click();
    const row = page.getByTestId('collection').filter({ hasText: 'Brand Films' });
    await expect.poll(() => row.getByTestId('shelf-count').innerText()).toBe('2');
  });
});
