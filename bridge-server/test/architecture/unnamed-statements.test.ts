// Behind PgBouncer in transaction mode (docs/operations.md), a named prepared statement is
// prepared on one server connection and may be missing on the next: the server's own plain
// SQL must send unnamed statements only. This reads every source file for a node-postgres
// query config with a `name`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** `.query({ name: …` or `.query<Row>({ … name: …` up to the config's first closing brace. */
const NAMED_QUERY = /\.query(?:<[^>(]*>)?\(\s*\{[^}]*?\bname\s*:/s;

describe('plain SQL that PgBouncer can carry', () => {
  it('sends no named prepared statements', () => {
    const files = sources(src);
    expect(files.length).toBeGreaterThan(100);
    const named = files.filter((file) => NAMED_QUERY.test(readFileSync(file, 'utf8'))).map((file) => path.relative(src, file));
    expect(named).toEqual([]);
  });

  it('recognises a named statement when it sees one', () => {
    expect(NAMED_QUERY.test("await sql.query<Row>({\n  name: 'claim',\n  text: 'SELECT 1',\n})")).toBe(true);
    expect(NAMED_QUERY.test("await sql.query({ text: 'SELECT 1', values: [] })")).toBe(false);
  });
});
