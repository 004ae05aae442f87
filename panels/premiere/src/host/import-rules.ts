import type { PlaceCandidate } from '@stockroom/panels-core/host';

/** What Premiere Pro imports into a project: video, sound and stills (layered files as stills or sequences). */
const IMPORTABLE_EXTENSIONS = /\.(mp4|mov|m4v|mxf|avi|webm|mkv|mts|wav|mp3|ogg|oga|flac|aac|m4a|aiff?|png|jpe?g|gif|tiff?|bmp|psd|ai|eps|svg|heic)$/i;

/** Why Premiere Pro cannot import this file, in words the person can act on; null when it can. */
export function premiereCannotImport(file: PlaceCandidate): string | null {
  if (file.kind === 'font') return 'Premiere Pro cannot import a font file. Install the font on this computer to use it in titles.';
  if (IMPORTABLE_EXTENSIONS.test(file.originalName) || /^(video|audio|image)\//.test(file.mimeType)) return null;
  const extension = /\.([^.]+)$/.exec(file.originalName)?.[1]?.toUpperCase();
  return `Premiere Pro cannot import ${extension ? `${extension} files` : 'this kind of file'}. Import video, sound or images.`;
}
