import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One source file of bridge-server/src: where it lives and what it imports. */
export interface SourceFile {
  /** Path relative to src/, with forward slashes. */
  file: string;
  /** The folder under src/ ('.' for files at the top). */
  folder: string;
  text: string;
  /** Relative imports resolved to files under src/. */
  internal: string[];
  /** Package imports, as written. */
  packages: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Reads every import (static, dynamic, type-only and re-exports) with the TypeScript scanner. */
export function readImportGraph(srcDir: string): SourceFile[] {
  const toRel = (full: string) => path.relative(srcDir, full).split(path.sep).join('/');
  return walk(srcDir).map((full) => {
    const text = readFileSync(full, 'utf8');
    const info = ts.preProcessFile(text, true, true);
    const internal: string[] = [];
    const packages: string[] = [];
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(full), spec.replace(/\.js$/, '.ts'));
        internal.push(toRel(target));
      } else {
        packages.push(spec);
      }
    }
    const file = toRel(full);
    return { file, folder: file.includes('/') ? file.split('/')[0]! : '.', text, internal, packages };
  });
}

/** Every strongly connected component with more than one file (a Tarjan walk). */
export function importCircles(files: SourceFile[]): string[][] {
  const edges = new Map(files.map((f) => [f.file, f.internal.filter((t) => t !== f.file)]));
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, order.get(next)!));
      }
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!order.has(node)) visit(node);
  return circles;
}

/** Folder pairs with imports both ways, each with one example arrow per direction. */
export function foldersImportingEachOther(files: SourceFile[]): string[] {
  const folderOf = new Map(files.map((f) => [f.file, f.folder]));
  const arrows = new Map<string, string>();
  for (const f of files) {
    for (const target of f.internal) {
      const to = folderOf.get(target);
      if (to && to !== f.folder && f.folder !== '.' && to !== '.') arrows.set(`${f.folder}>${to}`, `${f.file} -> ${target}`);
    }
  }
  const pairs: string[] = [];
  for (const [key, example] of arrows) {
    const [from, to] = key.split('>') as [string, string];
    const back = arrows.get(`${to}>${from}`);
    if (back && from < to) pairs.push(`${from} <-> ${to}: ${example}; ${back}`);
  }
  return pairs;
}

const PRISMA_OPERATIONS =
  'findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy';

/** The Prisma model names of the schema, as a client exposes them (`asset`, `apiToken`...). */
export function prismaDelegates(schema: string): string[] {
  return [...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1));
}

/** Where a file talks to the database itself: Prisma imports, raw SQL, model delegates, SQL text. */
export function storageAccess(file: SourceFile, delegates: string[]): string[] {
  const found: string[] = [];
  for (const spec of file.packages) {
    if (spec === '@stockroom/prisma' || spec.startsWith('@stockroom/prisma/') || spec.startsWith('@prisma/') || spec === 'pg') {
      found.push(`imports ${spec}`);
    }
  }
  const code = stripComments(file.text);
  for (const m of code.matchAll(/\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)\b/g)) found.push(`uses $${m[1]}`);
  const delegate = new RegExp(`\\.(${delegates.join('|')})\\s*\\.\\s*(${PRISMA_OPERATIONS})\\s*\\(`, 'g');
  for (const m of code.matchAll(delegate)) found.push(`calls Prisma ${m[1]}.${m[2]}`);
  const sql = /[`'"]\s*(SELECT\s[\s\S]*?\sFROM\s|INSERT\s+INTO\s|UPDATE\s+"?\w+"?\s+SET\s|DELETE\s+FROM\s|LISTEN\s|NOTIFY\s|pg_notify\(|pg_advisory)/g;
  for (const m of code.matchAll(sql)) found.push(`writes SQL: ${m[1]!.trim().slice(0, 30)}`);
  return found;
}

function stripComments(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  let out = '';
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      out += ' ';
      continue;
    }
    out += scanner.getTokenText();
  }
  return out;
}
