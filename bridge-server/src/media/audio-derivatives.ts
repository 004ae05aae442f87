import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { DerivativeContext, DerivativeFile } from './derivative-file.ts';
import { MediaError } from './errors.ts';
import { assertDurationWithinLimit, inputFacts, probeTimedMedia, type TimedMediaFacts } from './ffprobe.ts';
import type { MediaLimits } from './limits.ts';
import type { AudioPreviewPreset, PeaksPreset, WaveformPreset } from './presets.ts';
import { runTool, ToolExitError } from './run-tool.ts';

/**
 * Peaks in the waveform-data JSON format (version 2, 8-bit) that peaks.js and the
 * `waveform-data` package read: `data` holds min,max pairs, one pair per pixel.
 */
export interface WaveformData {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  length: number;
  data: number[];
}

/** What a derivative's input facts come from (see inputFacts). */
type InputContext = Pick<DerivativeContext, 'probed' | 'probe' | 'signal'>;

async function probeAudio(input: string, limits: MediaLimits, context: InputContext): Promise<TimedMediaFacts> {
  const facts = await inputFacts(input, limits, context);
  if (!facts.audio) throw new MediaError('unsupported-format', 'The file has no audio stream, so there is no waveform to draw.');
  assertDurationWithinLimit(facts, limits);
  return facts;
}

/** Decodes to mono 16-bit PCM at `sampleRate` and folds it into `length` min/max pairs, streaming. */
async function computePeaks(
  input: string,
  length: number,
  sampleRate: number,
  limits: MediaLimits,
  context: InputContext = {},
): Promise<{ peaks: WaveformData; durationSeconds: number }> {
  const facts = await probeAudio(input, limits, context);
  const signal = context.signal;
  const duration = facts.durationSeconds ?? 0;
  const samplesPerPixel = Math.max(1, Math.ceil((duration * sampleRate) / length));
  const mins = new Int8Array(length);
  const maxs = new Int8Array(length);
  let sampleIndex = 0;
  let carry: Buffer | null = null;
  const take = (chunk: Buffer) => {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 2);
    for (let offset = 0; offset < whole; offset += 2) {
      const pixel = Math.min(length - 1, Math.floor(sampleIndex / samplesPerPixel));
      // 16-bit sample → 8-bit range, as the 8-bit waveform-data format stores it.
      const value = bytes.readInt16LE(offset) >> 8;
      if (value < mins[pixel]!) mins[pixel] = value;
      if (value > maxs[pixel]!) maxs[pixel] = value;
      sampleIndex += 1;
    }
    carry = whole < bytes.length ? bytes.subarray(whole) : null;
  };
  try {
    await runTool(
      'ffmpeg',
      ['-hide_banner', '-nostdin', '-v', 'error', '-i', input, '-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', '-c:a', 'pcm_s16le', '-'],
      { niceness: limits.niceness, timeoutMs: limits.timeoutMs, signal, redact: [input], onStdoutChunk: take },
    );
  } catch (error) {
    if (error instanceof ToolExitError) {
      throw new MediaError('corrupt-file', `The audio could not be decoded (${error.detail}). Upload an intact copy.`, { cause: error });
    }
    throw error;
  }
  const used = Math.max(1, Math.min(length, Math.ceil(sampleIndex / samplesPerPixel)));
  const data: number[] = [];
  for (let i = 0; i < used; i += 1) data.push(mins[i]!, maxs[i]!);
  return {
    peaks: { version: 2, channels: 1, sample_rate: sampleRate, samples_per_pixel: samplesPerPixel, bits: 8, length: used, data },
    durationSeconds: sampleIndex / sampleRate,
  };
}

export async function makePeaks(input: string, name: string, preset: PeaksPreset, limits: MediaLimits, context: DerivativeContext): Promise<DerivativeFile> {
  const { peaks, durationSeconds } = await computePeaks(input, preset.length, preset.sampleRate, limits, context);
  const file = path.join(context.outDir, `${name}.json`);
  await writeFile(file, JSON.stringify(peaks));
  return { path: file, mimeType: 'application/json', width: null, height: null, durationSeconds, data: { length: peaks.length } };
}

/** The peaks drawn as a transparent PNG: one vertical bar per pixel column, mirrored around the centre. */
export async function makeWaveformImage(
  input: string,
  name: string,
  preset: WaveformPreset,
  limits: MediaLimits,
  context: DerivativeContext,
): Promise<DerivativeFile> {
  const { peaks, durationSeconds } = await computePeaks(input, preset.width, 8000, limits, context);
  const { width, height } = preset;
  const middle = height / 2;
  const scale = height / 2 / 128;
  const step = width / peaks.length;
  let d = '';
  for (let i = 0; i < peaks.length; i += 1) {
    const min = peaks.data[2 * i]!;
    const max = peaks.data[2 * i + 1]!;
    const top = middle - Math.max(max, 0.5) * scale;
    const bottom = middle - Math.min(min, -0.5) * scale;
    d += `M${(i * step + step / 2).toFixed(2)} ${top.toFixed(2)}V${bottom.toFixed(2)}`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><path d="${d}" stroke="${preset.colour}" stroke-width="${Math.max(1, step).toFixed(2)}"/></svg>`;
  const file = path.join(context.outDir, `${name}.png`);
  const info = await sharp(Buffer.from(svg)).png().toFile(file);
  return { path: file, mimeType: 'image/png', width: info.width, height: info.height, durationSeconds, data: {} };
}

/** A compressed AAC (.m4a) preview that every browser plays, index up front. */
export async function makeAudioPreview(
  input: string,
  name: string,
  preset: AudioPreviewPreset,
  limits: MediaLimits,
  context: DerivativeContext,
): Promise<DerivativeFile> {
  const facts = await probeAudio(input, limits, context);
  const duration = facts.durationSeconds ?? 0;
  const file = path.join(context.outDir, `${name}.m4a`);
  let lastPercent = -1;
  try {
    await runTool(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-v',
        'error',
        '-i',
        input,
        '-map',
        '0:a:0',
        '-vn',
        '-c:a',
        'aac',
        '-b:a',
        `${preset.bitrateKbps}k`,
        '-ac',
        String(Math.min(2, Math.max(1, facts.audio?.channels ?? 2))),
        '-map_metadata',
        '-1',
        '-movflags',
        '+faststart',
        '-progress',
        'pipe:1',
        '-nostats',
        '-f',
        'mp4',
        file,
      ],
      {
        niceness: limits.niceness,
        timeoutMs: limits.timeoutMs,
        signal: context.signal,
        redact: [input, file],
        onStdoutLine: (line) => {
          const match = /^out_time_us=(\d+)$/.exec(line);
          if (!match || duration <= 0 || !context.onProgress) return;
          const percent = Math.min(99, Math.floor((Number(match[1]) / 1e6 / duration) * 100));
          if (percent > lastPercent) context.onProgress((lastPercent = percent));
        },
      },
    );
  } catch (error) {
    if (error instanceof ToolExitError) {
      throw new MediaError('corrupt-file', `The audio could not be transcoded (${error.detail}). Upload an intact copy.`, { cause: error });
    }
    throw error;
  }
  const written = await probeTimedMedia(file, limits, context.signal);
  context.onProgress?.(100);
  return { path: file, mimeType: 'audio/mp4', width: null, height: null, durationSeconds: written.durationSeconds, data: {} };
}
