import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderIcons } from '@stockroom/panel-photoshop/build';
import { zipSync } from 'fflate';
import { build } from 'vite';
import { PLUGIN_ID, PLUGIN_VERSION } from '../version.ts';
import { buildManifest } from './manifest.ts';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..', '..');
/** Modules Premiere's UXP provides to require(). */
export const PREMIERE_UXP_MODULES: ReadonlySet<string> = new Set(['premierepro', 'uxp', 'fs', 'os']);

export interface BuildResult {
  pluginDir: string;
  ccxPath: string;
}

const INDEX_HTML = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <link rel="stylesheet" href="index.css" />
  </head>
  <body>
    <div id="root"></div>
    <script src="index.js"></script>
  </body>
</html>
`;

/**
 * Builds the folder the UXP Developer Tool loads (index.html, index.js, index.css,
 * manifest.json, icons) and the .ccx package (a zip of that folder).
 */
export async function buildPlugin(options: { outDir?: string; serverUrls?: string[] } = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? path.join(PACKAGE_DIR, 'dist');
  const pluginDir = path.join(outDir, 'plugin');
  rmSync(pluginDir, { recursive: true, force: true });
  mkdirSync(path.join(pluginDir, 'icons'), { recursive: true });

  await build({
    configFile: false,
    root: PACKAGE_DIR,
    logLevel: 'warn',
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir: pluginDir,
      emptyOutDir: false,
      target: 'es2020',
      minify: true,
      cssCodeSplit: false,
      lib: {
        entry: path.join(PACKAGE_DIR, 'src', 'main.tsx'),
        formats: ['cjs'],
        fileName: () => 'index.js',
        cssFileName: 'index',
      },
      rollupOptions: { external: [...PREMIERE_UXP_MODULES] },
    },
  });

  writeFileSync(path.join(pluginDir, 'index.html'), INDEX_HTML);
  const manifest = buildManifest(options.serverUrls ?? serverUrlsFromEnv());
  writeFileSync(path.join(pluginDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of await renderIcons()) writeFileSync(path.join(pluginDir, icon.path), icon.bytes);

  const ccxPath = path.join(outDir, `${PLUGIN_ID}_${PLUGIN_VERSION}_PPRO.ccx`);
  writeFileSync(ccxPath, zipSync(readTree(pluginDir), { level: 9 }));
  return { pluginDir, ccxPath };
}

/** STOCKROOM_SERVER_URLS (comma separated) names the servers the panel may reach. */
function serverUrlsFromEnv(): string[] {
  const value = process.env.STOCKROOM_SERVER_URLS ?? 'http://localhost:7370';
  return value.split(',').map((url) => url.trim()).filter(Boolean);
}

function readTree(dir: string, prefix = ''): Record<string, Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(entries, readTree(full, `${prefix}${name}/`));
    else entries[`${prefix}${name}`] = readFileSync(full);
  }
  return entries;
}
