import type { AssetKind } from '@stockroom/shared-types';

const DESIGN_TYPES = new Set([
  'image/vnd.adobe.photoshop',
  'application/x-photoshop',
  'application/photoshop',
  'application/postscript',
  'application/illustrator',
  'application/x-indesign',
  'application/x-premiere-project',
]);
const DESIGN_EXTENSIONS = new Set(['psd', 'psb', 'ai', 'indd', 'prproj', 'aep', 'fig', 'sketch', 'xd']);
const DOCUMENT_EXTENSIONS = new Set(['pdf', 'doc', 'docx', 'txt', 'md', 'rtf', 'pptx', 'key', 'xlsx']);

/** The kind an asset gets from its first file, when the caller does not say. */
export function inferKind(mimeType: string, fileName: string): AssetKind {
  const ext = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  if (DESIGN_TYPES.has(mimeType) || DESIGN_EXTENSIONS.has(ext)) return 'design';
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('font/') || ['ttf', 'otf', 'woff', 'woff2'].includes(ext)) return 'font';
  if (mimeType === 'application/pdf' || mimeType.startsWith('text/') || DOCUMENT_EXTENSIONS.has(ext)) return 'document';
  return 'other';
}

/** The asset's display name from a file name: without the extension. */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').trim();
  return base || fileName || 'Untitled';
}
