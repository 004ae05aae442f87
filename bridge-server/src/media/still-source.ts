import type { ImagePreset } from './presets.ts';

/** A still derivative this job has made already, that its smaller still presets are resized from. */
export interface LargerStill {
  path: string;
  mimeType: string;
  spec: ImagePreset;
}

/**
 * Whether `spec` may be made from `larger` instead of from the original: a 256 px thumbnail
 * from the 1600 px preview instead of from a 24 MP photo. Decoding the original again is
 * most of a thumbnail's cost (a JPEG's whole entropy stream, a PNG or PSD at full size);
 * the preview decodes in a few milliseconds, and at a sixth of its size its compression
 * leaves no trace. Never when it would enlarge, nor when a JPEG (no transparency) would
 * stand in for a source whose transparency the preset keeps.
 */
export function canResizeFrom(larger: LargerStill, spec: ImagePreset): boolean {
  if (spec.size > larger.spec.size) return false;
  if (larger.mimeType !== 'image/jpeg') return true;
  // `auto` gave a JPEG, so the source is opaque: another `auto` preset would be a JPEG too.
  return spec.format === 'jpeg' || (spec.format === 'auto' && larger.spec.format === 'auto');
}
