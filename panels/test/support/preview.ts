import { createServer, type ViteDevServer } from 'vite';
import { previewConfig } from '../../photoshop/preview/config.ts';

/** The browser preview of the panel (fake Photoshop), proxying the bridge at bridgeUrl. */
export async function startPreview(bridgeUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: ViteDevServer = await createServer({ ...previewConfig(bridgeUrl, 0), logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the preview server has no port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
