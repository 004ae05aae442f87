/** The main thread passes the official Figma plugin lint rules, and those rules do bite. */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');

describe('@figma/eslint-plugin-figma-plugins', () => {
  it('finds nothing in the main thread’s code', async () => {
    const results = await new ESLint({ cwd: PACKAGE_DIR }).lintFiles(['plugin-src', 'src']);
    expect(results.length).toBeGreaterThan(4);
    expect(results.flatMap((r) => r.messages.map((m) => `${path.relative(PACKAGE_DIR, r.filePath)}:${m.line} ${m.ruleId} ${m.message}`))).toEqual([]);
  });

  it('flags sync node lookups and sync page access that dynamic-page forbids', async () => {
    const probe = path.join(PACKAGE_DIR, 'plugin-src', 'lint-probe.ts');
    writeFileSync(probe, "export const node = figma.getNodeById('1:2');\nexport const page = figma.currentPage = figma.root.children[1]!;\n");
    try {
      // In a process of its own: typescript-eslint keeps the program it built for the first
      // test, which does not know the probe file.
      const run = spawnSync(process.execPath, [path.join(PACKAGE_DIR, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', probe], {
        cwd: PACKAGE_DIR,
        encoding: 'utf8',
      });
      const [result] = JSON.parse(run.stdout) as ESLint.LintResult[];
      const rules = result!.messages.map((m) => m.ruleId);
      expect(rules).toContain('@figma/figma-plugins/ban-deprecated-sync-methods');
      expect(rules).toContain('@figma/figma-plugins/ban-deprecated-sync-prop-setters');
    } finally {
      rmSync(probe, { force: true });
    }
  });
});
