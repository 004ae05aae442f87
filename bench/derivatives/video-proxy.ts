// Video proxy wall time against the bare ffmpeg command line with the identical arguments
// (the pipeline's own proxyArguments, built from the same probe) at the same `nice` level:
//  1. one proxy: a 10 s 1080p H.264/AAC clip made into the proxy by the pipeline (the whole
//     job in a worker: the original out of the blob store, transcode, hash, into the blob
//     store, database), alternating with the bare command; the first pipeline run is the
//     fresh import's (its metadata job probes the clip beside it), the others regenerations;
//  2. two proxies queued at once: two different 10 s 1080p clips, both proxies requested in
//     one regenerate, against the two bare commands started side by side; the pipeline's
//     time runs from the request to the last proxy recorded (queue pickup included).
// The worker runs with its default concurrency (one media slot per core). RUNS runs each
// (default 3); the median counts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Stockroom } from '@stockroom/bridge-server';
import { importTree } from '../../bridge-server/src/cli/import-tree.ts';
import { probeTimedMedia } from '../../bridge-server/src/media/ffprobe.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../bridge-server/src/media/limits.ts';
import { DEFAULT_PRESETS, type ProxyPreset } from '../../bridge-server/src/media/presets.ts';
import { proxyArguments, proxySize } from '../../bridge-server/src/media/video-derivatives.ts';
import { LocalFilesService } from '../../bridge-server/src/services/local-files.ts';
import { adminActor } from './actor.ts';
import { cpuSeconds } from './cpu.ts';
import { BENCH_TMP, freshDir, startBenchStockroom, table, untilSettled } from './lib.ts';

const run = promisify(execFile);
const RUNS = Number(process.env.RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const total = (c: { self: number; children: number }) => c.self + c.children;

/** A 10 s 1080p H.264/AAC clip from ffmpeg's test sources, made once. */
async function clip(folder: string, name: string, video: string, toneHz: number): Promise<string> {
  const dir = path.join(BENCH_TMP, folder);
  const file = path.join(dir, name);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = path.join(dir, `partial-${name}`);
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    video,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${toneHz}:duration=10`,
    '-c:v',
    'libx264',
    '-preset',
    'fast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    '-f',
    'mp4',
    partial,
  ]);
  await run('mv', [partial, file]);
  return file;
}

mkdirSync(BENCH_TMP, { recursive: true });
const clips = [
  await clip('clip-v1', 'clip-10s-1080p.mp4', 'testsrc2=size=1920x1080:rate=25:duration=10', 440),
  // Different content (a zoom into the Mandelbrot set, about as costly to encode), so the pair is two transcodes, not one twice.
  await clip('clip-b-v2', 'clip-b-10s-1080p.mp4', 'mandelbrot=size=1920x1080:rate=25,trim=duration=10', 660),
];

const preset = DEFAULT_PRESETS.video.proxy as ProxyPreset;
const bareDir = freshDir('bare-ffmpeg');
/** The bare command for a clip: the pipeline's arguments from the pipeline's own probe and sizing. */
async function bareCommand(input: string, index: number): Promise<string[]> {
  const facts = await probeTimedMedia(input, DEFAULT_MEDIA_LIMITS);
  if (!facts.video) throw new Error(`${input} has no video stream`);
  const size = proxySize(facts.video, preset.shortSide);
  const out = path.join(bareDir, `proxy-${index}.mp4`);
  return [
    '-n',
    String(DEFAULT_MEDIA_LIMITS.niceness),
    'ffmpeg',
    ...proxyArguments(input, out, { ...preset, ...size, hasAudio: facts.audio !== null, timecode: facts.timecode }),
  ];
}
const bareArgs = await Promise.all(clips.map((file, i) => bareCommand(file, i)));

const dataDir = freshDir('proxy-data');
const presetsFile = path.join(dataDir, 'presets.json');
writeFileSync(presetsFile, JSON.stringify({ still: {}, video: { proxy: preset }, audio: {} }));
const env = { DERIVATIVE_PRESETS_FILE: presetsFile };

async function importClip(stockroom: Stockroom, file: string): Promise<void> {
  await importTree(
    {
      actor: await adminActor(stockroom),
      assets: stockroom.services.assets,
      collections: stockroom.services.collections,
      files: new LocalFilesService(stockroom.database.prisma, stockroom.blobStore, path.join(dataDir, 'staging')),
    },
    { root: path.dirname(file), collectionId: null, folders: 'ignore', concurrency: 1 },
  );
}

const tool = await startBenchStockroom(dataDir, 'tool', env);
await importClip(tool, clips[0]!);
await tool.stop();
const worker = await startBenchStockroom(dataDir, 'worker', env);
const db = worker.database.prisma;
console.log(`worker concurrency ${worker.config.media.concurrency} on ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);

async function proxyRows(): Promise<Array<{ startedAt: Date; finishedAt: Date }>> {
  const rows = await db.derivative.findMany({ where: { preset: 'proxy' } });
  for (const row of rows) if (row.status !== 'ready') throw new Error(`proxy failed: ${row.failure}`);
  return rows.map((row) => ({ startedAt: row.startedAt!, finishedAt: row.finishedAt! }));
}

// 1. One proxy.
const bare: number[] = [];
const piped: number[] = [];
// CPU seconds of each side (process + child processes, ffmpeg and PostgreSQL included): on a
// busy machine wall times swing with other work, CPU time much less.
const bareCpu: number[] = [];
const pipedCpu: number[] = [];
const [firstAsset] = await db.asset.findMany({ select: { id: true } });
for (let i = 0; i < RUNS; i += 1) {
  let cpu = total(cpuSeconds());
  if (i > 0) await worker.services.derivatives.regenerate('all', { assetId: firstAsset!.id });
  await untilSettled(worker, performance.now());
  pipedCpu.push(total(cpuSeconds()) - cpu);
  const [row] = await proxyRows();
  piped.push((row!.finishedAt.getTime() - row!.startedAt.getTime()) / 1000);
  cpu = total(cpuSeconds());
  const t0 = performance.now();
  await run('nice', bareArgs[0]!);
  bare.push((performance.now() - t0) / 1000);
  bareCpu.push(total(cpuSeconds()) - cpu);
  console.log(
    `one proxy, run ${i + 1}: pipeline ${piped.at(-1)!.toFixed(2)} s (CPU ${pipedCpu.at(-1)!.toFixed(2)} s), bare ffmpeg ${bare.at(-1)!.toFixed(2)} s (CPU ${bareCpu.at(-1)!.toFixed(2)} s)`,
  );
}

// 2. Two proxies at once. The second clip's first proxy (and its metadata job) is a warm-up, untimed.
await importClip(worker, clips[1]!);
await untilSettled(worker, performance.now());
const barePair: number[] = [];
const pipedPair: number[] = [];
const pipedPairSpan: number[] = [];
const barePairCpu: number[] = [];
const pipedPairCpu: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  let cpu = total(cpuSeconds());
  const requested = Date.now();
  const queued = await worker.services.derivatives.regenerate('all');
  if (queued !== 2) throw new Error(`expected two proxies queued, got ${queued}`);
  await untilSettled(worker, performance.now());
  pipedPairCpu.push(total(cpuSeconds()) - cpu);
  const rows = await proxyRows();
  const lastEnd = Math.max(...rows.map((r) => r.finishedAt.getTime()));
  const firstStart = Math.min(...rows.map((r) => r.startedAt.getTime()));
  pipedPair.push((lastEnd - requested) / 1000);
  pipedPairSpan.push((lastEnd - firstStart) / 1000);
  const starts = rows.map((r) => ((r.startedAt.getTime() - requested) / 1000).toFixed(2)).join(' and ');
  cpu = total(cpuSeconds());
  const t0 = performance.now();
  await Promise.all(bareArgs.map((args) => run('nice', args)));
  barePair.push((performance.now() - t0) / 1000);
  barePairCpu.push(total(cpuSeconds()) - cpu);
  console.log(
    `two proxies, run ${i + 1}: pipeline ${pipedPair.at(-1)!.toFixed(2)} s from the request (jobs started after ${starts} s; first start to last end ${pipedPairSpan.at(-1)!.toFixed(2)} s; CPU ${pipedPairCpu.at(-1)!.toFixed(2)} s), bare pair ${barePair.at(-1)!.toFixed(2)} s (CPU ${barePairCpu.at(-1)!.toFixed(2)} s)`,
  );
}
await worker.stop();

const row = (label: string, walls: number[], cpus: number[], base: { wall: number; cpu: number } | null) => [
  label,
  `${median(walls).toFixed(2)} s`,
  walls.map((s) => s.toFixed(2)).join(', '),
  base ? `${(median(walls) / base.wall).toFixed(2)}×` : '1.00×',
  `${median(cpus).toFixed(2)} s`,
  base ? `${(median(cpus) / base.cpu).toFixed(2)}×` : '1.00×',
];
console.log(
  '\n' +
    table([
      ['Run (10 s 1080p H.264 → proxy)', 'Median wall time', 'Runs', 'vs. bare ffmpeg', 'Median CPU', 'CPU vs. bare'],
      ['---', '---:', '---:', '---:', '---:', '---:'],
      row('one proxy: bare `ffmpeg` command line', bare, bareCpu, null),
      row('one proxy: Stockroom pipeline (whole job in a worker)', piped, pipedCpu, { wall: median(bare), cpu: median(bareCpu) }),
      row('two proxies: the two bare commands side by side', barePair, barePairCpu, null),
      row('two proxies: pipeline, request to last proxy recorded', pipedPair, pipedPairCpu, { wall: median(barePair), cpu: median(barePairCpu) }),
      row('two proxies: pipeline, first job start to last end', pipedPairSpan, pipedPairCpu, { wall: median(barePair), cpu: median(barePairCpu) }),
    ]),
);
