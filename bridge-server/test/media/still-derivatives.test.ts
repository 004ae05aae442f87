import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractMetadata } from '../../src/media/extract-metadata.ts';
import { mediaFamilyOf } from '../../src/media/families.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../src/media/limits.ts';
import { makeDerivative } from '../../src/media/make-derivative.ts';
import { DEFAULT_PRESETS } from '../../src/media/presets.ts';
import { sharedStillFor, type SharedStill } from '../../src/media/still-master.ts';
import { ensureCorpus, MADE_WITH, type Corpus } from './corpus.ts';
import { near, pixel } from './read-back.ts';

let corpus: Corpus;
let outDir: string;
beforeAll(async () => {
  corpus = await ensureCorpus();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'stockroom-stills-'));
});

const thumbnail = DEFAULT_PRESETS.still.thumbnail!;
const preview = DEFAULT_PRESETS.still.preview!;
const RED = [255, 0, 0];
const BLUE = [30, 60, 200];

/**
 * Each case runs both ways a derivative is made: from its own decode of the original, and
 * from the one decode a derivative job shares between a file's thumbnail and preview.
 */
const MODES = [
  { mode: 'one decode per preset', shared: false },
  { mode: 'one decode shared by the thumbnail and the preview, as in a derivative job', shared: true },
];

describe.each(MODES)('$mode', ({ shared }) => {
  const sharedByFile = new Map<string, SharedStill>();

  async function derive(file: string, name: 'thumbnail' | 'preview') {
    const out = await mkdtemp(path.join(outDir, `${name}-`));
    let sharedStill: SharedStill | undefined;
    if (shared) {
      sharedStill = sharedByFile.get(file) ?? sharedStillFor([thumbnail, preview])!;
      sharedByFile.set(file, sharedStill);
    }
    const made = await makeDerivative(file, mediaFamilyOf(file), name, name === 'thumbnail' ? thumbnail : preview, DEFAULT_MEDIA_LIMITS, { outDir: out, sharedStill });
    const meta = await sharp(made.path).metadata();
    return { made, meta };
  }

  describe('still images', () => {
    it('JPEG with EXIF orientation 6: portrait derivatives, turned clockwise, and its camera facts', async () => {
      const facts = await extractMetadata(corpus.jpegOrientation6, 'image', DEFAULT_MEDIA_LIMITS);
      const j = MADE_WITH.jpeg;
      expect(facts).toMatchObject({ family: 'image', width: j.storedHeight, height: j.storedWidth, keywords: [...j.keywords] });
      if (facts.family !== 'image') throw new Error('unreachable');
      expect(facts.image).toMatchObject({
        orientation: 6,
        camera: { make: j.make, model: j.model },
        lens: j.lens,
        copyright: j.copyright,
        colourProfile: 'sRGB',
        bitDepth: 8,
      });
      expect(facts.image.captureTime).toMatch(/^2024-05-0[56]T/);
      expect(facts.image.gps!.latitude).toBeCloseTo(j.latitude, 4);
      expect(facts.image.gps!.longitude).toBeCloseTo(j.longitude, 4);

      const { made, meta } = await derive(corpus.jpegOrientation6, 'thumbnail');
      expect(meta.format).toBe('jpeg');
      expect([meta.width, meta.height]).toEqual([171, 256]);
      expect([made.width, made.height]).toEqual([171, 256]);
      expect(meta.orientation ?? 1).toBe(1);
      // The stored top-left red quarter ends up top-right after a clockwise quarter turn.
      expect(near(await pixel(made.path, 160, 10), RED)).toBe(true);
      expect(near(await pixel(made.path, 10, 10), BLUE)).toBe(true);
      expect(near(await pixel(made.path, 160, 240), BLUE)).toBe(true);

      const large = await derive(corpus.jpegOrientation6, 'preview');
      // Never enlarged: the original is 400 × 600 as displayed.
      expect([large.meta.width, large.meta.height]).toEqual([400, 600]);
    });

    it('CMYK JPEG: converted to sRGB with three channels', async () => {
      const facts = await extractMetadata(corpus.cmykJpeg, 'image', DEFAULT_MEDIA_LIMITS);
      expect(facts.family === 'image' && facts.image.colourSpace).toBe('cmyk');
      const { made, meta } = await derive(corpus.cmykJpeg, 'thumbnail');
      expect(meta).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3, width: 256, height: 192 });
      expect(near(await pixel(made.path, 10, 10), RED, 40)).toBe(true);
    });

    it('16-bit TIFF: facts say 16 bits, derivatives are 8-bit sRGB', async () => {
      const facts = await extractMetadata(corpus.tiff16, 'image', DEFAULT_MEDIA_LIMITS);
      expect(facts.family === 'image' && facts.image).toMatchObject({ bitDepth: 16, width: 1000, height: 800, format: 'tiff' });
      const { meta } = await derive(corpus.tiff16, 'preview');
      expect(meta).toMatchObject({ format: 'jpeg', depth: 'uchar', space: 'srgb', width: 1000, height: 800 });
    });

    it('PNG with alpha: transparency survives in a PNG derivative', async () => {
      const { made, meta } = await derive(corpus.pngAlpha, 'thumbnail');
      expect(meta).toMatchObject({ format: 'png', hasAlpha: true, width: 256, height: 256 });
      expect(await pixel(made.path, 250, 128)).toHaveLength(4);
      expect((await pixel(made.path, 250, 128))[3]).toBe(0);
      expect(near(await pixel(made.path, 5, 128), [0, 200, 0, 255])).toBe(true);
    });

    it('SVG: rasterised sharp at the preset size, not upscaled from its nominal 200 px', async () => {
      const facts = await extractMetadata(corpus.svg, 'image', DEFAULT_MEDIA_LIMITS);
      expect(facts).toMatchObject({ width: MADE_WITH.svg.width, height: MADE_WITH.svg.height });
      const { made, meta } = await derive(corpus.svg, 'preview');
      expect([meta.width, meta.height]).toEqual([1600, 800]);
      expect(meta.hasAlpha).toBe(true);
      expect(near(await pixel(made.path, 10, 10), [255, 0, 0, 255])).toBe(true);
      expect(near(await pixel(made.path, 1200, 400), [0, 0, 255, 255])).toBe(true);
    });
  });

  describe('Photoshop documents', () => {
    it('layered PSD: dimensions, colour mode, layers top-down, and derivatives from the merged composite', async () => {
      const facts = await extractMetadata(corpus.psd, 'psd', DEFAULT_MEDIA_LIMITS);
      const p = MADE_WITH.psd;
      expect(facts).toMatchObject({ family: 'psd', width: p.width, height: p.height });
      expect(facts.family === 'psd' && facts.psd).toMatchObject({
        format: 'psd',
        colourMode: 'rgb',
        bitDepth: 8,
        layerCount: 3,
        layerNames: [...p.layers].reverse(),
      });
      const { made, meta } = await derive(corpus.psd, 'thumbnail');
      expect(meta).toMatchObject({ format: 'jpeg', width: 256, height: 171, space: 'srgb' });
      // The composite is orange; the layers alone are other colours.
      expect(near(await pixel(made.path, 128, 85), [240, 120, 0])).toBe(true);
    });

    it('PSB (large document format): read through the same path', async () => {
      const facts = await extractMetadata(corpus.psb, 'psd', DEFAULT_MEDIA_LIMITS);
      expect(facts.family === 'psd' && facts.psd).toMatchObject({ format: 'psb', width: MADE_WITH.psb.width, height: MADE_WITH.psb.height, layerNames: ['Only'] });
      const { made, meta } = await derive(corpus.psb, 'preview');
      expect([meta.width, meta.height]).toEqual([640, 480]);
      expect(near(await pixel(made.path, 320, 240), [0, 128, 255])).toBe(true);
    });
  });

  describe('PDF', () => {
    it('page count and first page size; thumbnail and preview of page 1', async () => {
      const facts = await extractMetadata(corpus.pdf, 'pdf', DEFAULT_MEDIA_LIMITS);
      const p = MADE_WITH.pdf;
      expect(facts.family === 'pdf' && facts.pdf).toMatchObject({ pageCount: p.pages, pageWidth: p.width, pageHeight: p.height, title: p.title });
      const small = await derive(corpus.pdf, 'thumbnail');
      expect(small.meta.height).toBe(256);
      // pdftoppm rounds the short side up.
      expect(Math.abs(small.meta.width! - (256 * p.width) / p.height)).toBeLessThanOrEqual(1);
      const large = await derive(corpus.pdf, 'preview');
      expect(large.meta).toMatchObject({ format: 'jpeg', height: 1600 });
      // Page 1's top half is red, its bottom half white.
      expect(near(await pixel(large.made.path, 500, 200), RED)).toBe(true);
      expect(near(await pixel(large.made.path, 500, 1500), [255, 255, 255])).toBe(true);
    });
  });
});

describe('stored facts', () => {
  it('a derivative uses the facts the metadata job stored instead of reading the header again', async () => {
    const facts = await extractMetadata(corpus.svg, 'image', DEFAULT_MEDIA_LIMITS);
    if (facts.family !== 'image') throw new Error('unreachable');
    const svg = await makeDerivative(corpus.svg, 'image', 'preview', preview, DEFAULT_MEDIA_LIMITS, {
      outDir: await mkdtemp(path.join(outDir, 'stored-svg-')),
      stillFacts: facts.image,
    });
    expect([svg.width, svg.height]).toEqual([1600, 800]);
    // The stored facts decide: told there is no transparency, a transparent PNG becomes a JPEG.
    const png = await makeDerivative(corpus.pngAlpha, 'image', 'thumbnail', thumbnail, DEFAULT_MEDIA_LIMITS, {
      outDir: await mkdtemp(path.join(outDir, 'stored-png-')),
      stillFacts: { format: 'png', hasAlpha: false, width: 512, height: 512 },
    });
    expect(png.mimeType).toBe('image/jpeg');
  });
});

describe('one decode shared by the still presets of a job', () => {
  it('decodes the original once: the second preset is made from the pixels already decoded', async () => {
    const dir = await mkdtemp(path.join(outDir, 'shared-once-'));
    const original = path.join(dir, 'transparent.png');
    await copyFile(corpus.pngAlpha, original);
    const sharedStill = sharedStillFor([thumbnail, preview])!;
    const stillFacts = { format: 'png', hasAlpha: true, width: 500, height: 500 };
    const large = await makeDerivative(original, 'image', 'preview', preview, DEFAULT_MEDIA_LIMITS, { outDir: dir, sharedStill, stillFacts });
    expect([large.width, large.height, large.mimeType]).toEqual([500, 500, 'image/png']);
    // The original is gone: only the shared decode can still make the thumbnail.
    await writeFile(original, randomBytes(4096));
    const small = await makeDerivative(original, 'image', 'thumbnail', thumbnail, DEFAULT_MEDIA_LIMITS, { outDir: dir, sharedStill, stillFacts });
    expect([small.width, small.height, small.mimeType]).toEqual([256, 256, 'image/png']);
    expect((await pixel(small.path, 250, 128))[3]).toBe(0);
    expect(near(await pixel(small.path, 5, 128), [0, 200, 0, 255])).toBe(true);
  });

  it('decodes a JPEG again for each preset (it decodes straight to a fraction of its size)', async () => {
    const dir = await mkdtemp(path.join(outDir, 'shared-jpeg-'));
    const original = path.join(dir, 'portrait.jpg');
    await copyFile(corpus.jpegOrientation6, original);
    const sharedStill = sharedStillFor([thumbnail, preview])!;
    const stillFacts = { format: 'jpeg', hasAlpha: false, width: 400, height: 600 };
    await makeDerivative(original, 'image', 'preview', preview, DEFAULT_MEDIA_LIMITS, { outDir: dir, sharedStill, stillFacts });
    await writeFile(original, randomBytes(4096));
    const failed = await makeDerivative(original, 'image', 'thumbnail', thumbnail, DEFAULT_MEDIA_LIMITS, { outDir: dir, sharedStill, stillFacts }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ reason: expect.stringMatching(/corrupt-file|unsupported-format/) });
  });

  it('fails every preset that shares a decode of a damaged original, each with the reason', async () => {
    const dir = await mkdtemp(path.join(outDir, 'shared-corrupt-'));
    const sharedStill = sharedStillFor([thumbnail, preview])!;
    for (const [name, spec] of [['thumbnail', thumbnail], ['preview', preview]] as const) {
      const failed = await makeDerivative(corpus.truncatedJpeg, 'image', name, spec, DEFAULT_MEDIA_LIMITS, { outDir: dir, sharedStill }).catch((e: unknown) => e);
      expect(failed).toMatchObject({ reason: 'corrupt-file', message: expect.stringMatching(/damaged or incomplete/i) });
    }
  });

  it('is shared only by two or more still presets, and only up to 4096 px', () => {
    expect(sharedStillFor([thumbnail, preview])?.size).toBe(preview.size);
    expect(sharedStillFor([thumbnail])).toBeUndefined();
    expect(sharedStillFor([thumbnail, { type: 'proxy', shortSide: 720, crf: 23, speed: 'veryfast', audioBitrateKbps: 128 }])).toBeUndefined();
    expect(sharedStillFor([thumbnail, { ...preview, size: 6000 }])).toBeUndefined();
  });
});
