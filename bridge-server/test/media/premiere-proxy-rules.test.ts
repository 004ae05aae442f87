/**
 * The video proxies satisfy Premiere Pro's proxy rules (a proxy is attached only when its
 * frame rate, duration and audio channel count match the original and its frame size is
 * an even fraction of it), checked with ffprobe on the corpus's real videos and on a
 * 5.1 clip.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_LIMITS } from '../../src/media/limits.ts';
import { makeDerivative } from '../../src/media/make-derivative.ts';
import { DEFAULT_PRESETS } from '../../src/media/presets.ts';
import { proxySize } from '../../src/media/video-derivatives.ts';
import { ensureCorpus, type Corpus } from './corpus.ts';

const run = promisify(execFile);
let corpus: Corpus;
let outDir: string;
let surround: string;

interface Probed {
  width: number;
  height: number;
  frameRate: string;
  duration: number;
  audioChannels: number;
}

/** What Premiere compares, as ffprobe reads it (the display size, after any rotation). */
async function probe(file: string): Promise<Probed> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const { format, streams } = JSON.parse(stdout) as {
    format: { duration: string };
    streams: Array<{
      codec_type: string;
      width?: number;
      height?: number;
      r_frame_rate?: string;
      channels?: number;
      side_data_list?: Array<{ rotation?: number }>;
    }>;
  };
  const video = streams.find((s) => s.codec_type === 'video')!;
  const turned = Math.abs(video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0) % 180 === 90;
  return {
    width: turned ? video.height! : video.width!,
    height: turned ? video.width! : video.height!,
    frameRate: video.r_frame_rate!,
    duration: Number(format.duration),
    audioChannels: streams
      .filter((s) => s.codec_type === 'audio')
      .slice(0, 1)
      .reduce((sum, s) => sum + (s.channels ?? 0), 0),
  };
}

beforeAll(async () => {
  corpus = await ensureCorpus();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'stockroom-ppro-proxy-'));
  surround = path.join(outDir, 'surround-5.1.mov');
  await run('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=30000/1001:duration=1',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=1',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-af',
    'pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0',
    '-c:a',
    'pcm_s16le',
    '-shortest',
    surround,
  ]);
}, 120_000);

describe('video proxies fit Premiere Pro’s proxy rules', () => {
  const cases = [
    ['1080p H.264 with mono AAC', 'h264'],
    ['HEVC without audio', 'hevc'],
    ['ProRes with PCM audio', 'prores'],
    ['VP9 WebM', 'vp9'],
    ['portrait phone video (rotated)', 'portrait'],
  ] as const;
  for (const [what, key] of cases) {
    it(`${what}: same frame rate, duration and audio channels; frame size an even fraction`, async () => {
      await expectPremiereProxy(corpus[key]);
    }, 60_000);
  }

  it('29.97 fps with 5.1 PCM audio: the proxy keeps six channels and the NTSC rate, at half size', async () => {
    const proxy = await expectPremiereProxy(surround);
    expect(proxy).toMatchObject({ width: 960, height: 540, frameRate: '30000/1001', audioChannels: 6 });
  }, 60_000);

  it('halves only while the result stays even and the short side is still above the preset', () => {
    expect(proxySize({ displayWidth: 1920, displayHeight: 1080 }, 720)).toEqual({ width: 960, height: 540 });
    expect(proxySize({ displayWidth: 3840, displayHeight: 2160 }, 720)).toEqual({ width: 960, height: 540 });
    expect(proxySize({ displayWidth: 1280, displayHeight: 720 }, 720)).toEqual({ width: 1280, height: 720 });
    expect(proxySize({ displayWidth: 720, displayHeight: 1280 }, 720)).toEqual({ width: 720, height: 1280 });
    expect(proxySize({ displayWidth: 4096, displayHeight: 2160 }, 540)).toEqual({ width: 1024, height: 540 });
    // 1918 / 2 = 959 is odd: the proxy stays full size rather than break the rule.
    expect(proxySize({ displayWidth: 1918, displayHeight: 1080 }, 720)).toEqual({ width: 1918, height: 1080 });
  });
});

async function expectPremiereProxy(original: string): Promise<Probed> {
  const out = await mkdtemp(path.join(outDir, 'proxy-'));
  const made = await makeDerivative(original, 'video', 'proxy', DEFAULT_PRESETS.video.proxy!, DEFAULT_MEDIA_LIMITS, { outDir: out });
  const [source, proxy] = await Promise.all([probe(original), probe(made.path)]);
  const [num, den] = source.frameRate.split('/').map(Number) as [number, number];
  const frame = den / num;
  expect(proxy.frameRate).toBe(source.frameRate);
  expect(Math.abs(proxy.duration - source.duration)).toBeLessThanOrEqual(frame);
  expect(proxy.audioChannels).toBe(source.audioChannels);
  const factor = source.width / proxy.width;
  expect(source.height / proxy.height).toBe(factor);
  expect(Number.isInteger(factor) && (factor === 1 || factor % 2 === 0)).toBe(true);
  return proxy;
}
