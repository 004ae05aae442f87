// The official Figma plugin rules (deprecated and sync APIs, dynamic-page rules) on the
// main thread's code, type-aware against @figma/plugin-typings.
import * as figmaPlugin from '@figma/eslint-plugin-figma-plugins';
import tseslint from 'typescript-eslint';

export default tseslint.config({
  files: ['plugin-src/**/*.ts', 'src/**/*.ts'],
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { project: './plugin-src/tsconfig.json', tsconfigRootDir: import.meta.dirname },
  },
  plugins: { '@figma/figma-plugins': figmaPlugin },
  rules: { ...figmaPlugin.flatConfigs.recommended.rules },
});
