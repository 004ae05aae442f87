export { buildPlugin, PREMIERE_UXP_MODULES, type BuildResult } from './build-plugin.ts';
export { checkPremiereManifest, premiereManifestSchema } from './manifest-check.ts';
export { buildManifest } from './manifest.ts';
export { checkTransactionRule } from './transaction-rule.ts';
