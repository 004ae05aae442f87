import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@stockroom/shared-types';
import { DEFAULT_PRESETS } from '../../src/media/presets.ts';
import type { Actor } from '../../src/services/actor.ts';
import { ensureCorpus, type Corpus } from '../media/corpus.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { addAsset, adminActor, settled, type DerivativeRow } from './helpers.ts';

let server: TestServer;
let corpus: Corpus;
let actor: Actor;
let socket: RawSocket;
let presets: string;

beforeAll(async () => {
  corpus = await ensureCorpus();
  // The default presets, with a shorter filmstrip to keep the test quick.
  presets = path.join(os.tmpdir(), `stockroom-presets-${process.pid}.json`);
  writeFileSync(presets, JSON.stringify({ ...DEFAULT_PRESETS, video: { ...DEFAULT_PRESETS.video, filmstrip: { type: 'filmstrip', frames: 4 } } }));
  server = await startTestServer({ env: { DERIVATIVE_PRESETS_FILE: presets, WORKER_CONCURRENCY: '2', JOB_RETRY_DELAY_SECONDS: '1' } });
  actor = await adminActor(server.stockroom);
  socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  await socket.request('events.subscribe', { events: ['derivative.ready', 'job.failed', 'job.progress', 'asset.updated'] });
});
afterAll(async () => {
  socket?.ws.close();
  await server?.destroy();
  rmSync(presets, { force: true });
});

const auth = () => ({ authorization: `Bearer ${server.adminToken}` });
const fetchPath = (p: string, headers: Record<string, string> = {}) => fetch(server.url + p, { headers: { ...auth(), ...headers } });

describe('the worker pipeline on real media', () => {
  const assets: Record<string, Asset> = {};
  let rows: Map<string, DerivativeRow[]>;
  const byPreset = (key: string) => new Map((rows.get(assets[key]!.id) ?? []).map((r) => [r.preset, r]));

  beforeAll(async () => {
    // Broken files first: the good ones behind them must still come through.
    for (const key of ['truncatedJpeg', 'truncatedMp4', 'randomPsd', 'empty', 'pixelBomb', 'jpegOrientation6', 'psd', 'pdf', 'h264', 'wav'] as const) {
      assets[key] = await addAsset(server.stockroom, actor, corpus[key]);
    }
    rows = await settled(
      server.stockroom,
      Object.values(assets).map((a) => a.id),
    );
  }, 180_000);

  it('gives each new version its derivative rows in the same transaction, one per preset', async () => {
    expect([...byPreset('jpegOrientation6').keys()].sort()).toEqual(['preview', 'thumbnail']);
    expect([...byPreset('h264').keys()].sort()).toEqual(['filmstrip', 'poster', 'proxy', 'thumbnail']);
    expect([...byPreset('wav').keys()].sort()).toEqual(['peaks', 'preview', 'waveform']);
    // One queue job per version makes all its derivatives (one fetch, one claim, one copy of the original).
    const db = server.stockroom.database.prisma;
    for (const key of ['jpegOrientation6', 'h264', 'wav'] as const) {
      const versionId = byPreset(key).get('thumbnail')?.versionId ?? byPreset(key).get('peaks')!.versionId;
      const jobs = await db.$queryRaw<{ data: unknown }[]>`SELECT data FROM pgboss.job WHERE name = 'media-derivative' AND data->>'versionId' = ${versionId}`;
      expect(jobs).toEqual([{ data: { versionId } }]);
    }
    // The preview first, the thumbnail resized from it; the poster, the video's thumbnail
    // resized from it (the same frame) and the filmstrip before the proxy.
    const finished = (key: string, preset: string) => byPreset(key).get(preset)!.finishedAt!.getTime();
    expect(finished('jpegOrientation6', 'preview')).toBeLessThanOrEqual(finished('jpegOrientation6', 'thumbnail'));
    expect(finished('h264', 'poster')).toBeLessThanOrEqual(finished('h264', 'thumbnail'));
    expect(finished('h264', 'thumbnail')).toBeLessThanOrEqual(finished('h264', 'filmstrip'));
    // The video's thumbnail is the poster's frame, smaller, and says which frame it is.
    const [poster, videoThumbnail] = [byPreset('h264').get('poster')!, byPreset('h264').get('thumbnail')!];
    expect([videoThumbnail.width, videoThumbnail.height]).toEqual([256, 144]);
    expect(videoThumbnail.data).toEqual(poster.data);
    expect((poster.data as { seconds: number }).seconds).toBeGreaterThanOrEqual(0);
    expect(finished('h264', 'filmstrip')).toBeLessThanOrEqual(finished('h264', 'proxy'));
    // The database refuses a second row for the same version and preset.
    const [thumb] = [byPreset('jpegOrientation6').get('thumbnail')!];
    await expect(server.stockroom.database.prisma.derivative.create({ data: { versionId: thumb.versionId, preset: 'thumbnail' } })).rejects.toThrow(
      /Unique constraint/i,
    );
  });

  it('makes every derivative of good files, served with the right bytes', async () => {
    for (const key of ['jpegOrientation6', 'psd', 'pdf', 'h264', 'wav']) {
      for (const row of byPreset(key).values())
        expect({ key, preset: row.preset, status: row.status, failure: row.failure }).toMatchObject({ status: 'ready' });
    }
    const thumb = byPreset('jpegOrientation6').get('thumbnail')!;
    expect([thumb.width, thumb.height]).toEqual([171, 256]);
    const response = await fetchPath(`/api/assets/${assets.jpegOrientation6!.id}/versions/1/derivatives/thumbnail/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${thumb.blobSha256}"`);
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([171, 256]);
  });

  it('serves the video proxy with Range and ETag, as a <video> element needs to seek', async () => {
    const proxy = byPreset('h264').get('proxy')!;
    expect([proxy.width, proxy.height, proxy.mimeType]).toEqual([960, 540, 'video/mp4']);
    const url = `/api/assets/${assets.h264!.id}/versions/1/derivatives/proxy/content`;
    const partial = await fetchPath(url, { range: 'bytes=100-199' });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${proxy.size}`);
    expect((await partial.arrayBuffer()).byteLength).toBe(100);
    const again = await fetchPath(url, { 'if-none-match': `"${proxy.blobSha256}"` });
    expect(again.status).toBe(304);
  });

  it('extracts metadata into the version, and keywords become tags', async () => {
    const db = server.stockroom.database.prisma;
    const version = await db.version.findFirstOrThrow({ where: { assetId: assets.jpegOrientation6!.id } });
    expect(version.metadata).toMatchObject({ family: 'image', width: 400, height: 600, image: { camera: { make: 'Canon', model: 'EOS R5' }, orientation: 6 } });
    const asset = await db.asset.findUniqueOrThrow({ where: { id: assets.jpegOrientation6!.id } });
    expect(asset.tags).toEqual(expect.arrayContaining(['beach', 'sunset']));
    const video = await db.version.findFirstOrThrow({ where: { assetId: assets.h264!.id } });
    expect(video.metadata).toMatchObject({ family: 'video', width: 1920, height: 1080, video: { timecode: '01:00:00:00' } });
  });

  it('fails each corrupt file with a clear reason; its original stays downloadable', async () => {
    const expected: Record<string, [string, RegExp]> = {
      truncatedJpeg: ['corrupt-file', /damaged or incomplete/],
      truncatedMp4: ['corrupt-file', /cannot be read as video/],
      randomPsd: ['corrupt-file', /not a Photoshop document/],
      empty: ['empty-file', /empty \(0 bytes\)/],
      pixelBomb: ['too-many-pixels', /more pixels than this server decodes/],
    };
    for (const [key, [reason, message]] of Object.entries(expected)) {
      const presets = [...byPreset(key).values()];
      expect(presets.length).toBeGreaterThan(0);
      for (const row of presets) {
        expect({ key, status: row.status, reason: row.failureReason }).toEqual({ key, status: 'failed', reason });
        expect(row.failure).toMatch(message);
        // A file that can never work is not retried: one attempt.
        expect(row.attempts).toBe(1);
      }
      const original = await fetchPath(`/api/assets/${assets[key]!.id}/versions/1/content`);
      expect(original.status).toBe(200);
      await original.arrayBuffer();
    }
    const failed = await socket.next((f) => f.event === 'job.failed' && f.data.assetId === assets.pixelBomb!.id, 10_000);
    expect(failed.data.job).toMatchObject({ status: 'failed', failureReason: 'too-many-pixels' });
  });

  it('tells subscribers: derivative.ready and job.progress events', async () => {
    const ready = await socket.next((f) => f.event === 'derivative.ready' && f.data.derivative.preset === 'proxy', 10_000);
    expect(ready.data.derivative).toMatchObject({ assetId: assets.h264!.id, status: 'ready', width: 960, height: 540 });
    expect(ready.data.derivative.contentUrl).toBe(`/api/assets/${assets.h264!.id}/versions/1/derivatives/proxy/content`);
    const progress = await socket.next((f) => f.event === 'job.progress' && f.data.preset === 'proxy' && f.data.percent === 100, 10_000);
    expect(progress.data.assetId).toBe(assets.h264!.id);
  });

  it('lists jobs over REST and WebSocket, and retries one', async () => {
    const listed = (await (await fetchPath('/api/jobs?status=failed&limit=100')).json()) as { jobs: { failureReason: string }[] };
    const reasons = new Set(listed.jobs.map((j: { failureReason: string }) => j.failureReason));
    expect(reasons).toEqual(new Set(['corrupt-file', 'empty-file', 'too-many-pixels']));
    const viaWs = await socket.request('jobs.list', { assetId: assets.h264!.id });
    expect(viaWs.result.jobs).toHaveLength(4);

    const target = byPreset('pixelBomb').get('thumbnail')!;
    const retried = await fetch(`${server.url}/api/jobs/${target.id}/retry`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { job: unknown }).job).toMatchObject({ id: target.id, status: 'pending', attempts: 0 });
    await settled(server.stockroom, [assets.pixelBomb!.id], 30_000);
    const after = await server.stockroom.database.prisma.derivative.findUniqueOrThrow({ where: { id: target.id } });
    expect([after.status, after.failureReason, after.attempts]).toEqual(['failed', 'too-many-pixels', 1]);
  });

  /** What a worker's claim of this (made) derivative returns; it is made to look pending for the claim, then ready again. */
  async function claimAgain(derivative: DerivativeRow) {
    const db = server.stockroom.database.prisma;
    await db.derivative.update({ where: { id: derivative.id }, data: { status: 'pending' } });
    try {
      const [work] = await server.stockroom.services.derivatives.claim({ derivativeId: derivative.id });
      return work;
    } finally {
      await db.derivative.update({ where: { id: derivative.id }, data: { status: 'ready', progress: 100, finishedAt: new Date() } });
    }
  }

  it('a video job reuses the probe the metadata job stored with the version', async () => {
    const work = await claimAgain(byPreset('h264').get('proxy')!);
    expect(work?.probed).toMatchObject({ timecode: '01:00:00:00', video: { codec: 'h264', displayWidth: 1920, displayHeight: 1080 } });
  });

  it('a still image job reuses the facts the metadata job stored with the version', async () => {
    const thumbnail = byPreset('jpegOrientation6').get('thumbnail')!;
    const work = await claimAgain(thumbnail);
    const version = await server.stockroom.database.prisma.version.findUniqueOrThrow({ where: { id: thumbnail.versionId } });
    const image = (version.metadata as { image: { width: number; height: number } }).image;
    expect(work?.stillFacts).toEqual({ format: 'jpeg', hasAlpha: false, width: image.width, height: image.height });
    // Shown upright: the portrait size, after the EXIF orientation.
    expect(image.height).toBeGreaterThan(image.width);
  });

  it('derivatives regenerate: only what is missing, or everything', async () => {
    const db = server.stockroom.database.prisma;
    const derivatives = server.stockroom.services.derivatives;
    const preview = byPreset('psd').get('preview')!;
    await db.derivative.delete({ where: { id: preview.id } });
    // Missing: the deleted preview, and the failed derivatives of the broken files.
    const failedCount = await db.derivative.count({ where: { status: 'failed' } });
    expect(await derivatives.regenerate('missing')).toBe(1 + failedCount);
    await settled(server.stockroom, [assets.psd!.id], 30_000);
    const remade = await db.derivative.findUniqueOrThrow({ where: { versionId_preset: { versionId: preview.versionId, preset: 'preview' } } });
    expect(remade).toMatchObject({ status: 'ready', blobSha256: preview.blobSha256, attempts: 1 });
    expect(await derivatives.regenerate('missing', { assetId: assets.psd!.id })).toBe(0);
    expect(await derivatives.regenerate('all', { assetId: assets.psd!.id })).toBe(2);
    await settled(server.stockroom, [assets.psd!.id], 30_000);
    expect(await db.derivative.count({ where: { version: { assetId: assets.psd!.id }, status: 'ready' } })).toBe(2);
  });

  it('refuses job administration to members', async () => {
    const member = await server.createUser();
    const response = await fetch(`${server.url}/api/jobs`, { headers: { authorization: `Bearer ${member.token}` } });
    expect(response.status).toBe(403);
  });
});
