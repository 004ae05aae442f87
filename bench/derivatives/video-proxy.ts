// Video proxy wall time: a 10 s 1080p H.264/AAC clip made into the 720p proxy by the
// pipeline (the whole job in a worker: original out of the blob store, probe, transcode,
// read-back, hash, into the blob store, database) against the bare ffmpeg command line with
// the identical arguments (the pipeline's own proxyArguments) at the same `nice` level.
// Three runs each, alternating; the median counts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { importTree } from '../../bridge-server/src/cli/import-tree.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../bridge-server/src/media/limits.ts';
import { DEFAULT_PRESETS, type ProxyPreset } from '../../bridge-server/src/media/presets.ts';
import { proxyArguments } from '../../bridge-server/src/media/video-derivatives.ts';
import { LocalFilesService } from '../../bridge-server/src/services/local-files.ts';
import { adminActor } from './actor.ts';
import { cpuSeconds } from './cpu.ts';
import { BENCH_TMP, freshDir, startBenchStockroom, table, untilSettled } from './lib.ts';

const run = promisify(execFile);
const RUNS = Number(process.env.RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

mkdirSync(BENCH_TMP, { recursive: true });
const clipDir = path.join(BENCH_TMP, 'clip-v1');
const clip = path.join(clipDir, 'clip-10s-1080p.mp4');
if (!existsSync(clip)) {
  mkdirSync(clipDir, { recursive: true });
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=25:duration=10',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=10',
    '-c:v',
    'libx264',
    '-preset',
    'fast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    clip,
  ]);
}

const preset = DEFAULT_PRESETS.video.proxy as ProxyPreset;
const bareOut = path.join(freshDir('bare-ffmpeg'), 'proxy.mp4');
const bareArgs = [
  '-n',
  String(DEFAULT_MEDIA_LIMITS.niceness),
  'ffmpeg',
  ...proxyArguments(clip, bareOut, { ...preset, width: 960, height: 540, hasAudio: true, timecode: null }),
];

const dataDir = freshDir('proxy-data');
const presetsFile = path.join(dataDir, 'presets.json');
writeFileSync(presetsFile, JSON.stringify({ still: {}, video: { proxy: preset }, audio: {} }));
const env = { DERIVATIVE_PRESETS_FILE: presetsFile, WORKER_CONCURRENCY: '1' };
const tool = await startBenchStockroom(dataDir, 'tool', env);
await importTree(
  {
    actor: await adminActor(tool),
    assets: tool.services.assets,
    collections: tool.services.collections,
    files: new LocalFilesService(tool.database.prisma, tool.blobStore, path.join(dataDir, 'staging')),
  },
  { root: clipDir, collectionId: null, folders: 'ignore', concurrency: 1 },
);
await tool.stop();
const worker = await startBenchStockroom(dataDir, 'worker', env);
const db = worker.database.prisma;

const bare: number[] = [];
const piped: number[] = [];
// CPU seconds of each side (process + child processes, ffmpeg and PostgreSQL included): on a
// busy machine wall times swing with other work, CPU time much less.
const bareCpu: number[] = [];
const pipedCpu: number[] = [];
const total = (c: { self: number; children: number }) => c.self + c.children;
for (let i = 0; i < RUNS; i += 1) {
  let cpu = total(cpuSeconds());
  if (i > 0) await worker.services.derivatives.regenerate('all');
  await untilSettled(worker, performance.now());
  pipedCpu.push(total(cpuSeconds()) - cpu);
  const row = await db.derivative.findFirstOrThrow({ where: { preset: 'proxy' } });
  if (row.status !== 'ready') throw new Error(`proxy failed: ${row.failure}`);
  piped.push((row.finishedAt!.getTime() - row.startedAt!.getTime()) / 1000);
  cpu = total(cpuSeconds());
  const t0 = performance.now();
  await run('nice', bareArgs);
  bare.push((performance.now() - t0) / 1000);
  bareCpu.push(total(cpuSeconds()) - cpu);
  console.log(
    `run ${i + 1}: pipeline ${piped.at(-1)!.toFixed(2)} s (CPU ${pipedCpu.at(-1)!.toFixed(2)} s), bare ffmpeg ${bare.at(-1)!.toFixed(2)} s (CPU ${bareCpu.at(-1)!.toFixed(2)} s)`,
  );
}
await worker.stop();

console.log(
  '\n' +
    table([
      ['Run (10 s 1080p H.264 → 720p proxy)', 'Median wall time', 'Runs', 'vs. bare ffmpeg', 'Median CPU', 'CPU vs. bare'],
      ['---', '---:', '---:', '---:', '---:', '---:'],
      [
        'bare `ffmpeg` command line',
        `${median(bare).toFixed(2)} s`,
        bare.map((s) => s.toFixed(2)).join(', '),
        '1.00×',
        `${median(bareCpu).toFixed(2)} s`,
        '1.00×',
      ],
      [
        'Stockroom pipeline (whole job in a worker)',
        `${median(piped).toFixed(2)} s`,
        piped.map((s) => s.toFixed(2)).join(', '),
        `${(median(piped) / median(bare)).toFixed(2)}×`,
        `${median(pipedCpu).toFixed(2)} s`,
        `${(median(pipedCpu) / median(bareCpu)).toFixed(2)}×`,
      ],
    ]),
);
