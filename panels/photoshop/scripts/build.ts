import { buildPlugin } from '../src/build/build-plugin.ts';
import { checkManifest } from '../src/build/manifest-check.ts';
import { scanPluginFolder } from '../src/build/scan-plugin.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const { pluginDir, ccxPath } = await buildPlugin();
const problems = [...checkManifest(JSON.parse(readFileSync(path.join(pluginDir, 'manifest.json'), 'utf8'))), ...scanPluginFolder(pluginDir)];
if (problems.length > 0) {
  console.error(`The plugin would not load in UXP:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`Plugin folder (load it in the UXP Developer Tool): ${pluginDir}\nPackage: ${ccxPath}`);
