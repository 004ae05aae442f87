export { buildPlugin, buildUxpPlugin, serverUrlsFromEnv, type BuildResult } from './build-plugin.ts';
export { checkManifest, manifestFiles, manifestV5Schema } from './manifest-check.ts';
export { scanPluginFolder, UXP_MODULES } from './scan-plugin.ts';
export { renderIcons } from './icons.ts';
export { buildManifest, domainsFor } from './manifest.ts';
