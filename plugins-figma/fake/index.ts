export { createFakeFigma, type FakeFigma, type FakeFigmaOptions } from './fake-figma.ts';
export { CallLog, type Call } from './call-log.ts';
export type { NodeSnapshot } from './nodes.ts';
export { assertCloneable, imageFacts, MAX_CLIENT_STORAGE_BYTES, MAX_IMAGE_SIDE, MAX_PLUGIN_DATA_BYTES } from './limits.ts';
