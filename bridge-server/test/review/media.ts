// Real clips at the frame rates studios deliver (24, 25, 29.97 = 30000/1001, 30) and a
// real image, made with ffmpeg and sharp, built once into the repo's git-ignored .tmp/.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Stockroom } from '../../src/compose.ts';
import type { Actor } from '../../src/services/actor.ts';
import { seedUpload } from '../support/seed.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '.tmp', 'review-media-v2');

/** Frame rates as the exact fractions ffmpeg writes. */
export const RATES = {
  '24': { num: 24, den: 1 },
  '25': { num: 25, den: 1 },
  '29.97': { num: 30000, den: 1001 },
  '30': { num: 30, den: 1 },
} as const;
export type RateName = keyof typeof RATES;
export const CLIP_SECONDS = 3;

export interface ReviewMedia {
  clips: Record<RateName, string>;
  /** 1200×800 PNG. */
  image: string;
  /** The same picture, changed: a second version. */
  image2: string;
  /** 2 s of 48 kHz stereo audio, no picture. */
  tone: string;
}

let building: Promise<ReviewMedia> | undefined;
export function ensureReviewMedia(): Promise<ReviewMedia> {
  building ??= build();
  return building;
}

function paths(dir: string): ReviewMedia {
  const clips = Object.fromEntries(Object.keys(RATES).map((r) => [r, path.join(dir, `clip-${r}fps.mp4`)])) as Record<RateName, string>;
  return { clips, image: path.join(dir, 'board-v1.png'), image2: path.join(dir, 'board-v2.png'), tone: path.join(dir, 'tone-48k.wav') };
}

async function build(): Promise<ReviewMedia> {
  if (existsSync(path.join(ROOT, 'complete'))) return paths(ROOT);
  const staging = `${ROOT}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  const files = paths(staging);
  for (const [name, rate] of Object.entries(RATES) as Array<[RateName, { num: number; den: number }]>) {
    // testsrc2 draws a running frame counter, so a screenshot shows which frame is on screen.
    await run('ffmpeg', [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=480x270:rate=${rate.num}/${rate.den}:duration=${CLIP_SECONDS}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=48000:duration=${CLIP_SECONDS}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      '-movflags',
      '+faststart',
      files.clips[name],
    ]);
  }
  await run('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=660:sample_rate=48000:duration=2',
    '-ac',
    '2',
    '-c:a',
    'pcm_s16le',
    files.tone,
  ]);
  const board = (hue: string, label: string) =>
    sharp(
      Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
      <rect width="1200" height="800" fill="${hue}"/><circle cx="820" cy="300" r="180" fill="#f5c542"/>
      <rect x="120" y="520" width="520" height="160" rx="24" fill="#ffffff" opacity="0.85"/>
      <text x="150" y="620" font-family="sans-serif" font-size="72" fill="#222">${label}</text></svg>`),
    ).png();
  await board('#2b6cb0', 'Summer v1').toFile(files.image);
  await board('#2f855a', 'Summer v2').toFile(files.image2);
  await writeFile(path.join(staging, 'complete'), new Date().toISOString());
  await rm(ROOT, { recursive: true, force: true });
  try {
    await rename(staging, ROOT);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
  return paths(ROOT);
}

/** Presentation time (seconds) of every video frame of a file, read by ffprobe. */
export async function framePresentationTimes(file: string): Promise<number[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file]);
  return stdout
    .split('\n')
    .map((line) => line.split(',')[0]!.trim())
    .filter((field) => field !== '')
    .map(Number)
    .sort((a, b) => a - b);
}

/** Stores a real file as a finished upload of `actor`. */
export async function uploadFile(stockroom: Stockroom, actor: Actor, file: string, mimeType: string) {
  return seedUpload(stockroom, actor.user.id, { bytes: await readFile(file), fileName: path.basename(file), mimeType });
}

/** Waits until the metadata job has stored the version's facts. */
export async function waitForMetadata(stockroom: Stockroom, assetId: string, number: number, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const version = await stockroom.database.prisma.version.findUnique({ where: { assetId_number: { assetId, number } }, select: { metadata: true } });
    const metadata = (version?.metadata ?? {}) as Record<string, any>;
    if (metadata.extractedAt) return metadata;
    if (Date.now() > deadline) throw new Error(`version ${number} of ${assetId} got no metadata within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Waits until the version's derivatives of these presets are ready (the head version when `number` is left out). */
export async function waitForDerivatives(stockroom: Stockroom, assetId: string, presets: string[], number?: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await stockroom.database.prisma.derivative.findMany({
      where: { version: { assetId, ...(number === undefined ? {} : { number }) }, preset: { in: presets } },
      select: { status: true, preset: true },
    });
    if (rows.some((r) => r.status === 'failed')) throw new Error(`a derivative of ${assetId} failed`);
    if (presets.every((p) => rows.some((r) => r.preset === p && r.status === 'ready'))) return;
    if (Date.now() > deadline) throw new Error(`derivatives ${presets.join(', ')} of ${assetId} were not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
