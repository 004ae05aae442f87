export type * from './types.ts';
export { cacheRelativePath, parseCachePath, safeFileName } from './cache-paths.ts';
