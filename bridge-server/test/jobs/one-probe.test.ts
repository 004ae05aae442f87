import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureCorpus, type Corpus } from '../media/corpus.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { addAsset, adminActor, settled } from './helpers.ts';

// ffprobe is wrapped by a script first on the PATH that logs its arguments, so the test
// counts the real runs of the real tool.
let server: TestServer;
let corpus: Corpus;
let bin: string;
const originalPath = process.env.PATH;
const log = () => readFileSync(path.join(bin, 'calls.log'), 'utf8').split('\n').filter(Boolean);

beforeAll(async () => {
  corpus = await ensureCorpus();
  bin = mkdtempSync(path.join(os.tmpdir(), 'stockroom-ffprobe-'));
  const real = execFileSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).trim();
  writeFileSync(path.join(bin, 'calls.log'), '');
  writeFileSync(path.join(bin, 'ffprobe'), `#!/bin/sh\necho "$*" >> '${path.join(bin, 'calls.log')}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(bin, 'ffprobe'), 0o755);
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
  expect([...rows.get(video.id)!].map((r) => [r.preset, r.status]).sort()).toEqual([['filmstrip', 'ready'], ['poster', 'ready'], ['proxy', 'ready'], ['thumbnail', 'ready']]);
  expect([...rows.get(audio.id)!].map((r) => [r.preset, r.status]).sort()).toEqual([['peaks', 'ready'], ['preview', 'ready'], ['waveform', 'ready']]);
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
