import { createServer, type InlineConfig, type ViteDevServer } from 'vite';
import { previewConfig } from '../../photoshop/preview/config.ts';
import { previewConfig as premierePreviewConfig } from '../../premiere/preview/config.ts';

/** The browser preview of the panel (fake Photoshop), proxying the bridge at bridgeUrl. */
export async function startPreview(bridgeUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  return serve(previewConfig(bridgeUrl, 0));
}

/** The browser preview of the Premiere Pro panel (fake Premiere), proxying the bridge at bridgeUrl. */
export async function startPremierePreview(bridgeUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  return serve(premierePreviewConfig(bridgeUrl, 0));
}

async function serve(config: InlineConfig): Promise<{ url: string; close(): Promise<void> }> {
  // No file watching: an edit anywhere in the workspace must not reload the page mid-test.
  const server: ViteDevServer = await createServer({ ...config, logLevel: 'silent', server: { ...config.server, hmr: false, watch: null } });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the preview server has no port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
