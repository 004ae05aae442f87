import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '../../src');
const doc = readFileSync(path.resolve(here, '../../../docs/architecture.md'), 'utf8');
const read = (file: string) => readFileSync(path.join(src, file), 'utf8');

/** The rows of the "two hops" table: method, handler file, service cell, repository cell. */
const rows = [...doc.matchAll(/^\| `([a-z]+\.[a-zA-Z]+)` \| `(rpc\/[a-z-]+-methods\.ts)` \| (.+?) \| (.+?) \|$/gm)].map((m) => ({
  method: m[1]!,
  handler: m[2]!,
  service: m[3]!,
  repository: m[4]!,
}));

describe('docs/architecture.md: from a method to its code in two hops', () => {
  it('lists the four methods the architecture promises', () => {
    expect(rows.map((r) => r.method)).toEqual(['assets.checkin', 'assets.search', 'jobs.retry', 'admin.clients']);
  });

  it.each(rows)('$method: the handler binds it to the named service method, which calls the named repository', (row) => {
    const [, serviceClass, serviceMethod] = /^`(\w+)\.(\w+)` \(`(services\/[\w-]+\.ts)`/.exec(row.service) ?? [];
    const serviceFile = /`(services\/[\w-]+\.ts)`/.exec(row.service)?.[1];
    expect(serviceClass && serviceMethod && serviceFile, row.service).toBeTruthy();
    const handler = read(row.handler);
    const binding = new RegExp(`\\.register\\('${row.method.replace('.', '\\.')}',[^\\n]*\\.${serviceMethod}\\(`);
    expect(handler).toMatch(binding);
    const service = read(serviceFile!);
    expect(service).toMatch(new RegExp(`export class ${serviceClass}\\b`));
    expect(service).toMatch(new RegExp(`\\n  async ${serviceMethod}\\(`));
    const repositories = [...row.repository.matchAll(/`(repositories\/[\w-]+\.ts)`/g)].map((m) => m[1]!);
    expect(repositories.length).toBeGreaterThan(0);
    for (const file of repositories) {
      expect(existsSync(path.join(src, file)), file).toBe(true);
      expect(service.includes(`'../${file}'`) || service.includes(`from '../${file}'`), `${serviceFile} imports ${file}`).toBe(true);
    }
  });
});
