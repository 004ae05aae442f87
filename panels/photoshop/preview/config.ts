import path from 'node:path';
import type { InlineConfig } from 'vite';

/**
 * Vite dev server for the browser preview. The bridge's routes are proxied, so the
 * page and the bridge share one origin (as a UXP panel, browsers would otherwise need CORS).
 */
export function previewConfig(bridgeUrl: string, port = 5180): InlineConfig {
  const ws = bridgeUrl.replace(/^http/, 'ws');
  return {
    configFile: false,
    root: import.meta.dirname,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic' } },
    server: {
      host: '127.0.0.1',
      port,
      strictPort: false,
      proxy: {
        '/api': { target: bridgeUrl, changeOrigin: false },
        // Device sign-in: with the bridge's own host, its answer names the bridge's approval page.
        '/auth/': { target: bridgeUrl, changeOrigin: true },
        '/ws': { target: ws, ws: true },
      },
      fs: { allow: [path.resolve(import.meta.dirname, '..', '..', '..')] },
    },
    cacheDir: path.resolve(import.meta.dirname, '..', 'node_modules', '.vite-preview'),
  };
}
