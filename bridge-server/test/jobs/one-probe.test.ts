import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureCorpus, type Corpus } from '../media/corpus.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { addAsset, adminActor, settled } from './helpers.ts';

// ffprobe and ffmpeg are wrapped by scripts first on the PATH that log their arguments, so
// the tests count the real runs of the real tools.
let server: TestServer;
let corpus: Corpus;
let bin: string;
const originalPath = process.env.PATH;
const log = (tool = 'ffprobe') =>
  readFileSync(path.join(bin, `${tool}.log`), 'utf8')
    .split('\n')
    .filter(Boolean);

beforeAll(async () => {
  corpus = await ensureCorpus();
  bin = mkdtempSync(path.join(os.tmpdir(), 'stockroom-ffprobe-'));
  for (const tool of ['ffprobe', 'ffmpeg']) {
    const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(bin, `${tool}.log`), '');
    writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "$*" >> '${path.join(bin, `${tool}.log`)}'\nexec '${real}' "$@"\n`);
    chmodSync(path.join(bin, tool), 0o755);
  }
  process.env.PATH = `${bin}:${originalPath}`;
  server = await startTestServer({ env: { WORKER_CONCURRENCY: '2' } });
}, 120_000);

afterAll(async () => {
  process.env.PATH = originalPath;
  await server?.destroy();
  rmSync(bin, { recursive: true, force: true });
});

it('reads a new video or audio file with ffprobe once, for its metadata and every derivative', async () => {
  const actor = await adminActor(server.stockroom);
  const video = await addAsset(server.stockroom, actor, corpus.h264);
  const audio = await addAsset(server.stockroom, actor, corpus.wav);
  const rows = await settled(server.stockroom, [video.id, audio.id]);
  expect([...rows.get(video.id)!].map((r) => [r.preset, r.status]).sort()).toEqual([
    ['filmstrip', 'ready'],
    ['poster', 'ready'],
    ['proxy', 'ready'],
    ['thumbnail', 'ready'],
  ]);
  expect([...rows.get(audio.id)!].map((r) => [r.preset, r.status]).sort()).toEqual([
    ['peaks', 'ready'],
    ['preview', 'ready'],
    ['waveform', 'ready'],
  ]);
  const db = server.stockroom.database.prisma;
  for (let i = 0; i < 100 && (await db.version.count({ where: { assetId: { in: [video.id, audio.id] }, metadata: { equals: {} } } })) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const versions = await db.version.findMany({ where: { assetId: { in: [video.id, audio.id] } } });
  expect(versions.map((v) => (v.metadata as { family?: string }).family).sort()).toEqual(['audio', 'video']);
  for (const version of versions) {
    const runs = log().filter((line) => line.includes(version.blobSha256));
    expect(runs, `ffprobe runs on ${version.originalName}`).toHaveLength(1);
  }
});

it("makes a new video's thumbnail from its poster: one frame grab for both", async () => {
  const actor = await adminActor(server.stockroom);
  const video = await addAsset(server.stockroom, actor, corpus.hevc);
  const rows = await settled(server.stockroom, [video.id]);
  const byPreset = new Map(rows.get(video.id)!.map((r) => [r.preset, r]));
  expect([byPreset.get('poster')?.status, byPreset.get('thumbnail')?.status]).toEqual(['ready', 'ready']);
  const version = await server.stockroom.database.prisma.version.findFirstOrThrow({ where: { assetId: video.id } });
  // A poster-sized frame grab has no scale filter; the filmstrip's frames do.
  const grabs = log('ffmpeg').filter((line) => line.includes(version.blobSha256) && line.includes('-frames:v 1') && !line.includes('scale='));
  expect(grabs).toHaveLength(1);
});
