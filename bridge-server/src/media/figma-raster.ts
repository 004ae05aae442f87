import sharp from 'sharp';
import { BRAND_MAX_IMAGE_SIDE, StockroomError } from '@stockroom/shared-types';

export interface FigmaRaster {
  bytes: Buffer;
  mimeType: 'image/png' | 'image/jpeg' | 'image/gif';
  width: number;
  height: number;
  /** True when the server changed the file (downscaled or converted). */
  converted: boolean;
}

/**
 * An image Figma's createImage accepts: PNG, JPEG or GIF, at most 4096 px a side.
 * A file that already is one is passed through unchanged; anything else is decoded
 * once (EXIF orientation applied) and written as PNG when it has transparency, else JPEG.
 */
export async function toFigmaRaster(input: Buffer, options: { maxPixels: number; name: string }): Promise<FigmaRaster> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: options.maxPixels }).metadata();
  } catch {
    throw unreadable(options.name);
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  const native = meta.format === 'png' || meta.format === 'jpeg' || meta.format === 'gif';
  const fits = width <= BRAND_MAX_IMAGE_SIDE && height <= BRAND_MAX_IMAGE_SIDE;
  if (native && fits && (meta.orientation ?? 1) === 1) {
    return { bytes: input, mimeType: `image/${meta.format as 'png' | 'jpeg' | 'gif'}`, width, height, converted: false };
  }
  try {
    const pipeline = sharp(input, { limitInputPixels: options.maxPixels })
      .rotate()
      .resize({ width: BRAND_MAX_IMAGE_SIDE, height: BRAND_MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    const out = meta.hasAlpha
      ? await pipeline.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true })
      : await pipeline.jpeg({ quality: 90, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    return { bytes: out.data, mimeType: meta.hasAlpha ? 'image/png' : 'image/jpeg', width: out.info.width, height: out.info.height, converted: true };
  } catch {
    throw unreadable(options.name);
  }
}

function unreadable(name: string): StockroomError {
  return new StockroomError(
    'ASSET_UNAVAILABLE',
    `“${name}” cannot be placed as an image: the server cannot read it as a picture, or it is larger than the server's pixel limit. Ask for a PNG or JPEG version.`,
    { reason: 'unreadable-image' },
  );
}
