import { buildPlugin } from './build-plugin.ts';

// STOCKROOM_SERVER_URL: the bridge of this deployment; FIGMA_PLUGIN_ID: the id Figma gave the plugin.
const serverUrl = process.env.STOCKROOM_SERVER_URL ?? 'http://localhost:7370';
const built = await buildPlugin({ serverUrl, pluginId: process.env.FIGMA_PLUGIN_ID, devServerUrl: process.env.STOCKROOM_DEV_SERVER_URL });
console.log(`Figma plugin for ${serverUrl}: ${built.dir}/manifest.json (Plugins › Development › Import plugin from manifest…)`);
