import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..', '..');

describe('the main entry in a browser bundle', () => {
  it('bundles for the browser without Node built-ins', async () => {
    // platform 'browser' fails the build on any import of a Node built-in
    // (node:*, fs, http…), and picks tus-js-client's browser build.
    const result = await build({
      entryPoints: [path.join(root, 'src', 'index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes('tus-js-client/lib.esm/browser/'))).toBe(true);
    expect(inputs.some((p) => p.includes('tus-js-client/lib.esm/node/'))).toBe(false);
    expect(inputs.some((p) => p.endsWith('src/node.ts'))).toBe(false);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bBuffer\.(from|alloc|isBuffer)\(/);
  });

  it('the node entry is what needs Node', async () => {
    const failed = await build({
      entryPoints: [path.join(root, 'src', 'node.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      logLevel: 'silent',
    }).then(
      () => false,
      () => true,
    );
    expect(failed).toBe(true);
  });
});
