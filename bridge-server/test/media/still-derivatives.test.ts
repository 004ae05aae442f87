import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractMetadata } from '../../src/media/extract-metadata.ts';
import { mediaFamilyOf } from '../../src/media/families.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../src/media/limits.ts';
import { makeDerivative } from '../../src/media/make-derivative.ts';
import { DEFAULT_PRESETS, type ImagePreset, type PosterPreset } from '../../src/media/presets.ts';
import { canResizeFrom } from '../../src/media/still-source.ts';
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

async function derive(file: string, name: 'thumbnail' | 'preview') {
  const out = await mkdtemp(path.join(outDir, `${name}-`));
  const made = await makeDerivative(file, mediaFamilyOf(file), name, name === 'thumbnail' ? thumbnail : preview, DEFAULT_MEDIA_LIMITS, { outDir: out });
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
    expect(facts.family === 'psd' && facts.psd).toMatchObject({
      format: 'psb',
      width: MADE_WITH.psb.width,
      height: MADE_WITH.psb.height,
      layerNames: ['Only'],
    });
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

describe('smaller presets resized from the preview', () => {
  const made = (mimeType: string, format: ImagePreset['format'] = 'auto') => ({ path: 'preview', mimeType, spec: { ...preview, format }, data: {} });

  it('makes the thumbnail from the preview file: oriented, in sRGB, transparency kept', async () => {
    const dir = await mkdtemp(path.join(outDir, 'from-preview-'));
    for (const [file, name] of [
      [corpus.jpegOrientation6, 'portrait'],
      [corpus.pngAlpha, 'cutout'],
      [corpus.cmykJpeg, 'cmyk'],
    ] as const) {
      const large = await makeDerivative(file, 'image', `${name}-preview`, preview, DEFAULT_MEDIA_LIMITS, { outDir: dir });
      expect(canResizeFrom({ path: large.path, mimeType: large.mimeType, spec: preview, data: {} }, thumbnail)).toBe(true);
      const small = await makeDerivative(large.path, 'image', `${name}-thumbnail`, thumbnail, DEFAULT_MEDIA_LIMITS, { outDir: dir });
      const meta = await sharp(small.path).metadata();
      if (name === 'portrait') {
        expect([meta.width, meta.height, meta.format]).toEqual([171, 256, 'jpeg']);
        expect(near(await pixel(small.path, 160, 10), RED)).toBe(true);
        expect(near(await pixel(small.path, 10, 10), BLUE)).toBe(true);
      } else if (name === 'cutout') {
        expect(meta).toMatchObject({ format: 'png', hasAlpha: true, width: 256, height: 256 });
        expect((await pixel(small.path, 250, 128))[3]).toBe(0);
        expect(near(await pixel(small.path, 5, 128), [0, 200, 0, 255])).toBe(true);
      } else {
        expect(meta).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3, width: 256, height: 192 });
        expect(near(await pixel(small.path, 10, 10), RED, 40)).toBe(true);
      }
    }
  });

  it('never enlarges, and never lets a JPEG stand in where transparency is kept', () => {
    expect(canResizeFrom(made('image/jpeg'), thumbnail)).toBe(true);
    expect(canResizeFrom(made('image/png'), { ...thumbnail, format: 'png' })).toBe(true);
    expect(canResizeFrom(made('image/jpeg'), { ...preview, size: 2048 })).toBe(false);
    // A preview forced to JPEG says nothing about the source's transparency.
    expect(canResizeFrom(made('image/jpeg', 'jpeg'), thumbnail)).toBe(false);
    expect(canResizeFrom(made('image/jpeg'), { ...thumbnail, format: 'png' })).toBe(false);
    expect(canResizeFrom(made('image/jpeg', 'jpeg'), { ...thumbnail, format: 'jpeg' })).toBe(true);
  });

  it('makes a video thumbnail from the poster of the same frame only', () => {
    const poster = DEFAULT_PRESETS.video.poster as PosterPreset;
    const videoThumbnail = DEFAULT_PRESETS.video.thumbnail as PosterPreset;
    const madePoster = { path: 'poster', mimeType: 'image/jpeg', spec: poster, data: { seconds: 0.1 } };
    expect(canResizeFrom(madePoster, videoThumbnail)).toBe(true);
    expect(canResizeFrom(madePoster, { ...videoThumbnail, at: 0.5 })).toBe(false);
    expect(canResizeFrom(madePoster, thumbnail)).toBe(false); // an image preset never comes from a poster
    expect(canResizeFrom(made('image/jpeg'), videoThumbnail)).toBe(false);
  });
});
