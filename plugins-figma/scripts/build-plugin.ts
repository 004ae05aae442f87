import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { buildManifest, type FigmaManifest } from './manifest.ts';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');
export const PLUGIN_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;

export interface BuiltPlugin {
  dir: string;
  manifest: FigmaManifest;
  /** The UI: one HTML file with every script and style inlined (Figma loads it as a string). */
  uiHtml: string;
  /** The main thread's code. */
  code: string;
}

/**
 * Builds the plugin for one deployment: manifest.json, code.js (main thread, esbuild)
 * and ui.html (React UI, vite with everything inlined).
 */
export async function buildPlugin(options: { serverUrl: string; devServerUrl?: string; pluginId?: string; outDir?: string }): Promise<BuiltPlugin> {
  const dir = options.outDir ?? path.join(PACKAGE_DIR, 'dist');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = buildManifest(options);

  await esbuild({
    entryPoints: [path.join(PACKAGE_DIR, 'plugin-src', 'main.ts')],
    bundle: true,
    outfile: path.join(dir, 'code.js'),
    format: 'iife',
    // Figma's main-thread sandbox runs ES2017 reliably; newer syntax is lowered.
    target: 'es2017',
    minify: false,
    logLevel: 'warning',
  });

  const uiOut = path.join(dir, '.ui');
  await vite({
    configFile: false,
    root: path.join(PACKAGE_DIR, 'ui-src'),
    logLevel: 'warn',
    mode: 'production',
    define: {
      'process.env.NODE_ENV': JSON.stringify('production'),
      __STOCKROOM_SERVER_URL__: JSON.stringify(options.serverUrl),
      __PLUGIN_VERSION__: JSON.stringify(PLUGIN_VERSION),
    },
    // Production JSX even when built from a test run (NODE_ENV=test would pick jsxDEV).
    oxc: { jsx: { runtime: 'automatic', development: false } },
    plugins: [viteSingleFile()],
    build: { outDir: uiOut, emptyOutDir: true, target: 'es2020', minify: true, reportCompressedSize: false },
  });
  renameSync(path.join(uiOut, 'index.html'), path.join(dir, 'ui.html'));
  rmSync(uiOut, { recursive: true, force: true });
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest, uiHtml: readFileSync(path.join(dir, 'ui.html'), 'utf8'), code: readFileSync(path.join(dir, 'code.js'), 'utf8') };
}
