import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanPluginFolder } from '@stockroom/panel-photoshop/build';
import { buildPlugin, PREMIERE_UXP_MODULES } from '../src/build/build-plugin.ts';
import { checkPremiereManifest } from '../src/build/manifest-check.ts';
import { checkTransactionRule } from '../src/build/transaction-rule.ts';

const adapter = path.join(import.meta.dirname, '..', 'src', 'host', 'premiere-host.ts');

const { pluginDir, ccxPath } = await buildPlugin();
const problems = [
  ...checkPremiereManifest(JSON.parse(readFileSync(path.join(pluginDir, 'manifest.json'), 'utf8'))),
  ...scanPluginFolder(pluginDir, { modules: PREMIERE_UXP_MODULES, missingGlobals: ['TextDecoder'] }),
  ...checkTransactionRule('premiere-host.ts', readFileSync(adapter, 'utf8')),
];
if (problems.length > 0) {
  console.error(`The plugin would not load in Premiere Pro:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`Plugin folder (load it in the UXP Developer Tool): ${pluginDir}\nPackage: ${ccxPath}`);
