import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanPluginFolder } from '@stockroom/panel-photoshop/build';
import { buildPlugin, PREMIERE_UXP_MODULES } from '../src/build/build-plugin.ts';
import { checkPremiereManifest } from '../src/build/manifest-check.ts';

const { pluginDir, ccxPath } = await buildPlugin();
const problems = [
  ...checkPremiereManifest(JSON.parse(readFileSync(path.join(pluginDir, 'manifest.json'), 'utf8'))),
  ...scanPluginFolder(pluginDir, { modules: PREMIERE_UXP_MODULES, missingGlobals: ['TextDecoder'] }),
];
if (problems.length > 0) {
  console.error(`The plugin would not load in Premiere Pro:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`Plugin folder (load it in the UXP Developer Tool): ${pluginDir}\nPackage: ${ccxPath}`);
