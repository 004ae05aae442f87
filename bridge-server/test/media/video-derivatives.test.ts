import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractMetadata } from '../../src/media/extract-metadata.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../src/media/limits.ts';
import { makeDerivative } from '../../src/media/make-derivative.ts';
import { DEFAULT_PRESETS, filmstripPresetSchema, type PresetSpec } from '../../src/media/presets.ts';
import { storedTimedMediaFacts } from '../../src/media/timed-media-facts.ts';
import { ensureCorpus, MADE_WITH, type Corpus } from './corpus.ts';
import { ffprobe, isFaststart } from './read-back.ts';

let corpus: Corpus;
let outDir: string;
beforeAll(async () => {
  corpus = await ensureCorpus();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'stockroom-video-'));
});

const presets = DEFAULT_PRESETS.video;
// Fewer frames than the default keep the other clips fast; H.264 runs the default preset.
const shortFilmstrip = filmstripPresetSchema.parse({ type: 'filmstrip', frames: 4 });

async function derive(file: string, name: string, preset: PresetSpec, onProgress?: (p: number) => void) {
  const out = await mkdtemp(path.join(outDir, `${name}-`));
  return makeDerivative(file, 'video', name, preset, DEFAULT_MEDIA_LIMITS, { outDir: out, onProgress });
}

async function expectProxy(file: string, expected: { width: number; height: number; audio: boolean }) {
  const progress: number[] = [];
  const made = await derive(file, 'proxy', presets.proxy!, (p) => progress.push(p));
  const probe = await ffprobe(made.path);
  const video = probe.streams.find((s) => s.codec_type === 'video')!;
  expect(video).toMatchObject({ codec_name: 'h264', width: expected.width, height: expected.height });
  expect(video.side_data_list?.find((d) => d.rotation !== undefined && d.rotation !== 0)).toBeUndefined();
  expect(probe.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac')).toBe(expected.audio);
  expect(Number(probe.format.duration)).toBeCloseTo(1, 1);
  // The facts stored with the proxy (not read back from the file) are the file's own.
  expect({ width: made.width, height: made.height }).toEqual({ width: video.width, height: video.height });
  expect(made.durationSeconds).toBeCloseTo(Number(probe.format.duration), 1);
  expect(await isFaststart(made.path)).toBe(true);
  expect(progress.at(-1)).toBe(100);
  expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  return made;
}

describe('video', () => {
  it('1080p H.264: facts, poster, 960×540 proxy (half size, as Premiere needs) with faststart, filmstrip with timecodes', async () => {
    const h = MADE_WITH.h264;
    const facts = await extractMetadata(corpus.h264, 'video', DEFAULT_MEDIA_LIMITS);
    expect(facts).toMatchObject({ family: 'video', width: h.width, height: h.height });
    expect(facts.durationSeconds).toBeCloseTo(h.seconds, 1);
    expect(facts.family === 'video' && facts.video).toMatchObject({
      timecode: h.timecode,
      video: { codec: 'h264', frameRate: h.fps, rotation: 0 },
      audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
    });

    const poster = await derive(corpus.h264, 'poster', presets.poster!);
    expect(await sharp(poster.path).metadata()).toMatchObject({ format: 'jpeg', width: 1600, height: 900 });

    await expectProxy(corpus.h264, { width: 960, height: 540, audio: true });

    const strip = await derive(corpus.h264, 'filmstrip', presets.filmstrip!);
    const frames = strip.data.frames as { seconds: number; timecode: string; x: number }[];
    expect(await sharp(strip.path).metadata()).toMatchObject({ width: 10 * 160, height: 90 });
    expect(frames).toHaveLength(10);
    expect(frames.map((f) => f.seconds)).toEqual([0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]);
    expect(frames.map((f) => f.x)).toEqual([0, 160, 320, 480, 640, 800, 960, 1120, 1280, 1440]);
    // 0.45 s at 25 fps is frame 11 after the clip's 01:00:00:00 start.
    expect(frames[4]!.timecode).toBe('01:00:00:11');
  });

  it('HEVC: proxy and poster', async () => {
    const facts = await extractMetadata(corpus.hevc, 'video', DEFAULT_MEDIA_LIMITS);
    expect(facts.family === 'video' && facts.video.video?.codec).toBe('hevc');
    await expectProxy(corpus.hevc, { width: 640, height: 360, audio: false });
    const thumb = await derive(corpus.hevc, 'thumbnail', presets.thumbnail!);
    expect(await sharp(thumb.path).metadata()).toMatchObject({ width: 256, height: 144 });
  });

  it('ProRes (10-bit 4:2:2, PCM audio, timecode): proxy is 8-bit 4:2:0 H.264/AAC', async () => {
    const facts = await extractMetadata(corpus.prores, 'video', DEFAULT_MEDIA_LIMITS);
    expect(facts.family === 'video' && facts.video).toMatchObject({
      timecode: MADE_WITH.prores.timecode,
      video: { codec: 'prores', pixelFormat: 'yuv422p10le' },
      audio: { codec: 'pcm_s16le' },
    });
    const proxy = await expectProxy(corpus.prores, { width: 640, height: 360, audio: true });
    const { streams } = await ffprobe(proxy.path);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ pix_fmt: 'yuv420p' });
    const strip = await derive(corpus.prores, 'filmstrip', shortFilmstrip);
    expect((strip.data.frames as { timecode: string }[])[0]!.timecode).toBe('10:00:00:03');
  });

  it('VP9 WebM: proxy', async () => {
    await expectProxy(corpus.vp9, { width: 320, height: 240, audio: false });
  });

  it('portrait phone video with rotation metadata: every derivative is upright portrait', async () => {
    const p = MADE_WITH.portrait;
    const facts = await extractMetadata(corpus.portrait, 'video', DEFAULT_MEDIA_LIMITS);
    expect(facts).toMatchObject({ width: p.codedHeight, height: p.codedWidth });
    expect(facts.family === 'video' && facts.video.video).toMatchObject({ width: p.codedWidth, height: p.codedHeight, rotation: 90 });

    await expectProxy(corpus.portrait, { width: 720, height: 1280, audio: true });
    const poster = await derive(corpus.portrait, 'poster', presets.poster!);
    expect(await sharp(poster.path).metadata()).toMatchObject({ width: 720, height: 1280 });
    const strip = await derive(corpus.portrait, 'filmstrip', shortFilmstrip);
    expect(strip.data).toMatchObject({ tileWidth: 160, tileHeight: 284 });
    expect(await sharp(strip.path).metadata()).toMatchObject({ width: 4 * 160, height: 284 });
  });

  it('uses the facts the metadata job stored instead of probing again, and falls back to probing without them', async () => {
    const stored = await extractMetadata(corpus.h264, 'video', DEFAULT_MEDIA_LIMITS);
    if (stored.family !== 'video') throw new Error('the H.264 clip is not read as video');
    // As the claim reads them back from the version's metadata (JSON).
    const probed = storedTimedMediaFacts(JSON.parse(JSON.stringify(stored.video)));
    expect(probed).toEqual(stored.video);
    // Facts that say the picture is 640×360: a proxy made from them (not from a probe of the
    // 1920×1080 file) keeps that size.
    const smaller = { ...probed!, video: { ...probed!.video!, width: 640, height: 360, displayWidth: 640, displayHeight: 360 } };
    const out = await mkdtemp(path.join(outDir, 'proxy-known-'));
    const made = await makeDerivative(corpus.h264, 'video', 'proxy', presets.proxy!, DEFAULT_MEDIA_LIMITS, { outDir: out, probed: smaller });
    const video = (await ffprobe(made.path)).streams.find((s) => s.codec_type === 'video')!;
    expect({ width: video.width, height: video.height }).toEqual({ width: 640, height: 360 });
    // The duration limit still applies to known facts.
    const tooLong = { ...probed!, durationSeconds: DEFAULT_MEDIA_LIMITS.maxDurationSeconds + 1 };
    await expect(makeDerivative(corpus.h264, 'video', 'proxy', presets.proxy!, DEFAULT_MEDIA_LIMITS, { outDir: out, probed: tooLong })).rejects.toMatchObject({
      reason: 'too-long',
    });
    // Metadata of another shape (an older server's) is ignored: the job probes the file.
    expect(storedTimedMediaFacts({ width: 1920 })).toBeNull();
    expect(storedTimedMediaFacts(null)).toBeNull();
  });
});
