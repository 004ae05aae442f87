import sharp, { type Sharp } from 'sharp';
import type { PresetSpec } from './presets.ts';

/**
 * Presets up to this size share one decode; beyond it the decoded picture (4 bytes a pixel)
 * would hold more memory than decoding again costs time.
 */
const MAX_SHARED_SIZE = 4096;

/** A still source decoded once: oriented, sRGB, 8-bit, fitted inside the job's largest still preset. */
export interface StillMaster {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  hasAlpha: boolean;
}

/**
 * The decoded picture that every still preset of one job is resized from. A PNG, TIFF, WebP
 * or PSD composite is decoded at full size for each preset, so a version's thumbnail is
 * made from the pixels already decoded for its preview: 40–50 % less CPU for the pair
 * (docs/benchmarks.md, "Shared decode"). JPEGs do not use it (see still-derivative.ts).
 * libvips shares no decode between two pipelines, and sharp's `clone()` decodes again for
 * each output, hence this small cache of our own.
 */
export class SharedStill {
  private decoded: Promise<StillMaster> | null = null;

  constructor(
    /** The longest side the shared picture is fitted inside. */
    readonly size: number,
  ) {}

  /** The job's decoded picture, decoded by `decode` the first time it is asked for. */
  master(decode: () => Promise<StillMaster>): Promise<StillMaster> {
    this.decoded ??= decode();
    return this.decoded;
  }
}

/** A shared decode for these presets of one job, when two or more still presets can share it. */
export function sharedStillFor(specs: PresetSpec[]): SharedStill | undefined {
  const sizes = specs.filter((s) => s.type === 'image').map((s) => s.size);
  if (sizes.length < 2) return undefined;
  const largest = Math.max(...sizes);
  return largest <= MAX_SHARED_SIZE ? new SharedStill(largest) : undefined;
}

/** Decodes an opened still into the shared picture; `image` is the original as opened for a single preset. */
export async function decodeMaster(image: Sharp, size: number, hasAlpha: boolean, timeoutMs: number): Promise<StillMaster> {
  const { data, info } = await image
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .timeout({ seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, hasAlpha };
}

export function openMaster(master: StillMaster): Sharp {
  return sharp(master.data, { raw: { width: master.width, height: master.height, channels: master.channels } });
}
