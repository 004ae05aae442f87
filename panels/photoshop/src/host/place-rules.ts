import type { PlaceCandidate } from '@stockroom/panels-core/host';

/** What Photoshop's Place command opens: pixels, vectors, PDF pages and video (as a video smart object). */
const PLACEABLE_EXTENSIONS = /\.(png|jpe?g|gif|webp|tiff?|bmp|heic|heif|avif|psd|psb|pdf|ai|eps|svg|mp4|mov|m4v|avi|webm|mkv)$/i;

/** Why Photoshop cannot place this file, in words the person can act on; null when it can. */
export function photoshopCannotPlace(file: PlaceCandidate): string | null {
  if (file.kind === 'audio' || file.mimeType.startsWith('audio/')) {
    return 'Photoshop cannot place sound. Use it in Premiere Pro, or download it from the dashboard.';
  }
  if (file.kind === 'font') return 'Photoshop cannot place a font file. Install the font on this computer to use it.';
  if (PLACEABLE_EXTENSIONS.test(file.originalName) || file.mimeType.startsWith('image/') || file.mimeType === 'application/pdf') return null;
  const extension = /\.([^.]+)$/.exec(file.originalName)?.[1]?.toUpperCase();
  return `Photoshop cannot place ${extension ? `${extension} files` : 'this kind of file'}. Place images, PDF, Illustrator or Photoshop files.`;
}
