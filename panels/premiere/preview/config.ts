import path from 'node:path';
import type { InlineConfig } from 'vite';
import { previewConfig as photoshopPreviewConfig } from '../../photoshop/preview/config.ts';

/** The Photoshop preview's dev server (same bridge proxying), serving this folder's page. */
export function previewConfig(bridgeUrl: string, port = 5181): InlineConfig {
  const config = photoshopPreviewConfig(bridgeUrl, port);
  return { ...config, root: import.meta.dirname, cacheDir: path.resolve(import.meta.dirname, '..', 'node_modules', '.vite-preview') };
}
