import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { build } from 'vite';
import { PLUGIN_ID, PLUGIN_VERSION } from '../version.ts';
import { renderIcons } from './icons.ts';
import { buildManifest } from './manifest.ts';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..', '..');

export interface BuildResult {
  pluginDir: string;
  ccxPath: string;
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
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
  return buildUxpPlugin({
    packageDir: PACKAGE_DIR,
    // Provided by UXP at run time through require().
    external: ['photoshop', 'uxp', 'fs', 'os'],
    manifest: buildManifest(options.serverUrls ?? serverUrlsFromEnv()),
    ccxName: `${PLUGIN_ID}_${PLUGIN_VERSION}_PS.ccx`,
    ...(options.outDir ? { outDir: options.outDir } : {}),
  });
}

/**
 * The build every UXP panel shares: `<packageDir>/src/main.tsx` bundled as one CommonJS
 * script with the host's modules left to require(), the page, the manifest, the icons,
 * and the .ccx.
 */
export async function buildUxpPlugin(options: {
  packageDir: string;
  external: string[];
  manifest: object;
  ccxName: string;
  outDir?: string;
}): Promise<BuildResult> {
  const outDir = options.outDir ?? path.join(options.packageDir, 'dist');
  const pluginDir = path.join(outDir, 'plugin');
  rmSync(pluginDir, { recursive: true, force: true });
  mkdirSync(path.join(pluginDir, 'icons'), { recursive: true });

  await build({
    configFile: false,
    root: options.packageDir,
    logLevel: 'warn',
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir: pluginDir,
      emptyOutDir: false,
      // UXP's JavaScript engine is V8 of the host; ES2020 is safe for Photoshop 24+ and Premiere Pro 25.6+.
      target: 'es2020',
      minify: true,
      cssCodeSplit: false,
      lib: {
        entry: path.join(options.packageDir, 'src', 'main.tsx'),
        formats: ['cjs'],
        fileName: () => 'index.js',
        cssFileName: 'index',
      },
      rollupOptions: { external: options.external },
    },
  });

  writeFileSync(path.join(pluginDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(pluginDir, 'manifest.json'), `${JSON.stringify(options.manifest, null, 2)}\n`);
  for (const icon of await renderIcons()) writeFileSync(path.join(pluginDir, icon.path), icon.bytes);

  const ccxPath = path.join(outDir, options.ccxName);
  writeFileSync(ccxPath, zipSync(readTree(pluginDir), { level: 9 }));
  return { pluginDir, ccxPath };
}

/** STOCKROOM_SERVER_URLS (comma separated) names the servers the panel may reach. */
export function serverUrlsFromEnv(): string[] {
  const value = process.env.STOCKROOM_SERVER_URLS ?? 'http://localhost:7370';
  return value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
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
