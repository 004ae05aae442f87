// The queue adapter keeps to its job table: an undeclared job or a bad payload is refused
// when enqueued (nothing is queued), and a delivered job whose payload does not fit (queued
// by another version, or by hand) is failed with the reason instead of reaching a handler,
// while the rest of its batch is handled.
import { StockroomError } from '@stockroom/shared-types';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PgBossQueue } from '../../src/adapters/queue/pg-boss.ts';
import { createLogger } from '../../src/logger.ts';
import type { QueueSettings } from '../../src/ports/job-queue.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const settings: QueueSettings = {
  retryLimit: 0,
  retryDelaySeconds: 1,
  heartbeatSeconds: 30,
  expireInSeconds: 60,
  superviseIntervalSeconds: 30,
  pollingIntervalSeconds: 1,
};
const strict = { 'table-resize': z.object({ width: z.number().int().positive() }) };
// The same job as an older version declared it: it lets a payload into the queue that the current table refuses.
const loose = { 'table-resize': z.object({ width: z.unknown() }) };

let database: TestDatabase;
let queue: PgBossQueue<typeof strict>;
let older: PgBossQueue<typeof loose>;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  queue = new PgBossQueue(database.url, settings, createLogger('silent'), { jobs: strict, supervise: false });
  older = new PgBossQueue(database.url, settings, createLogger('silent'), { jobs: loose, supervise: false });
  await queue.start(['table-resize']);
  await older.start(['table-resize']);
});

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await older?.stop({ graceful: false });
  await database?.drop();
});

async function jobRows(): Promise<Array<{ data: { width: unknown }; state: string; output: { code?: string; message?: string } | null }>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT data, state, output FROM pgboss.job WHERE name = 'table-resize' ORDER BY created_on");
    return rows;
  } finally {
    await client.end();
  }
}

async function refusal(promise: Promise<unknown>): Promise<StockroomError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StockroomError);
  return error as StockroomError;
}

describe('the queue and its job table', () => {
  it('refuses to queue, start or work an undeclared job', async () => {
    const enqueued = await refusal(queue.enqueue('table-crop' as never, [{ data: { width: 10 } as never }]));
    expect(enqueued.code).toBe('VALIDATION_FAILED');
    expect(enqueued.message).toContain('There is no job "table-crop"');
    expect((await refusal(queue.start(['table-crop' as never]))).code).toBe('VALIDATION_FAILED');
    expect((await refusal(queue.work('table-crop' as never, 1, async () => {}))).code).toBe('VALIDATION_FAILED');
    expect(await jobRows()).toEqual([]);
  });

  it('refuses a batch with one bad payload as a whole, before anything is queued', async () => {
    const error = await refusal(queue.enqueue('table-resize', [{ data: { width: 10 } }, { data: { width: 'wide' } as never }]));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('not one a "table-resize" job takes');
    expect(await jobRows()).toEqual([]);
  });

  it('fails a delivered job whose payload does not fit, with the reason, and handles the rest of its batch', async () => {
    await older.enqueue('table-resize', [
      { data: { width: 'wide' }, singletonKey: 'bad' },
      { data: { width: 640 }, singletonKey: 'good' },
    ]);
    const handled: unknown[] = [];
    await queue.workBatches('table-resize', 1, 10, async (jobs) => {
      handled.push(...jobs.map((job) => job.data));
    });
    const deadline = Date.now() + 20_000;
    let rows = await jobRows();
    while (rows.some((row) => row.state !== 'completed' && row.state !== 'failed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      rows = await jobRows();
    }
    expect(handled).toEqual([{ width: 640 }]);
    const bad = rows.find((row) => row.data.width === 'wide');
    const good = rows.find((row) => row.data.width === 640);
    expect(good?.state).toBe('completed');
    expect(bad?.state).toBe('failed');
    expect(bad?.output?.code).toBe('VALIDATION_FAILED');
    expect(bad?.output?.message).toContain('not one a "table-resize" job takes');
  }, 30_000);
});
