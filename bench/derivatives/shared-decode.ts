// A still's thumbnail and preview from one shared decode vs. one decode per preset, in one
// process: 24 MP PNG, TIFF (LZW) and WebP files (and a JPEG, which the pipeline does not
// share: it decodes straight to a fraction of its size), ROUNDS rounds, alternating.
// Reports CPU (this process: sharp's threads included) and wall time per thumbnail+preview pair.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_MEDIA_LIMITS } from '../../bridge-server/src/media/limits.ts';
import { DEFAULT_PRESETS } from '../../bridge-server/src/media/presets.ts';
import { makeStillDerivative } from '../../bridge-server/src/media/still-derivative.ts';
import { SharedStill, sharedStillFor } from '../../bridge-server/src/media/still-master.ts';
import { cpuSeconds } from './cpu.ts';
import { freshDir, table } from './lib.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const thumbnail = DEFAULT_PRESETS.still.thumbnail!;
const preview = DEFAULT_PRESETS.still.preview!;
const dir = freshDir('shared-decode');
const out = path.join(dir, 'out');
mkdirSync(out);

const seed = await sharp({ create: { width: 96, height: 72, channels: 3, background: { r: 90, g: 120, b: 90 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
const photo = sharp(seed).resize(6000, 4000, { kernel: 'cubic' });
const files = {
  png: await photo.clone().png().toFile(path.join(dir, 'photo.png')).then(() => path.join(dir, 'photo.png')),
  tiff: await photo.clone().tiff({ compression: 'lzw' }).toFile(path.join(dir, 'photo.tif')).then(() => path.join(dir, 'photo.tif')),
  webp: await photo.clone().webp().toFile(path.join(dir, 'photo.webp')).then(() => path.join(dir, 'photo.webp')),
  jpeg: await photo.clone().jpeg({ quality: 90 }).toFile(path.join(dir, 'photo.jpg')).then(() => path.join(dir, 'photo.jpg')),
};

async function pair(file: string, sharedStill: SharedStill | undefined): Promise<{ cpuMs: number; wallMs: number }> {
  const meta = await sharp(file).metadata();
  // Without stored facts for the JPEG (both ways), so that the shared decode is forced for it.
  const stillFacts = meta.format === 'jpeg' ? null : { format: meta.format!, hasAlpha: meta.hasAlpha ?? false, width: meta.width!, height: meta.height! };
  const cpu = cpuSeconds().self;
  const started = performance.now();
  for (const [name, preset] of [['thumbnail', thumbnail], ['preview', preview]] as const) {
    await makeStillDerivative(file, 'image', name, preset, DEFAULT_MEDIA_LIMITS, { outDir: out, sharedStill, stillFacts });
  }
  return { cpuMs: (cpuSeconds().self - cpu) * 1000, wallMs: performance.now() - started };
}

const rows: string[][] = [
  ['Format (6000 × 4000)', 'One decode per preset: CPU / wall', 'Shared decode: CPU / wall', 'Shared ÷ per preset (CPU)'],
  ['---', '---:', '---:', '---:'],
];
for (const [format, file] of Object.entries(files)) {
  await pair(file, undefined); // warm-up
  const each: number[][] = [];
  const shared: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await pair(file, undefined);
    const b = await pair(file, sharedStillFor([thumbnail, preview]));
    each.push([a.cpuMs, a.wallMs]);
    shared.push([b.cpuMs, b.wallMs]);
  }
  const mean = (xs: number[][], i: number) => xs.reduce((s, x) => s + x[i]!, 0) / xs.length;
  const ms = (n: number) => `${Math.round(n)} ms`;
  rows.push([
    format === 'jpeg' ? 'JPEG (not shared by the pipeline; forced here)' : format.toUpperCase(),
    `${ms(mean(each, 0))} / ${ms(mean(each, 1))}`,
    `${ms(mean(shared, 0))} / ${ms(mean(shared, 1))}`,
    (mean(shared, 0) / mean(each, 0)).toFixed(2),
  ]);
}
console.log(table(rows));
