export type * from './types.ts';
export { HostError } from './host-error.ts';
export { cacheRelativePath, parseCachePath, safeFileName } from './cache-paths.ts';
export { openPartialFile, type PieceWriteFs } from './partial-file.ts';
export { openFileSnapshot } from './file-snapshot.ts';
