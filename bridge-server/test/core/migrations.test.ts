import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrisma } from '../../../prisma/scripts/prisma-cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const created: TestDatabase[] = [];
afterAll(async () => Promise.all(created.map((d) => d.drop())));

/** A description of every table, column, index, constraint, enum and extension of the public schema. */
async function describeSchema(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows.map((r) => Object.values(r).join(' | ')).sort();
    return {
      columns:
        await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, ''), coalesce(character_maximum_length::text, '')
                        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      constraints: await q(`SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`),
      enums: await q(
        `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
      ),
      extensions: await q(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'`),
      functions: await q(`SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace`),
      triggers: await q(`SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal`),
    };
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('applied to an empty database give exactly the schema that schema.prisma describes', async () => {
    const migrated = await createTestDatabase({ migrate: true });
    const fromSchema = await createTestDatabase({ migrate: false });
    created.push(migrated, fromSchema);
    const schemaFile = path.join(import.meta.dirname, '..', '..', '..', 'prisma', 'schema.prisma');
    const sql = runPrisma(['migrate', 'diff', '--from-empty', '--to-schema-datamodel', schemaFile, '--script'], {
      MIGRATION_DATABASE_URL: fromSchema.url,
    });
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    // Objects Prisma cannot describe (extensions, SQL functions, text search configurations, triggers)
    // live in hand-written migrations marked "-- prisma:unmodelled"; they come first on both sides,
    // except those marked "-- prisma:unmodelled after-tables" (a trigger needs its table).
    const { listMigrations } = await import('@stockroom/prisma');
    const unmodelled = listMigrations().filter((m) => m.sql.includes('-- prisma:unmodelled'));
    const afterTables = (m: { sql: string }) => m.sql.includes('-- prisma:unmodelled after-tables');
    for (const m of unmodelled.filter((m) => !afterTables(m))) await client.query(m.sql);
    await client.query(sql);
    for (const m of unmodelled.filter(afterTables)) await client.query(m.sql);
    await client.end();
    const a = await describeSchema(migrated.url);
    const b = await describeSchema(fromSchema.url);
    expect(a.columns!.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  });

  it('records every applied migration in Prisma’s bookkeeping table, and applying again is a no-op', async () => {
    const db = await createTestDatabase({ migrate: true });
    created.push(db);
    const { applyMigrations, listMigrations } = await import('@stockroom/prisma');
    expect(await applyMigrations(db.url)).toEqual([]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const rows = (await client.query('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name')).rows;
    await client.end();
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations().map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(listMigrations().map((m) => m.checksum));
    expect(rows.every((r) => r.finished_at)).toBe(true);
  });
});
