/**
 * The source scan for Premiere's transaction rule (create…Action only inside
 * lockedAccess + executeTransaction, synchronous callbacks): the adapter passes it, and
 * it catches each way of breaking the rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTransactionRule } from '@stockroom/panel-premiere/build';

const adapter = path.resolve(import.meta.dirname, '..', 'premiere', 'src', 'host', 'premiere-host.ts');

const TRANSACT = `
class Host {
  private transact(project: any, undoString: string, build: () => any[]): void {
    project.lockedAccess(() => {
      const actions = build();
      project.executeTransaction((compound: any) => {
        for (const action of actions) compound.addAction(action);
      }, undoString);
    });
  }
`;

describe('Premiere transaction rule (source scan)', () => {
  it('the adapter builds every action inside transact(), synchronously', () => {
    const source = readFileSync(adapter, 'utf8');
    expect(source).toMatch(/createBinAction|createAddMarkerAction/); // the scan has something to look at
    expect(checkTransactionRule('premiere-host.ts', source)).toEqual([]);
  });

  const broken: Array<[string, string, RegExp]> = [
    [
      'an action built outside transact',
      `async make(root: any) { const a = root.createBinAction('x', false); }`,
      /createBinAction\(\) outside a transact\(\) build callback/,
    ],
    ['lockedAccess called directly', `make(project: any) { project.lockedAccess(() => {}); }`, /lockedAccess\(\) outside transact\(\)/],
    [
      'an async build callback',
      `make(project: any, root: any) { this.transact(project, 'x', async () => [root.createBinAction('x', false)]); }`,
      /transact build callback is async/,
    ],
    [
      'await inside the build',
      `async make(project: any, m: any) { this.transact(project, 'x', () => { const n = await m.get(); return [m.createAddMarkerAction(n)]; }); }`,
      /await inside the transact build callback/,
    ],
    [
      'a timer inside the build',
      `make(project: any, m: any) { this.transact(project, 'x', () => { setTimeout(() => {}, 0); return []; }); }`,
      /setTimeout\(\) inside the transact build callback/,
    ],
    [
      'an action kept from an earlier scope',
      `make(project: any, root: any) { const kept = root.createBinAction('x', false); this.transact(project, 'x', () => [kept]); }`,
      /createBinAction\(\) outside a transact\(\) build callback/,
    ],
  ];
  for (const [what, method, expected] of broken) {
    it(`finds ${what}`, () => {
      const problems = checkTransactionRule('bad.ts', `${TRANSACT}\n  ${method}\n}`);
      expect(problems.join('\n')).toMatch(expected);
    });
  }

  it('finds an async callback in transact() itself', () => {
    const problems = checkTransactionRule('bad.ts', TRANSACT.replace('project.lockedAccess(() =>', 'project.lockedAccess(async () =>') + '}');
    expect(problems.join('\n')).toMatch(/the lockedAccess callback is async/);
  });
});
