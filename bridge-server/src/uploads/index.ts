export { createUploadHandler, receivedBytesIn, type UploadHandler, type UploadHandlerDeps } from './handler.ts';
export type { CleanupResult } from './cleanup.ts';
export { safeFileName } from './metadata.ts';
