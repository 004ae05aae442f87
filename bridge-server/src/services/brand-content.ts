import type { BlobStore } from '../ports/blob-store.ts';
import { blobNotFound } from '../ports/blob-store.ts';
import { toFigmaRaster } from '../media/figma-raster.ts';
import { MAX_SVG_BYTES, sanitiseSvg } from '../media/svg-sanitise.ts';
import { StockroomError } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { BrandKitsService, InsertableVariant } from './brand-kits.ts';

/** Originals larger than this are not turned into an image fill on request. */
const MAX_RASTER_SOURCE_BYTES = 256 * 1024 * 1024;

export interface InsertableContent {
  variant: InsertableVariant;
  insertAs: 'vector' | 'image';
  bytes: Buffer;
  mimeType: string;
  /** What sanitising took out of an SVG, in words. */
  removed: string[];
}

/** The bytes a design tool inserts for a brand kit entry: a sanitised SVG, or a PNG/JPEG/GIF of at most 4096 px a side. */
export class BrandContentService {
  constructor(
    private readonly kits: BrandKitsService,
    private readonly blobStore: BlobStore,
    private readonly limits: { maxPixels: number },
  ) {}

  async insertable(actor: Actor, collectionId: string, entryId: string, variantName?: string): Promise<InsertableContent> {
    const variant = await this.kits.insertable(actor, collectionId, entryId, variantName);
    const { version } = variant;
    const isSvg = version.mimeType === 'image/svg+xml' || /\.svg$/i.test(version.fileName);
    if (isSvg) {
      const bytes = await this.read(version.sha256, version.size, MAX_SVG_BYTES + 1);
      const { svg, removed } = await sanitiseSvg(bytes, `“${version.fileName}”`);
      return { variant, insertAs: 'vector', bytes: Buffer.from(svg, 'utf8'), mimeType: 'image/svg+xml', removed };
    }
    if (!version.mimeType.startsWith('image/')) {
      throw new StockroomError('ASSET_UNAVAILABLE', `“${version.fileName}” is not an image or an SVG, so it cannot be placed on a canvas.`, {
        mimeType: version.mimeType,
      });
    }
    const bytes = await this.read(version.sha256, version.size, MAX_RASTER_SOURCE_BYTES);
    const raster = await toFigmaRaster(bytes, { maxPixels: this.limits.maxPixels, name: version.fileName });
    return { variant, insertAs: 'image', bytes: raster.bytes, mimeType: raster.mimeType, removed: [] };
  }

  private async read(sha256: string, size: number, limit: number): Promise<Buffer> {
    if (size > limit) {
      throw new StockroomError('ASSET_UNAVAILABLE', `This file is too large (${Math.round(size / 1024 / 1024)} MB) to be placed; ask for a smaller version.`, {
        size,
      });
    }
    if (!(await this.blobStore.has(sha256))) throw blobNotFound(sha256);
    const stream = await this.blobStore.createReadStream(sha256);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
}
