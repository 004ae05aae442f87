import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WaveformData } from '../../src/media/audio-derivatives.ts';
import { extractMetadata } from '../../src/media/extract-metadata.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../src/media/limits.ts';
import { makeDerivative } from '../../src/media/make-derivative.ts';
import { DEFAULT_PRESETS } from '../../src/media/presets.ts';
import { ensureCorpus, type Corpus } from './corpus.ts';
import { ffprobe, isFaststart, pixel } from './read-back.ts';

let corpus: Corpus;
let outDir: string;
beforeAll(async () => {
  corpus = await ensureCorpus();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'stockroom-audio-'));
});

const presets = DEFAULT_PRESETS.audio;

async function derive(file: string, name: string) {
  const out = await mkdtemp(path.join(outDir, `${name}-`));
  return makeDerivative(file, 'audio', name, presets[name]!, DEFAULT_MEDIA_LIMITS, { outDir: out });
}

describe.each([
  ['wav', 'pcm_s16le'],
  ['mp3', 'mp3'],
  ['ogg', 'vorbis'],
  ['flac', 'flac'],
] as const)('%s', (key, codec) => {
  it('facts, waveform peaks, waveform image and an AAC preview', async () => {
    const file = corpus[key];
    const facts = await extractMetadata(file, 'audio', DEFAULT_MEDIA_LIMITS);
    expect(facts.family === 'audio' && facts.audio.audio).toMatchObject({ codec, channels: 2, sampleRate: 44100 });
    expect(facts.durationSeconds).toBeCloseTo(1, 0);

    const peaksFile = await derive(file, 'peaks');
    const peaks = JSON.parse(await readFile(peaksFile.path, 'utf8')) as WaveformData;
    expect(peaks).toMatchObject({ version: 2, channels: 1, bits: 8, sample_rate: 8000 });
    expect(peaks.data).toHaveLength(2 * peaks.length);
    expect(peaks.length).toBeGreaterThan(1500);
    // A full-scale sine (lavfi's default amplitude is 1/8) gives steady, symmetric peaks.
    const maxima = peaks.data.filter((_, i) => i % 2 === 1);
    const minima = peaks.data.filter((_, i) => i % 2 === 0);
    expect(Math.max(...maxima)).toBeGreaterThan(10);
    expect(Math.min(...minima)).toBeLessThan(-10);

    const image = await derive(file, 'waveform');
    expect(await sharp(image.path).metadata()).toMatchObject({ format: 'png', width: 1600, height: 200, hasAlpha: true });
    // Drawn in the middle, empty at the top edge.
    expect((await pixel(image.path, 800, 100))[3]).toBeGreaterThan(0);
    expect((await pixel(image.path, 800, 1))[3]).toBe(0);

    const preview = await derive(file, 'preview');
    const probe = await ffprobe(preview.path);
    expect(probe.streams).toHaveLength(1);
    expect(probe.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'aac', channels: 2 });
    expect(Number(probe.format.duration)).toBeCloseTo(1, 0);
    expect(await isFaststart(preview.path)).toBe(true);
  });
});
