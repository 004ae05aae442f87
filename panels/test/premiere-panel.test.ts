/**
 * The Premiere Pro panel in Chromium (its browser preview: the real PremiereHost over the
 * fake premierepro/uxp/fs modules that record calls and enforce Premiere's rules)
 * against a real bridge server, on the corpus's real videos. Steps run in order and
 * share the server, the people and the browser.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset, Collection } from '@stockroom/shared-types';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus, type Corpus } from '../../bridge-server/test/media/corpus.ts';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import type {} from '../premiere/preview/window.ts';
import { launchBrowser } from './support/browser.ts';
import { recordToasts, screenshotsOnFailure, signInWithToken, toastLog } from './support/panel-page.ts';
import { startPremierePreview } from './support/preview.ts';
import { checkInNewVersion, connectClient, createAsset } from './support/second-client.ts';

const MEDIA = '/Users/editor/Stockroom Media';
/** The project file checked in: 48 MB, in 24 requests, so the restart lands mid-upload. */
const PROJECT_BYTES = Number(process.env.STOCKROOM_PROJECT_MB ?? 48) * 1024 * 1024;
const CHUNK_BYTES = Math.max(1024 * 1024, Math.ceil(PROJECT_BYTES / 24 / 1024) * 1024);
const SCREENSHOTS = process.env.STOCKROOM_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;

interface RecordedCall {
  api: string;
  args: unknown[];
  result?: unknown;
  modal: boolean;
}

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
let project: Asset;

async function shot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `premiere-${name}.png`) });
}

async function calls(api: string): Promise<RecordedCall[]> {
  return page.evaluate((name) => window.stockroomPremiere.log.named(name) as unknown as RecordedCall[], api);
}

/** The bins of the open project, with the media path of each clip. */
async function bins(): Promise<Array<{ name: string; clips: string[] }>> {
  return page.evaluate(() => {
    const root = window.stockroomPremiere.premiere.active!.root;
    return root.items.map((bin) => ({
      name: bin.name,
      clips: ((bin as unknown as { items?: Array<{ mediaPath: string }> }).items ?? []).map((clip) => clip.mediaPath),
    }));
  });
}

async function toastSaid(text: string, timeout = 30_000): Promise<void> {
  await expect.poll(() => toastLog(page), { timeout, interval: 100 }).toContain(text);
}

const panelUrl = () => `${preview.url}/?screenshot&uploadChunkKB=${CHUNK_BYTES / 1024}`;

async function waitForProxy(assetId: string, number: number): Promise<void> {
  await expect
    .poll(async () => (await bobClient.call('derivatives.list', { assetId, number })).derivatives.find((d) => d.preset === 'proxy')?.status, {
      timeout: 120_000,
      interval: 250,
    })
    .toBe('ready');
}

beforeAll(async () => {
  corpus = await ensureCorpus();
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice Editor' });
  bob = await server.createUser({ role: 'admin', name: 'Bob Producer' });
  bobClient = await connectClient(server.url, bob.token);
  films = await bobClient.call('collections.create', { name: 'Brand Films' });
  await bobClient.call('grants.set', { collectionId: films.id, subjectType: 'user', subjectId: alice.id, role: 'editor' });
  preview = await startPremierePreview(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 120_000);

screenshotsOnFailure('premiere-', () => ({ '': page }));

afterAll(async () => {
  bobClient?.close();
  await browser?.close();
  await preview?.close();
  await server?.destroy();
});

describe.sequential('Premiere Pro panel against a real bridge', () => {
  it('signs in and finds a clip from a query with typos', async () => {
    const bytes = new Uint8Array(readFileSync(corpus.h264));
    const { uploadId } = await bobClient.upload(bytes, { fileName: 'launch-film.mp4', mimeType: 'video/mp4' });
    film = await bobClient.call('assets.create', { uploadId, name: 'Launch Film', collectionId: films.id, tags: ['launch'] });
    await createAsset(bobClient, new Uint8Array(readFileSync(corpus.hevc)), 'winter-teaser.mp4', 'video/mp4', 'Winter Teaser');

    await page.goto(panelUrl());
    await recordToasts(page, 'stockroomPremiere');
    await signInWithToken(page, alice.token);
    await page.getByRole('tab', { name: 'Search' }).waitFor();
    expect(await page.getByRole('tab', { name: 'This project' }).count()).toBe(1);

    await page.getByPlaceholder('Search assets').fill('lauch film');
    await expect.poll(() => page.getByTestId('asset-card').count(), { timeout: 5000 }).toBe(1);
    expect(await page.getByTestId('asset-card').getAttribute('data-asset-id')).toBe(film.id);
    await shot('results');
  }, 120_000);

  it('importing the clip twice makes one bin named after its collection and one project item', async () => {
    await page.locator(`[data-asset-id="${film.id}"]`).click();
    await page.getByTestId('asset-view').waitFor();
    await shot('asset-view');
    for (let round = 1; round <= 2; round++) {
      await page.getByRole('button', { name: 'Import original' }).click();
      await toastSaid('Imported Launch Film (version 1) into the Brand Films bin.');
      await page.getByRole('button', { name: 'Import original' }).waitFor();
      await page.evaluate(() => ((window as unknown as { toastLog: string[] }).toastLog.length = 0));
    }
    const original = `${MEDIA}/${film.id}/v1/launch-film.mp4`;
    expect(await bins()).toEqual([{ name: 'Brand Films', clips: [original] }]);
    expect(await calls('Project.importFiles')).toHaveLength(1);
    expect((await calls('FolderItem.createBinAction')).map((c) => c.args)).toEqual([['root', 'Brand Films', false]]);
    // The media folder was asked for once and the download streamed into it, byte for byte.
    expect(await calls('uxp.localFileSystem.getFolder')).toHaveLength(1);
    const size = await page.evaluate((p) => window.stockroomPremiere.files.files.get(`file:${p}`)?.byteLength, original);
    expect(size).toBe(film.head!.size);
    expect((await calls('fs.write')).length).toBeGreaterThan(0);
  });

  it('attaches the Stockroom proxy: attachProxy gets the cached proxy path and the fake host accepts it', async () => {
    await page.getByTestId('document-tab').click();
    await page.getByTestId('placement').waitFor();
    expect(await page.getByTestId('media-folder').innerText()).toContain(MEDIA);
    expect(await page.getByTestId('clip-usage').innerText()).toContain('Original');
    // The worker makes the proxy after the upload; on a busy machine that takes a while.
    await waitForProxy(film.id, 1);
    await page.getByRole('button', { name: 'Attach proxy' }).click();
    await toastSaid('Attached the Stockroom proxy to Launch Film. Toggle proxies in the Program Monitor to use it.');
    const attached = await calls('ClipProjectItem.attachProxy');
    expect(attached).toHaveLength(1);
    expect(attached[0]!.args).toEqual(['launch-film.mp4', `${MEDIA}/${film.id}/v1/launch-film.proxy.mp4`, false]);
    // The fake read both files' frame rate, duration, size and audio channels, and they fit.
    expect(attached[0]!.result).toBe(true);
    await expect.poll(() => page.getByTestId('clip-usage').innerText()).toContain('Proxy attached');
    await shot('project');
  }, 150_000);

  it('shows "update available" within 2 s of another app checking in, and updating relinks the clip', async () => {
    const itemId = await page.getByTestId('placement').getAttribute('data-item-id');
    await checkInNewVersion(bobClient, film.id, new Uint8Array(readFileSync(corpus.portrait)), 'launch-film.mp4', 'video/mp4');
    const checkedInAt = Date.now();
    await page.getByTestId('update-available').waitFor({ timeout: 2000 });
    const latency = Date.now() - checkedInAt;
    expect(latency).toBeLessThan(2000);
    expect(await page.getByTestId('update-available').innerText()).toContain('v2');
    await shot('update-available');

    await page.getByRole('button', { name: 'Update', exact: true }).click();
    await toastSaid('Updated Launch Film to version 2.');
    await page.getByTestId('update-available').waitFor({ state: 'detached' });
    const relinks = await calls('ClipProjectItem.changeMediaFilePath');
    expect(relinks.map((c) => [c.args, c.result])).toEqual([[['launch-film.mp4', `${MEDIA}/${film.id}/v2/launch-film.mp4`, false], true]]);
    expect(await page.getByTestId('placement').getAttribute('data-item-id')).toBe(itemId);
    expect(await bins()).toEqual([{ name: 'Brand Films', clips: [`${MEDIA}/${film.id}/v2/launch-film.mp4`] }]);
    await bobClient.call('assets.releaseCheckout', { id: film.id });
    console.info(`premiere update-available latency: ${latency} ms`);
  });

  it('review comments become clip markers once, ranges with their duration, resolved ones marked; a second sync adds none', async () => {
    /** Comments need the version's frame rate, read by the worker shortly after the check-in. */
    const comment = async (body: string, timeRange: { startSeconds: number; endSeconds?: number | null }) => {
      let last: unknown;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
        try {
          return (await bobClient.call('comments.create', { assetId: film.id, version: 2, body, timeRange })).comment;
        } catch (error) {
          last = error;
        }
      }
      throw last;
    };
    const range = await comment('Logo too small in this shot', { startSeconds: 0.2, endSeconds: 0.8 });
    const point = await comment('Fix the cut here', { startSeconds: 0.5 });
    await bobClient.call('comments.resolve', { commentId: point.id, resolved: true });

    await page.getByTestId('sync-markers').click();
    await toastSaid('Added 2 review markers to Launch Film.');
    const markers = () =>
      page.evaluate(() => {
        const bin = window.stockroomPremiere.premiere.active!.root.items[0] as unknown as {
          items: Array<{ markers: Array<{ name: string; comments: string; start: { seconds: number }; duration: { seconds: number }; colorIndex: number }> }>;
        };
        return bin.items[0]!.markers.map((m) => ({
          name: m.name,
          comments: m.comments,
          start: m.start.seconds,
          duration: m.duration.seconds,
          colour: m.colorIndex,
        }));
      });
    const made = await markers();
    expect(made.map((m) => [m.name, m.start, Math.round(m.duration * 1000) / 1000, m.colour])).toEqual([
      ['Bob Producer: Logo too small in this shot', 0.2, 0.6, 1],
      ['✓ Bob Producer: Fix the cut here', 0.5, 0, 0],
    ]);
    expect(made[0]!.comments).toContain(`[stockroom:${range.id}]`);
    expect(made[1]!.comments).toContain('(resolved)');
    // Adding and colouring were two transactions, each inside lockedAccess.
    expect((await calls('Project.executeTransaction')).map((c) => c.args[0]).slice(-2)).toEqual([
      'Add review markers to launch-film.mp4',
      'Colour review markers of launch-film.mp4',
    ]);
    await shot('markers');

    await page.evaluate(() => ((window as unknown as { toastLog: string[] }).toastLog.length = 0));
    await page.getByTestId('sync-markers').click();
    await toastSaid('The markers of Launch Film are up to date.');
    expect(await markers()).toHaveLength(2);
  });

  it('comments on a sequence’s checked-in export become markers on that sequence', async () => {
    await page.evaluate(() => window.stockroomPremiere.premiere.active!.addSequence('Launch Cut', []));
    const exported = await createAsset(bobClient, new Uint8Array(readFileSync(corpus.h264)), 'Launch Cut.mp4', 'video/mp4', 'Launch Cut export');
    let made = false;
    for (const deadline = Date.now() + 30_000; !made && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      made = await bobClient
        .call('comments.create', { assetId: exported.id, version: 1, body: 'Hold the logo longer', timeRange: { startSeconds: 0.25, endSeconds: 0.75 } })
        .then(
          () => true,
          () => false,
        );
    }
    expect(made).toBe(true);
    await page.getByTestId('sync-sequence-markers').click();
    await toastSaid('Added 1 review marker to the sequence.');
    const markers = await page.evaluate(() =>
      window.stockroomPremiere.premiere.active!.sequences[0]!.markers.map((m) => [m.name, m.start.seconds, m.duration.seconds]),
    );
    expect(markers).toEqual([['Bob Producer: Hold the logo longer', 0.25, 0.5]]);
  });

  it('checks out the clip’s media, checks in the changed file against the version it came from, and the clip follows to the new version', async () => {
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByTestId('asset-view').waitFor();
    await page.getByRole('button', { name: 'Check out & open' }).click();
    await toastSaid('Launch Film is checked out to you and open.');
    expect(await calls('Project.importFiles')).toHaveLength(1); // already in the project: not imported again
    const v2 = `${MEDIA}/${film.id}/v2/launch-film.mp4`;
    // The editor replaced the clip's media (an export, an edit in another app).
    const editedSize = 700_000;
    await page.evaluate(([path, size]) => window.stockroomPremiere.files.files.set(`file:${path}`, window.stockroomPremiere.projectBytes(size)), [
      v2,
      editedSize,
    ] as const);
    await page.getByTestId('document-tab').click();
    await page.getByTestId('clip-checkin').waitFor();
    await page.getByPlaceholder('What changed in this clip?').fill('Graded the opening');
    await page.getByTestId('clip-checkin-button').click();
    await toastSaid('Checked in Launch Film as version 3.');
    const { versions } = await bobClient.call('versions.list', { assetId: film.id });
    expect(versions[0]).toMatchObject({ number: 3, size: editedSize, comment: 'Graded the opening', clientApp: 'premiere' });
    expect((await bobClient.call('assets.get', { id: film.id })).lock).toBeNull();
    const v3 = `${MEDIA}/${film.id}/v3/launch-film.mp4`;
    expect((await calls('ClipProjectItem.changeMediaFilePath')).at(-1)?.args).toEqual(['launch-film.mp4', v3, false]);
    expect(await bins()).toEqual([{ name: 'Brand Films', clips: [v3] }]);
    await page.getByTestId('clip-checkin').waitFor({ state: 'detached' });
  });

  it('"Resolve missing" relinks an offline clip from another computer’s media folder to this one’s', async () => {
    const v3 = `${MEDIA}/${film.id}/v3/launch-film.mp4`;
    const elsewhere = `/Volumes/Studio Mac/Stockroom Media/${film.id}/v3/launch-film.mp4`;
    // A clip of the project as a colleague left it: its file is on their computer.
    await page.evaluate(
      async ([path, other]) => {
        const project = window.stockroomPremiere.premiere.active!;
        await project.importFiles([path], true, project.root, false);
        (project.root.items.at(-1) as unknown as { mediaPath: string }).mediaPath = other;
      },
      [v3, elsewhere] as const,
    );
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByTestId('document-tab').click();
    await page.getByTestId('resolve-missing').waitFor();
    await shot('missing');
    await page.getByTestId('resolve-missing').click();
    await toastSaid('Relinked 1 of 1 missing clip to this computer’s media folder.');
    const relinked = (await calls('ClipProjectItem.changeMediaFilePath')).at(-1)!;
    expect([relinked.args[1], relinked.result]).toEqual([v3, true]);
    await page.getByTestId('resolve-missing').waitFor({ state: 'detached' });
  });

  it('checks out the project file, shows progress while checking it in, and resumes after a server restart mid-upload', async () => {
    const { uploadId } = await bobClient.upload(new Uint8Array(64 * 1024).fill(7), { fileName: 'Spring Spot.prproj', mimeType: 'application/octet-stream' });
    project = await bobClient.call('assets.create', { uploadId, name: 'Spring Spot project', collectionId: films.id });
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByRole('button', { name: '‹ Results' }).click();
    await page.getByPlaceholder('Search assets').fill('spring spot');
    await page.locator(`[data-asset-id="${project.id}"]`).click();
    await page.getByRole('button', { name: 'Check out & open' }).click();
    await toastSaid('Spring Spot project is checked out to you and open.');
    const opened = await calls('Project.open');
    expect(opened.at(-1)?.args[0]).toBe(`${MEDIA}/${project.id}/v1/Spring Spot.prproj`);

    const patches: Array<{ offset: number; at: number }> = [];
    let stopping: Promise<void> | null = null;
    page.on('request', (request) => {
      if (request.method() !== 'PATCH' || !request.url().includes('/api/uploads/')) return;
      const offset = Number(request.headers()['upload-offset']);
      patches.push({ offset, at: Date.now() });
      if (!stopping && offset >= PROJECT_BYTES * 0.25) stopping = server.stop();
    });
    await page.evaluate((size) => {
      const preview = window.stockroomPremiere;
      preview.premiere.active!.edit(preview.projectBytes(size));
    }, PROJECT_BYTES);
    await page.getByTestId('document-tab').click();
    await page.getByTestId('checkin').waitFor();
    await page.getByPlaceholder('What changed?').fill('Recut the opening');
    await page.getByTestId('checkin-button').click();
    await page.getByTestId('upload-progress').waitFor();
    await expect.poll(() => stopping !== null, { timeout: 120_000, interval: 50 }).toBe(true);
    await shot('checking-in');
    await stopping;
    const stoppedAt = Date.now();
    const serverHadBeforeStop = Math.max(...patches.map((p) => p.offset));
    expect(serverHadBeforeStop).toBeLessThan(PROJECT_BYTES * 0.9);
    await server.start();

    await toastSaid('Checked in Spring Spot project as version 2.', 120_000);
    // save() then a copy: the open project keeps its own path (saveAs would have switched it).
    expect(await calls('Project.saveAs')).toHaveLength(0);
    expect((await calls('Project.save')).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.stockroomPremiere.premiere.active!.path)).toBe(`${MEDIA}/${project.id}/v1/Spring Spot.prproj`);
    const afterRestart = patches.filter((p) => p.at > stoppedAt);
    expect(afterRestart.length).toBeGreaterThan(0);
    expect(afterRestart[0]!.offset).toBeGreaterThanOrEqual(serverHadBeforeStop - CHUNK_BYTES);
    expect(afterRestart.every((p) => p.offset > 0)).toBe(true);
    bobClient.close();
    bobClient = await connectClient(server.url, bob.token);
    const { versions } = await bobClient.call('versions.list', { assetId: project.id });
    expect(versions[0]).toMatchObject({ number: 2, size: PROJECT_BYTES, comment: 'Recut the opening', clientApp: 'premiere' });
    expect(versions[0]!.author.name).toBe('Alice Editor');
  }, 240_000);

  it('an open project that someone else checks out says who holds it', async () => {
    const latest = await bobClient.call('assets.get', { id: project.id });
    if (latest.lock) await page.getByRole('button', { name: 'Release' }).click();
    await expect.poll(async () => (await bobClient.call('assets.get', { id: project.id })).lock, { timeout: 10_000 }).toBeNull();
    await bobClient.call('assets.checkout', { id: project.id });
    await page.getByTestId('project-held-by').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('project-held-by').innerText()).toContain('Bob Producer has this project checked out');
    await shot('held-by-someone-else');
    await bobClient.call('assets.releaseCheckout', { id: project.id });
  });

  it("a clip imported as its proxy follows the new version's proxy when updated", async () => {
    const { uploadId } = await bobClient.upload(new Uint8Array(readFileSync(corpus.h264)), { fileName: 'trailer-cut.mp4', mimeType: 'video/mp4' });
    const trailer = await bobClient.call('assets.create', { uploadId, name: 'Trailer Cut', collectionId: films.id });
    await waitForProxy(trailer.id, 1);
    await page.getByRole('tab', { name: 'Search' }).click();
    // The search tab still shows the last asset opened: back to the results first.
    await page.getByRole('button', { name: /Results/ }).click();
    await page.getByPlaceholder('Search assets').fill('trailer cut');
    await page.locator(`[data-asset-id="${trailer.id}"]`).click();
    await page.getByRole('button', { name: 'Import proxy' }).click();
    await toastSaid('Imported Trailer Cut (version 1, proxy) into the Brand Films bin.', 120_000);

    await checkInNewVersion(bobClient, trailer.id, new Uint8Array(readFileSync(corpus.portrait)), 'trailer-cut.mp4', 'video/mp4');
    await bobClient.call('assets.releaseCheckout', { id: trailer.id }).catch(() => {});
    await waitForProxy(trailer.id, 2);
    await page.getByTestId('document-tab').click();
    const row = page.getByTestId('placement').filter({ hasText: 'Trailer Cut' });
    await row.getByTestId('update-available').waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: 'Update', exact: true }).click();
    await toastSaid('Updated Trailer Cut to version 2 (proxy).');
    const relink = (await calls('ClipProjectItem.changeMediaFilePath')).at(-1)!;
    expect([relink.args[1], relink.result]).toEqual([`${MEDIA}/${trailer.id}/v2/trailer-cut.proxy.mp4`, true]);
  }, 300_000);
});
