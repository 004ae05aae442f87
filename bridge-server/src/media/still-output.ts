import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { DerivativeFile } from './derivative-file.ts';
import { mediaErrorFromSharp } from './sharp-errors.ts';

type StillFormat = 'auto' | 'jpeg' | 'png' | 'webp';

export interface StillOutputOptions {
  name: string;
  outDir: string;
  /** Longest side; the picture is never enlarged. */
  size: number;
  format: StillFormat;
  quality: number;
  /** Whether the source has transparency worth keeping. */
  hasAlpha: boolean;
  timeoutMs: number;
}

const MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

/**
 * Orients (EXIF), fits inside `size`, converts to sRGB 8-bit and encodes. JPEG cannot hold
 * alpha, so `auto` picks PNG for transparent sources and JPEG otherwise.
 */
export async function writeStill(image: Sharp, options: StillOutputOptions): Promise<DerivativeFile> {
  const format = options.format === 'auto' ? (options.hasAlpha ? 'png' : 'jpeg') : options.format;
  const file = path.join(options.outDir, `${options.name}.${format === 'jpeg' ? 'jpg' : format}`);
  let pipeline = image
    .rotate()
    .resize(options.size, options.size, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .withIccProfile('srgb')
    .timeout({ seconds: Math.max(1, Math.ceil(options.timeoutMs / 1000)) });
  if (format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: options.quality });
  else if (format === 'png') pipeline = pipeline.png({ compressionLevel: 6 });
  else pipeline = pipeline.webp({ quality: options.quality });
  try {
    const info = await pipeline.toFile(file);
    return { path: file, mimeType: MIME[format], width: info.width, height: info.height, durationSeconds: null, data: {} };
  } catch (error) {
    throw mediaErrorFromSharp(error);
  }
}
