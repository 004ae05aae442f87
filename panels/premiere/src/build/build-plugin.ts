import path from 'node:path';
import { buildUxpPlugin, serverUrlsFromEnv, type BuildResult } from '@stockroom/panel-photoshop/build';
import { PLUGIN_ID, PLUGIN_VERSION } from '../version.ts';
import { buildManifest } from './manifest.ts';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..', '..');
/** Modules Premiere's UXP provides to require(). */
export const PREMIERE_UXP_MODULES: ReadonlySet<string> = new Set(['premierepro', 'uxp', 'fs', 'os']);

export type { BuildResult };

/**
 * Builds the folder the UXP Developer Tool loads (index.html, index.js, index.css,
 * manifest.json, icons) and the .ccx package (a zip of that folder).
 */
export async function buildPlugin(options: { outDir?: string; serverUrls?: string[] } = {}): Promise<BuildResult> {
  return buildUxpPlugin({
    packageDir: PACKAGE_DIR,
    external: [...PREMIERE_UXP_MODULES],
    manifest: buildManifest(options.serverUrls ?? serverUrlsFromEnv()),
    ccxName: `${PLUGIN_ID}_${PLUGIN_VERSION}_PPRO.ccx`,
    ...(options.outDir ? { outDir: options.outDir } : {}),
  });
}
