import sharp, { type Sharp } from 'sharp';
import type { DerivativeContext, DerivativeFile } from './derivative-file.ts';
import type { MediaFamily } from './families.ts';
import type { MediaLimits } from './limits.ts';
import { renderFirstPage } from './pdf.ts';
import type { ImagePreset } from './presets.ts';
import { openPsdComposite } from './psd.ts';
import { mediaErrorFromSharp } from './sharp-errors.ts';
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
  const { image, hasAlpha } = await openStill(input, family, preset.size, limits, context);
  return writeStill(image, {
    name,
    outDir: context.outDir,
    size: preset.size,
    format: preset.format,
    quality: preset.quality,
    hasAlpha,
    timeoutMs: limits.timeoutMs,
  });
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
