import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import type { DerivativeContext, DerivativeFile } from './derivative-file.ts';
import { MediaError } from './errors.ts';
import { assertDurationWithinLimit, inputFacts, type TimedMediaFacts, type VideoStreamFacts } from './ffprobe.ts';
import { grabFrameNear } from './frame-grab.ts';
import type { MediaLimits } from './limits.ts';
import type { FilmstripPreset, PosterPreset, ProxyPreset } from './presets.ts';
import { runTool, ToolExitError } from './run-tool.ts';
import { writeStill } from './still-output.ts';
import { timecodeAt } from './timecode.ts';

async function probeVideo(input: string, limits: MediaLimits, context: DerivativeContext): Promise<TimedMediaFacts & { video: VideoStreamFacts }> {
  const facts = await inputFacts(input, limits, context);
  if (!facts.video) throw new MediaError('unsupported-format', 'The file has no video stream, so there is no picture to preview.');
  assertDurationWithinLimit(facts, limits);
  return facts as TimedMediaFacts & { video: VideoStreamFacts };
}

/** A still frame at `preset.at` of the duration, fitted inside `preset.size`. */
export async function makePoster(input: string, name: string, preset: PosterPreset, limits: MediaLimits, context: DerivativeContext): Promise<DerivativeFile> {
  const facts = await probeVideo(input, limits, context);
  const at = Math.max(0, (facts.durationSeconds ?? 0) * preset.at);
  const { png, seconds } = await grabFrameNear(input, at, limits, { signal: context.signal });
  const file = await writeStill(sharp(png), {
    name,
    outDir: context.outDir,
    size: preset.size,
    format: preset.format,
    quality: preset.quality,
    hasAlpha: false,
    timeoutMs: limits.timeoutMs,
  });
  return { ...file, data: { seconds } };
}

/**
 * The proxy's frame size: the display size divided by 1, 2, 4, … (the first whose short side
 * is at most `shortSide`), because Premiere Pro attaches a proxy only when its frame size
 * is an even fraction of the original's (960×540 for 1920×1080, never 1280×720). A size
 * that does not halve into even numbers (H.264 4:2:0 needs them) stays whole; an odd
 * original is rounded to even, as before.
 */
export function proxySize(video: Pick<VideoStreamFacts, 'displayWidth' | 'displayHeight'>, shortSide: number): { width: number; height: number } {
  const { displayWidth: w, displayHeight: h } = video;
  const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));
  let factor = 1;
  while (Math.min(w, h) / factor > shortSide) {
    const next = factor * 2;
    if (w % next !== 0 || h % next !== 0 || (w / next) % 2 !== 0 || (h / next) % 2 !== 0) break;
    factor = next;
  }
  return { width: even(w / factor), height: even(h / factor) };
}

/** A browser-playable H.264/AAC MP4 with the index up front (faststart) so it seeks while loading. */
export async function makeProxy(input: string, name: string, preset: ProxyPreset, limits: MediaLimits, context: DerivativeContext): Promise<DerivativeFile> {
  const facts = await probeVideo(input, limits, context);
  const { width, height } = proxySize(facts.video, preset.shortSide);
  const file = path.join(context.outDir, `${name}.mp4`);
  const args = proxyArguments(input, file, { ...preset, width, height, hasAudio: facts.audio !== null, timecode: facts.timecode });
  const duration = facts.durationSeconds ?? 0;
  let lastPercent = -1;
  try {
    await runTool('ffmpeg', [...args.slice(0, -1), '-progress', 'pipe:1', '-nostats', file], {
      niceness: limits.niceness,
      timeoutMs: limits.timeoutMs,
      signal: context.signal,
      redact: [input, file],
      onStdoutLine: (line) => {
        // out_time_us is microseconds of output written so far.
        const match = /^out_time_us=(\d+)$/.exec(line);
        if (!match || duration <= 0 || !context.onProgress) return;
        const percent = Math.min(99, Math.floor((Number(match[1]) / 1e6 / duration) * 100));
        if (percent > lastPercent) {
          lastPercent = percent;
          context.onProgress(percent);
        }
      },
    });
  } catch (error) {
    if (error instanceof ToolExitError) {
      throw new MediaError('corrupt-file', `The video could not be transcoded (${error.detail}). Upload an intact copy.`, { cause: error });
    }
    throw error;
  }
  context.onProgress?.(100);
  // No read-back probe (a second ffprobe start costs 0.1–0.3 s, several % of a short
  // transcode): ffmpeg exited cleanly, scaled to exactly this size (no rotation left to
  // apply) and kept the whole duration, so the facts are already known.
  return { path: file, mimeType: 'video/mp4', width, height, durationSeconds: facts.durationSeconds, data: {} };
}

/**
 * The ffmpeg command line for a proxy. Exported so the benchmark runs the very same
 * settings through the bare CLI. The output path is the last argument.
 */
export function proxyArguments(
  input: string,
  output: string,
  options: ProxyPreset & { width: number; height: number; hasAudio: boolean; timecode: string | null },
): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-i',
    input,
    '-map',
    '0:v:0',
    ...(options.hasAudio ? ['-map', '0:a:0'] : []),
    '-vf',
    `scale=${options.width}:${options.height}:flags=bicubic,format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    options.speed,
    '-crf',
    String(options.crf),
    '-profile:v',
    'high',
    // The source's channel count is kept (no -ac): Premiere refuses a proxy whose audio channels differ.
    ...(options.hasAudio ? ['-c:a', 'aac', '-b:a', `${options.audioBitrateKbps}k`] : []),
    ...(options.timecode ? ['-timecode', options.timecode] : []),
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-movflags',
    '+faststart',
    output,
  ];
}

/**
 * Frames at even intervals (the middle of each of `frames` equal slices), tiled into one
 * sprite; `data` carries the layout and each frame's time and timecode for scrubbing.
 */
export async function makeFilmstrip(
  input: string,
  name: string,
  preset: FilmstripPreset,
  limits: MediaLimits,
  context: DerivativeContext,
): Promise<DerivativeFile> {
  const facts = await probeVideo(input, limits, context);
  const duration = facts.durationSeconds ?? 0;
  const tileWidth = preset.tileWidth;
  const tileHeight = Math.max(2, 2 * Math.round((tileWidth * facts.video.displayHeight) / facts.video.displayWidth / 2));
  const columns = Math.min(preset.columns ?? preset.frames, preset.frames);
  const rows = Math.ceil(preset.frames / columns);
  const frames: { index: number; seconds: number; timecode: string; x: number; y: number }[] = [];
  const tiles: OverlayOptions[] = [];
  for (let index = 0; index < preset.frames; index += 1) {
    const wanted = (duration * (index + 0.5)) / preset.frames;
    const { png, seconds } = await grabFrameNear(input, wanted, limits, { width: tileWidth, height: tileHeight, signal: context.signal });
    const x = (index % columns) * tileWidth;
    const y = Math.floor(index / columns) * tileHeight;
    tiles.push({ input: png, left: x, top: y });
    frames.push({ index, seconds: Math.round(seconds * 1000) / 1000, timecode: timecodeAt(seconds, facts.video.frameRate, facts.timecode), x, y });
    context.onProgress?.(Math.floor(((index + 1) / preset.frames) * 99));
  }
  const file = path.join(context.outDir, `${name}.jpg`);
  const info = await sharp({ create: { width: columns * tileWidth, height: rows * tileHeight, channels: 3, background: '#000000' } })
    .composite(tiles)
    .jpeg({ quality: preset.quality })
    .toFile(file);
  return {
    path: file,
    mimeType: 'image/jpeg',
    width: info.width,
    height: info.height,
    durationSeconds: duration,
    data: { tileWidth, tileHeight, columns, rows, frames },
  };
}
