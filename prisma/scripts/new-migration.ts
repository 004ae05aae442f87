// Usage: pnpm --filter @stockroom/prisma migration:new <name>
// Writes migrations/<timestamp>_<name>/migration.sql with the SQL that turns the
// schema of the last migration into the current schema.prisma.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/embedded-postgres.ts';
import { MIGRATIONS_DIR } from '../src/migrate.ts';
import { PRISMA_DIR, runPrisma } from './prisma-cli.ts';

export const SNAPSHOT = path.join(MIGRATIONS_DIR, 'schema.at-last-migration.prisma');

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
if (!name) {
  console.error('Give the migration a name: pnpm --filter @stockroom/prisma migration:new add_things');
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stockroom-migration-'));
const db = await startEmbeddedPostgres(tmp);
try {
  const from = existsSync(SNAPSHOT) ? ['--from-schema-datamodel', SNAPSHOT] : ['--from-empty'];
  const sql = runPrisma(['migrate', 'diff', ...from, '--to-schema-datamodel', path.join(PRISMA_DIR, 'schema.prisma'), '--script'], {
    MIGRATION_DATABASE_URL: db.url,
  });
  if (/^-- This is an empty migration\.\s*$/m.test(sql) && sql.trim().split('\n').length <= 1) {
    console.log('schema.prisma has no changes since the last migration.');
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    writeFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n');
    copyFileSync(path.join(PRISMA_DIR, 'schema.prisma'), SNAPSHOT);
    console.log(`wrote ${path.relative(PRISMA_DIR, dir)}/migration.sql`);
  }
} finally {
  await db.stop();
  rmSync(tmp, { recursive: true, force: true });
}
