import type { ImagePreset, PosterPreset } from './presets.ts';

/** A still this job has made already (an image's preview, a video's poster), that its smaller presets are resized from. */
export interface LargerStill {
  path: string;
  mimeType: string;
  spec: ImagePreset | PosterPreset;
  /** What the file's record says beside it (a poster's frame time), the same for a smaller copy. */
  data: Record<string, unknown>;
}

/**
 * Whether `spec` may be made from `larger` instead of from the original: a 256 px thumbnail
 * from the 1600 px preview instead of from a 24 MP photo, a video's 256 px thumbnail from its
 * 1600 px poster of the same frame instead of seeking and decoding the video again. Decoding
 * the original is most of a thumbnail's cost (a JPEG's whole entropy stream, a PNG or PSD at
 * full size, an ffmpeg start and seek); the larger still decodes in a few milliseconds, and
 * at a sixth of its size its compression leaves no trace. Never when it would enlarge, nor
 * when a JPEG (no transparency) would stand in for a source whose transparency the preset keeps.
 */
export function canResizeFrom(larger: LargerStill, spec: ImagePreset | PosterPreset): boolean {
  if (spec.type !== larger.spec.type || spec.size > larger.spec.size) return false;
  // A poster is a frame of a video: opaque, and the same frame only at the same place.
  if (spec.type === 'poster') return larger.spec.type === 'poster' && spec.at === larger.spec.at;
  if (larger.mimeType !== 'image/jpeg') return true;
  // `auto` gave a JPEG, so the source is opaque: another `auto` preset would be a JPEG too.
  return spec.format === 'jpeg' || (spec.format === 'auto' && larger.spec.format === 'auto');
}

/** The preset that makes `spec`'s file from a larger still: the same size, format and quality. */
export function asImagePreset(spec: ImagePreset | PosterPreset): ImagePreset {
  return { type: 'image', size: spec.size, format: spec.format, quality: spec.quality };
}
