import ts from 'typescript';

/**
 * Premiere's rule for changes, checked in the adapter's source (Adobe's ESLint plugin for
 * it is not installable here): every `create…Action(…)` is built inside the callback given
 * to `transact(…)` (which wraps `project.lockedAccess` + `project.executeTransaction`),
 * `lockedAccess` and `executeTransaction` are called nowhere else, and their callbacks are
 * synchronous (not async, no await, no then, no timers). Returns the problems as sentences.
 */
export function checkTransactionRule(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const calleeName = (call: ts.CallExpression) =>
    ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '';

  /** The call this function is an argument of (and which argument), if any. */
  const argumentOf = (fn: ts.Node): { call: ts.CallExpression; index: number } | null => {
    const parent = fn.parent;
    if (parent && ts.isCallExpression(parent)) {
      const index = parent.arguments.indexOf(fn as ts.Expression);
      if (index >= 0) return { call: parent, index };
    }
    return null;
  };

  const insideTransactBuild = (node: ts.Node): boolean => {
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
        const use = argumentOf(current);
        if (use && calleeName(use.call) === 'transact' && use.index === 2) return true;
      }
    }
    return false;
  };

  const insideMethod = (node: ts.Node, name: string): boolean => {
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      if (ts.isMethodDeclaration(current) && ts.isIdentifier(current.name) && current.name.text === name) return true;
    }
    return false;
  };

  const checkSynchronous = (callback: ts.Node, api: string) => {
    if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) {
      problems.push(`${where(callback)}: ${api} gets a function written in place, so it can be checked`);
      return;
    }
    if (callback.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
      problems.push(`${where(callback)}: the ${api} callback is async; it must be synchronous`);
    const visit = (node: ts.Node) => {
      if (ts.isAwaitExpression(node)) problems.push(`${where(node)}: await inside the ${api} callback`);
      if (ts.isCallExpression(node) && ['then', 'setTimeout', 'setInterval', 'queueMicrotask'].includes(calleeName(node))) {
        problems.push(`${where(node)}: ${calleeName(node)}() inside the ${api} callback (it would run after the scope ended)`);
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(callback, visit);
  };

  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (/^create\w*Action$/.test(name) && !insideTransactBuild(node)) {
        problems.push(`${where(node)}: ${name}() outside a transact() build callback (it must be built inside project.lockedAccess)`);
      }
      if (name === 'lockedAccess' || name === 'executeTransaction') {
        if (!insideMethod(node, 'transact')) problems.push(`${where(node)}: ${name}() outside transact()`);
        const callback = node.arguments[0];
        if (callback) checkSynchronous(callback, name);
      }
      if (name === 'transact') {
        const build = node.arguments[2];
        if (build) checkSynchronous(build, 'transact build');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return problems;
}
