import path from 'node:path';

/** How a file is read: which tools extract its facts and make its derivatives. */
export type MediaFamily = 'image' | 'psd' | 'video' | 'audio' | 'pdf' | 'unsupported';

const BY_EXTENSION: Record<string, MediaFamily> = {
  jpg: 'image',
  jpeg: 'image',
  jpe: 'image',
  png: 'image',
  tif: 'image',
  tiff: 'image',
  webp: 'image',
  gif: 'image',
  avif: 'image',
  heic: 'image',
  heif: 'image',
  svg: 'image',
  psd: 'psd',
  psb: 'psd',
  mp4: 'video',
  m4v: 'video',
  mov: 'video',
  mkv: 'video',
  webm: 'video',
  avi: 'video',
  mxf: 'video',
  mts: 'video',
  m2ts: 'video',
  mpg: 'video',
  mpeg: 'video',
  wmv: 'video',
  '3gp': 'video',
  wav: 'audio',
  mp3: 'audio',
  aac: 'audio',
  m4a: 'audio',
  ogg: 'audio',
  oga: 'audio',
  opus: 'audio',
  flac: 'audio',
  aif: 'audio',
  aiff: 'audio',
  wma: 'audio',
  pdf: 'pdf',
  ai: 'pdf',
};

const BY_MIME: Record<string, MediaFamily> = {
  'image/vnd.adobe.photoshop': 'psd',
  'application/x-photoshop': 'psd',
  'application/pdf': 'pdf',
  'application/illustrator': 'pdf',
  'application/postscript': 'pdf',
};

/** The family of a file from its original name, falling back to its declared MIME type. */
export function mediaFamilyOf(fileName: string, mimeType = ''): MediaFamily {
  const extension = path.extname(fileName).slice(1).toLowerCase();
  const byExtension = BY_EXTENSION[extension];
  if (byExtension) return byExtension;
  const mime = mimeType.toLowerCase().split(';')[0]!.trim();
  const byMime = BY_MIME[mime];
  if (byMime) return byMime;
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'unsupported';
}
