// A still's thumbnail made from the original vs. from the preview just made (the pipeline's
// way), in one process: 24 MP JPEG, PNG, TIFF (LZW) and WebP files, ROUNDS rounds,
// alternating, after a warm-up. Reports CPU (this process: sharp's threads included) and
// wall time per preview + thumbnail pair.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_MEDIA_LIMITS } from '../../bridge-server/src/media/limits.ts';
import { DEFAULT_PRESETS } from '../../bridge-server/src/media/presets.ts';
import { makeStillDerivative } from '../../bridge-server/src/media/still-derivative.ts';
import { cpuSeconds } from './cpu.ts';
import { freshDir, table } from './lib.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const thumbnail = DEFAULT_PRESETS.still.thumbnail!;
const preview = DEFAULT_PRESETS.still.preview!;
const dir = freshDir('thumbnail-source');
const out = path.join(dir, 'out');
mkdirSync(out);

const seed = await sharp({
  create: { width: 96, height: 72, channels: 3, background: { r: 90, g: 120, b: 90 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } },
})
  .png()
  .toBuffer();
const photo = sharp(seed).resize(6000, 4000, { kernel: 'cubic' });
const files = {
  png: await photo
    .clone()
    .png()
    .toFile(path.join(dir, 'photo.png'))
    .then(() => path.join(dir, 'photo.png')),
  tiff: await photo
    .clone()
    .tiff({ compression: 'lzw' })
    .toFile(path.join(dir, 'photo.tif'))
    .then(() => path.join(dir, 'photo.tif')),
  webp: await photo
    .clone()
    .webp()
    .toFile(path.join(dir, 'photo.webp'))
    .then(() => path.join(dir, 'photo.webp')),
  jpeg: await photo
    .clone()
    .jpeg({ quality: 90 })
    .toFile(path.join(dir, 'photo.jpg'))
    .then(() => path.join(dir, 'photo.jpg')),
};

async function pair(file: string, fromPreview: boolean): Promise<{ cpuMs: number; wallMs: number }> {
  const meta = await sharp(file).metadata();
  const stillFacts = { format: meta.format!, hasAlpha: meta.hasAlpha ?? false, width: meta.width!, height: meta.height! };
  const cpu = cpuSeconds().self;
  const started = performance.now();
  const large = await makeStillDerivative(file, 'image', 'preview', preview, DEFAULT_MEDIA_LIMITS, { outDir: out, stillFacts });
  if (fromPreview) await makeStillDerivative(large.path, 'image', 'thumbnail', thumbnail, DEFAULT_MEDIA_LIMITS, { outDir: out });
  else await makeStillDerivative(file, 'image', 'thumbnail', thumbnail, DEFAULT_MEDIA_LIMITS, { outDir: out, stillFacts });
  return { cpuMs: (cpuSeconds().self - cpu) * 1000, wallMs: performance.now() - started };
}

const rows: string[][] = [
  ['Format (6000 × 4000)', 'Thumbnail from the original: CPU / wall', 'Thumbnail from the preview: CPU / wall', 'From the preview ÷ from the original (CPU)'],
  ['---', '---:', '---:', '---:'],
];
for (const [format, file] of Object.entries(files)) {
  await pair(file, false); // warm-up
  const fromOriginal: number[][] = [];
  const fromPreview: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await pair(file, false);
    const b = await pair(file, true);
    fromOriginal.push([a.cpuMs, a.wallMs]);
    fromPreview.push([b.cpuMs, b.wallMs]);
  }
  const mean = (xs: number[][], i: number) => xs.reduce((s, x) => s + x[i]!, 0) / xs.length;
  const ms = (n: number) => `${Math.round(n)} ms`;
  rows.push([
    format.toUpperCase(),
    `${ms(mean(fromOriginal, 0))} / ${ms(mean(fromOriginal, 1))}`,
    `${ms(mean(fromPreview, 0))} / ${ms(mean(fromPreview, 1))}`,
    (mean(fromPreview, 0) / mean(fromOriginal, 0)).toFixed(2),
  ]);
}
console.log(table(rows));
