import sharp, { type Sharp } from 'sharp';
import type { DerivativeContext, DerivativeFile } from './derivative-file.ts';
import type { MediaFamily } from './families.ts';
import type { MediaLimits } from './limits.ts';
import { renderFirstPage } from './pdf.ts';
import type { ImagePreset } from './presets.ts';
import { openPsdComposite } from './psd.ts';
import { mediaErrorFromSharp } from './sharp-errors.ts';
import type { StoredStillFacts } from './stored-still-facts.ts';
import { decodeMaster, openMaster, type SharedStill } from './still-master.ts';
import { writeStill } from './still-output.ts';

/** Thumbnail or preview of an image, a PSD/PSB composite or a PDF's first page. */
export async function makeStillDerivative(
  input: string,
  family: MediaFamily,
  name: string,
  preset: ImagePreset,
  limits: MediaLimits,
  context: DerivativeContext,
): Promise<DerivativeFile> {
  const shared = context.sharedStill;
  const { image, hasAlpha } =
    shared && preset.size <= shared.size && !decodesSmallCheaply(family, context.stillFacts)
      ? await openShared(shared, () => openStill(input, family, shared.size, limits, context), limits)
      : await openStill(input, family, preset.size, limits, context);
  return writeStill(image, { name, outDir: context.outDir, size: preset.size, format: preset.format, quality: preset.quality, hasAlpha, timeoutMs: limits.timeoutMs });
}

/**
 * A JPEG decodes straight to 1/2, 1/4 or 1/8 of its size (DCT scaling), so a second decode
 * for the thumbnail is cheap (about 14 % of the pair) while keeping the decoded pixels
 * means a buffer of megabytes per image for the garbage collector: over 200 JPEGs the
 * worker's main thread spent 1.5 s collecting instead of 0.1 s, pauses that the server's
 * clients share in the default all-in-one role. Other formats decode at full size each time.
 */
function decodesSmallCheaply(family: MediaFamily, facts: StoredStillFacts | null | undefined): boolean {
  return family === 'image' && facts?.format === 'jpeg';
}

async function openShared(
  shared: SharedStill,
  open: () => Promise<{ image: Sharp; hasAlpha: boolean }>,
  limits: MediaLimits,
): Promise<{ image: Sharp; hasAlpha: boolean }> {
  const master = await shared.master(async () => {
    const { image, hasAlpha } = await open();
    try {
      return await decodeMaster(image, shared.size, hasAlpha, limits.timeoutMs);
    } catch (error) {
      throw mediaErrorFromSharp(error);
    }
  });
  return { image: openMaster(master), hasAlpha: master.hasAlpha };
}

async function openStill(
  input: string,
  family: MediaFamily,
  size: number,
  limits: MediaLimits,
  context: DerivativeContext,
): Promise<{ image: Sharp; hasAlpha: boolean }> {
  if (family === 'psd') {
    const image = await openPsdComposite(input, limits);
    return { image, hasAlpha: !(await isOpaque(image)) };
  }
  if (family === 'pdf') return { image: await renderFirstPage(input, size, limits, context.signal), hasAlpha: false };
  try {
    const meta = context.stillFacts ?? (await sharp(input, { limitInputPixels: limits.maxPixels }).metadata());
    // Vector sources are rasterised at the density that makes their longest side `size`.
    const vectorDensity =
      meta.format === 'svg' && meta.width && meta.height ? Math.min(2400, Math.max(72, (72 * size) / Math.max(meta.width, meta.height))) : undefined;
    const image = sharp(input, { limitInputPixels: limits.maxPixels, ...(vectorDensity ? { density: vectorDensity } : {}) });
    return { image, hasAlpha: meta.hasAlpha ?? false };
  } catch (error) {
    throw mediaErrorFromSharp(error);
  }
}

/** PSD composites always decode as RGBA; only a real transparency is worth a PNG. */
async function isOpaque(image: Sharp): Promise<boolean> {
  const stats = await image.clone().stats();
  return stats.isOpaque;
}
