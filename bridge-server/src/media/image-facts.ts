import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import { MediaError } from './errors.ts';
import type { MediaLimits } from './limits.ts';
import { mediaErrorFromSharp } from './sharp-errors.ts';

interface GpsFacts {
  latitude: number;
  longitude: number;
  altitude: number | null;
}

export interface ImageFacts {
  format: string;
  /** Size as shown, after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** EXIF orientation tag (1–8), 1 when absent. */
  orientation: number;
  hasAlpha: boolean;
  channels: number;
  /** Bits per channel. */
  bitDepth: number;
  /** libvips interpretation: srgb, cmyk, rgb16, b-w, grey16, ... */
  colourSpace: string;
  colourProfile: string | null;
  pages: number;
  camera: { make: string | null; model: string | null } | null;
  lens: string | null;
  captureTime: string | null;
  copyright: string | null;
  creator: string | null;
  title: string | null;
  description: string | null;
  keywords: string[];
  gps: GpsFacts | null;
}

const BIT_DEPTH: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

/** Dimensions, colour and EXIF/IPTC/XMP facts of a still image readable by libvips. */
export async function extractImageFacts(input: string, limits: Pick<MediaLimits, 'maxPixels'>): Promise<ImageFacts> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw mediaErrorFromSharp(error);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  assertPixelsWithinLimit(width, height, limits);
  const tags = await readEmbeddedTags(input);
  const orientation = meta.orientation ?? 1;
  const swapped = orientation >= 5;
  return {
    format: meta.format ?? 'unknown',
    width: meta.autoOrient?.width ?? (swapped ? height : width),
    height: meta.autoOrient?.height ?? (swapped ? width : height),
    orientation,
    hasAlpha: meta.hasAlpha ?? false,
    channels: meta.channels ?? 0,
    bitDepth: BIT_DEPTH[meta.depth ?? 'uchar'] ?? 8,
    colourSpace: meta.space ?? 'unknown',
    colourProfile: text(tags.ProfileDescription),
    pages: meta.pages ?? 1,
    camera: tags.Make || tags.Model ? { make: text(tags.Make), model: text(tags.Model) } : null,
    lens: text(tags.LensModel) ?? text(tags.Lens),
    captureTime: date(tags.DateTimeOriginal) ?? date(tags.CreateDate) ?? date(tags.DateCreated),
    copyright: text(tags.Copyright) ?? text(tags.rights) ?? text(tags.CopyrightNotice),
    creator: text(tags.Artist) ?? text(tags.creator) ?? text(tags.Byline),
    title: text(tags.title) ?? text(tags.ObjectName),
    description: text(tags.ImageDescription) ?? text(tags.description) ?? text(tags.Caption),
    keywords: keywordsOf(tags),
    gps: gpsOf(tags),
  };
}

export function assertPixelsWithinLimit(width: number, height: number, limits: Pick<MediaLimits, 'maxPixels'>): void {
  if (width * height > limits.maxPixels) {
    throw new MediaError(
      'too-many-pixels',
      `The image is ${width} × ${height} pixels, more than the ${Math.round(limits.maxPixels / 1e6)} MP this server decodes. Raise the pixel limit or upload a smaller file.`,
    );
  }
}

type Tags = Record<string, unknown>;

async function readEmbeddedTags(input: string): Promise<Tags> {
  try {
    const parsed: unknown = await exifr.parse(input, {
      tiff: true,
      exif: true,
      gps: true,
      iptc: true,
      xmp: true,
      icc: true,
      ifd1: false,
      mergeOutput: true,
    });
    return (parsed ?? {}) as Tags;
  } catch {
    // Formats without EXIF containers (SVG, some GIFs) or damaged tag blocks: the pixels may still be fine.
    return {};
  }
}

/** IPTC Keywords and XMP dc:subject, merged, trimmed and without duplicates. */
function keywordsOf(tags: Tags): string[] {
  const all = [tags.Keywords, tags.subject].flatMap((value) => (Array.isArray(value) ? value : value ? [value] : []));
  return [...new Set(all.map((k) => String(k).trim()).filter((k) => k.length > 0))];
}

function gpsOf(tags: Tags): GpsFacts | null {
  const { latitude, longitude } = tags;
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || !Number.isFinite(latitude + longitude)) return null;
  return { latitude, longitude, altitude: typeof tags.GPSAltitude === 'number' ? tags.GPSAltitude : null };
}

/** XMP language alternatives come back as `{ lang, value }`; everything else as a scalar. */
function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'object' && 'value' in value) return text((value as { value: unknown }).value);
  if (typeof value === 'object') return null;
  const s = String(value).trim();
  return s.length > 0 ? s : null;
}

function date(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}
