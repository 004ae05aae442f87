import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { foldersImportingEachOther, importCircles, prismaDelegates, readImportGraph, storageAccess, type SourceFile } from './import-graph.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.resolve(here, '../../src');
const files = readImportGraph(srcDir);
const delegates = prismaDelegates(readFileSync(path.resolve(here, '../../../prisma/schema.prisma'), 'utf8'));

/**
 * The one file outside repositories/ allowed to write SQL: the Postgres search backend is
 * an adapter of the SearchIndex port like Typesense, and SQL is its engine's query language
 * (ranking, typo tolerance, facets). The documents it indexes are read in repositories/.
 */
const SQL_SEARCH_ENGINE = 'adapters/search/postgres.ts';
/** Folders that may hold a database driver connection of their own (LISTEN, advisory locks). */
const DRIVER_FOLDERS = new Set(['repositories', 'adapters']);

function violations(all: SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of all) {
    if (file.folder === 'repositories') continue;
    for (const access of storageAccess(file, delegates)) {
      const driverImport = access === 'imports pg';
      if (driverImport && DRIVER_FOLDERS.has(file.folder)) continue;
      if (file.file === SQL_SEARCH_ENGINE && !access.startsWith('imports')) continue;
      found.push(`${file.file}: ${access}`);
    }
  }
  return found;
}

describe('the import graph of bridge-server/src', () => {
  it('reads every source file and its imports', () => {
    expect(files.length).toBeGreaterThan(150);
    const compose = files.find((f) => f.file === 'compose.ts');
    expect(compose?.internal).toContain('repositories/assets.ts');
    expect(files.filter((f) => f.folder === 'repositories').length).toBeGreaterThan(10);
  });

  it('has no Prisma client, raw SQL or model call outside repositories/', () => {
    expect(violations(files)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(importCircles(files)).toEqual([]);
  });

  it('has no pair of folders importing each other', () => {
    expect(foldersImportingEachOther(files)).toEqual([]);
  });

  it('keeps the layers one way: repositories, ports and adapters import no service or transport', () => {
    const upward = files.flatMap((f) =>
      ['repositories', 'ports', 'adapters'].includes(f.folder)
        ? f.internal.filter((t) => /^(services|http|ws|rpc|worker|uploads|auth|cli)\//.test(t)).map((t) => `${f.file} -> ${t}`)
        : [],
    );
    expect(upward).toEqual([]);
  });

  // The checks above pass on a clean tree; these show they would fail on a broken one.
  it('would catch each kind of break', () => {
    const file = (name: string, text: string, internal: string[] = [], packages: string[] = []): SourceFile => ({
      file: name,
      folder: name.split('/')[0]!,
      text,
      internal,
      packages,
    });
    const broken = [
      file('services/a.ts', 'await tx.$queryRaw`SELECT id FROM assets`; await this.db.asset.findMany({});', ['adapters/b.ts'], ['@stockroom/prisma']),
      file('adapters/b.ts', "const q = 'DELETE FROM assets WHERE id = $1';", ['services/a.ts'], ['pg']),
      file('http/c.ts', '// a comment about SELECT x FROM y is fine', ['http/d.ts']),
      file('http/d.ts', '', ['http/c.ts']),
    ];
    expect(violations(broken)).toEqual([
      'services/a.ts: imports @stockroom/prisma',
      'services/a.ts: uses $queryRaw',
      'services/a.ts: calls Prisma asset.findMany',
      'services/a.ts: writes SQL: SELECT id FROM',
      'adapters/b.ts: writes SQL: DELETE FROM',
    ]);
    expect(importCircles(broken)).toEqual([
      ['adapters/b.ts', 'services/a.ts'],
      ['http/c.ts', 'http/d.ts'],
    ]);
    expect(foldersImportingEachOther(broken)).toEqual(['adapters <-> services: adapters/b.ts -> services/a.ts; services/a.ts -> adapters/b.ts']);
  });
});
