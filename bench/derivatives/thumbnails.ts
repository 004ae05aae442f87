// Thumbnail + preview throughput over 200 JPEGs of 12–24 MP, in one run:
//  1. a bare sharp loop doing the same two resizes (256 px and 1600 px, EXIF orientation, sRGB, JPEG q82),
//     in two methods: both sizes from the original (what a plain sharp script does), and the
//     pipeline's way, the thumbnail resized from the preview just written (like for like: the
//     target's ratio),
//  2. the pipeline: the files imported as assets, then a `worker` Stockroom making the
//     derivatives through the queue (blob store in and out, hashing, database, events),
//  3. ImageMagick `convert` with the same sizes, on a subset, for scale.
// All three run two files at a time (the worker's default concurrency on 2 cores).
// Both bare loops run before and after the pipeline, and each ratio uses their mean: on a
// shared host the speed of the same loop drifts by up to 10 % within a minute (until
// 2026-12-05 the like-for-like loop ran once, last, so all of that drift went into its
// ratio). A short untimed bare run of each method comes first, so that neither side pays
// for the process warming up.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { importTree } from '../../bridge-server/src/cli/import-tree.ts';
import { LocalFilesService } from '../../bridge-server/src/services/local-files.ts';
import { adminActor } from './actor.ts';
import { cpuSeconds, threadCpuSeconds } from './cpu.ts';
import { BENCH_TMP, freshDir, startBenchStockroom, table, untilSettled } from './lib.ts';

const run = promisify(execFile);
const COUNT = Number(process.env.THUMB_FILES ?? 200);
const MAGICK_COUNT = Number(process.env.MAGICK_FILES ?? 20);
const LANES = Number(process.env.LANES ?? os.cpus().length);
const WARM_UP_FILES = 20;
const SIZES: [number, number][] = [
  [4000, 3000],
  [4620, 3464],
  [5160, 3870],
  [6000, 4000],
]; // 12, 16, 20, 24 MP

async function makeCorpus(): Promise<string[]> {
  const dir = path.join(BENCH_TMP, `jpegs-${COUNT}-v1`);
  const done = path.join(dir, '.complete');
  if (!existsSync(done)) {
    freshDir(`jpegs-${COUNT}-v1`);
    console.log(`making ${COUNT} JPEGs of 12–24 MP…`);
    await lanes(COUNT, 2, async (i) => {
      const [width, height] = SIZES[i % SIZES.length]!;
      // Coarse noise enlarged smoothly: photo-like detail that JPEG cannot flatten away.
      const seed = await sharp({
        create: { width: 96, height: 72, channels: 3, background: { r: (i * 37) % 256, g: 120, b: 90 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } },
      })
        .png()
        .toBuffer();
      await sharp(seed)
        .resize(width, height, { kernel: 'cubic' })
        .sharpen()
        .jpeg({ quality: 90 })
        .toFile(path.join(dir, `photo-${String(i).padStart(3, '0')}.jpg`));
    });
    writeFileSync(done, '');
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function lanes(count: number, width: number, body: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await body(next++);
    }),
  );
}

type Cpu = { self: number; children: number; libvips: number; others: number };
const cpuNow = (): Cpu => ({ ...cpuSeconds(), ...threadCpuSeconds() });
const cpuSince = (before: Cpu): Cpu => {
  const now = cpuNow();
  return { self: now.self - before.self, children: now.children - before.children, libvips: now.libvips - before.libvips, others: now.others - before.others };
};

/**
 * The bare loop: both sizes from the original. With `fromPreview`, the pipeline's own method
 * instead: the preview from the original, then the thumbnail resized from that preview.
 */
async function bareSharp(files: string[], { fromPreview = false } = {}): Promise<{ seconds: number; cpu: Cpu }> {
  const out = freshDir('bare-sharp');
  const cpu = cpuNow();
  const t0 = performance.now();
  await lanes(files.length, LANES, async (i) => {
    for (const size of [1600, 256]) {
      const preview = path.join(out, `${i}-1600.jpg`);
      await sharp(size === 256 && fromPreview ? preview : files[i]!)
        .rotate()
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .withIccProfile('srgb')
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82 })
        .toFile(path.join(out, `${i}-${size}.jpg`));
    }
  });
  return { seconds: (performance.now() - t0) / 1000, cpu: cpuSince(cpu) };
}

async function pipeline(files: string[]): Promise<{ seconds: number; ready: number; failed: number; cpu: Cpu }> {
  const dataDir = freshDir('pipeline-data');
  const source = path.dirname(files[0]!);
  const env = { WORKER_CONCURRENCY: String(LANES) };
  const tool = await startBenchStockroom(dataDir, 'tool', env);
  const actor = await adminActor(tool);
  const localFiles = new LocalFilesService(tool.database.prisma, tool.blobStore, path.join(dataDir, 'staging'));
  await importTree(
    { actor, assets: tool.services.assets, collections: tool.services.collections, files: localFiles },
    { root: source, collectionId: null, folders: 'ignore', concurrency: 2 },
  );
  await tool.stop();
  // CPU of the worker's whole run, its start-up (about a second) included: the process
  // (sharp's threads, the queue, Prisma, the search indexer) and PostgreSQL.
  const cpu = cpuNow();
  const worker = await startBenchStockroom(dataDir, 'worker', env);
  const result = await untilSettled(worker, performance.now());
  const used = cpuSince(cpu);
  // Throughput of the running worker: from the first job's start to the last one's end
  // (the worker's own start-up, a few seconds of embedded Postgres and queue, is left out).
  const [span] = await worker.database.prisma.$queryRaw<{ seconds: number }[]>`
    SELECT EXTRACT(EPOCH FROM max("finishedAt") - min("startedAt"))::float8 AS seconds FROM derivatives`;
  await worker.stop();
  return { seconds: span!.seconds, ready: result.ready, failed: result.failed, cpu: used };
}

async function magick(files: string[]): Promise<number> {
  const out = freshDir('magick');
  const t0 = performance.now();
  await lanes(files.length, LANES, async (i) => {
    for (const size of [256, 1600]) {
      await run('convert', [
        files[i]!,
        '-auto-orient',
        '-resize',
        `${size}x${size}>`,
        '-colorspace',
        'sRGB',
        '-quality',
        '82',
        path.join(out, `${i}-${size}.jpg`),
      ]);
    }
  });
  return (performance.now() - t0) / 1000;
}

mkdirSync(BENCH_TMP, { recursive: true });
const files = await makeCorpus();
console.log(
  `${files.length} files, ${LANES} at a time, libuv thread pool ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
// Untimed warm-up: the first sharp work of a process ran about 8 % slower than the runs
// after it (thread pools, allocator arenas), which would have flattered the pipeline.
await bareSharp(files.slice(0, WARM_UP_FILES));
await bareSharp(files.slice(0, WARM_UP_FILES), { fromPreview: true });
const before = await bareSharp(files);
console.log(`bare sharp: ${before.seconds.toFixed(1)} s`);
const sameBefore = await bareSharp(files, { fromPreview: true });
console.log(`bare sharp, thumbnail from the preview: ${sameBefore.seconds.toFixed(1)} s`);
const piped = await pipeline(files);
console.log(`pipeline: ${piped.seconds.toFixed(1)} s (${piped.ready} ready, ${piped.failed} failed)`);
// The other order after the pipeline, so that each method's mean sits equally around it.
const sameAfter = await bareSharp(files, { fromPreview: true });
console.log(`bare sharp, thumbnail from the preview, again: ${sameAfter.seconds.toFixed(1)} s`);
const after = await bareSharp(files);
console.log(`bare sharp again: ${after.seconds.toFixed(1)} s`);
const meanOf = (a: { seconds: number; cpu: Cpu }, b: { seconds: number; cpu: Cpu }) => ({
  seconds: (a.seconds + b.seconds) / 2,
  cpu: {
    self: (a.cpu.self + b.cpu.self) / 2,
    children: (a.cpu.children + b.cpu.children) / 2,
    libvips: (a.cpu.libvips + b.cpu.libvips) / 2,
    others: (a.cpu.others + b.cpu.others) / 2,
  },
});
const { seconds: bare, cpu: bareCpu } = meanOf(before, after);
const sameMethod = meanOf(sameBefore, sameAfter);
const ms = (seconds: number) => ((seconds * 1000) / files.length).toFixed(1);
// Threads that ended between the two readings (libvips retires idle workers) count in the process's total only.
const perImage = (cpu: Cpu) =>
  `${ms(cpu.self)} ms + ${ms(cpu.children)} ms (libvips threads ${ms(cpu.libvips)} ms, other threads ${ms(cpu.others)} ms, threads that ended ${ms(Math.max(0, cpu.self - cpu.libvips - cpu.others))} ms)`;
const magickFiles = files.slice(0, MAGICK_COUNT);
// Only a `convert` that says it is ImageMagick: a machine may have none, or another program by that name.
const hasMagick = await run('convert', ['-version']).then(
  ({ stdout }) => String(stdout).includes('ImageMagick'),
  () => false,
);
const im = hasMagick ? await magick(magickFiles) : null;
console.log(
  im === null ? 'ImageMagick is not installed here: its comparison is skipped.' : `ImageMagick convert: ${im.toFixed(1)} s for ${magickFiles.length} files`,
);

const rate = (n: number, s: number) => (n / s).toFixed(2);
console.log(
  '\n' +
    table([
      ['Run', 'Files', 'Seconds', 'Images/s (thumbnail + preview)', 'vs. bare sharp', 'CPU per image (process + PostgreSQL; the process by thread)'],
      ['---', '---:', '---:', '---:', '---:', '---:'],
      [
        'bare sharp loop (mean of the runs before and after)',
        String(files.length),
        `${bare.toFixed(1)} (${before.seconds.toFixed(1)}, ${after.seconds.toFixed(1)})`,
        rate(files.length, bare),
        '1.00×',
        perImage(bareCpu),
      ],
      [
        "bare sharp loop, thumbnail resized from the preview (the pipeline's method; mean of the runs before and after)",
        String(files.length),
        `${sameMethod.seconds.toFixed(1)} (${sameBefore.seconds.toFixed(1)}, ${sameAfter.seconds.toFixed(1)})`,
        rate(files.length, sameMethod.seconds),
        `${(bare / sameMethod.seconds).toFixed(2)}×`,
        perImage(sameMethod.cpu),
      ],
      [
        'Stockroom pipeline (worker, queue, blob store, database)',
        String(files.length),
        piped.seconds.toFixed(1),
        rate(files.length, piped.seconds),
        `${(bare / piped.seconds).toFixed(2)}×; like for like (target ≥ 0.9): **${(sameMethod.seconds / piped.seconds).toFixed(2)}×**`,
        perImage(piped.cpu),
      ],
      im === null
        ? ['ImageMagick `convert`', '', 'not installed: skipped', '', '', '']
        : [
            'ImageMagick `convert`',
            String(magickFiles.length),
            im.toFixed(1),
            rate(magickFiles.length, im),
            `${(files.length / bare / (magickFiles.length / im)).toFixed(1)}× slower`,
            '',
          ],
    ]),
);
