// The queue adapter's lanes: the next job is fetched as soon as one finishes, not after the
// poll interval, and an empty queue is woken by a new job (NOTIFY), not by the poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PgBossQueue } from '../../src/adapters/queue/pg-boss.ts';
import type { QueueSettings } from '../../src/ports/job-queue.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The queues are `exclusive` (one job per singletonKey at a time), so every job here has its own key.
// A poll far longer than the whole test may take: any job that waits for it fails the timing checks.
const settings: QueueSettings = {
  retryLimit: 0,
  retryDelaySeconds: 1,
  heartbeatSeconds: 30,
  expireInSeconds: 60,
  superviseIntervalSeconds: 30,
  pollingIntervalSeconds: 30,
};

let database: TestDatabase;
const numbered = z.object({ n: z.number() });
const jobs = { 'lanes-backlog': numbered, 'lanes-idle': numbered, 'lanes-batches': numbered };
let queue: PgBossQueue<typeof jobs>;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  queue = new PgBossQueue(database.url, settings, createLogger('silent'), { jobs, supervise: false });
  await queue.start(['lanes-backlog', 'lanes-idle', 'lanes-batches']);
});

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await database?.drop();
});

function collector(expected: number) {
  const done: { id: string; at: number }[] = [];
  let finish: () => void;
  const all = new Promise<void>((resolve) => (finish = resolve));
  return {
    done,
    all,
    handler: async (job: { data: { n: number } }) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done.push({ id: String(job.data.n), at: performance.now() });
      if (done.length === expected) finish();
    },
  };
}

describe('queue lanes', () => {
  it('a lane with a backlog takes its next job as soon as one finishes', async () => {
    await queue.enqueue(
      'lanes-backlog',
      Array.from({ length: 12 }, (_, n) => ({ data: { n }, singletonKey: `backlog-${n}` })),
    );
    const jobs = collector(12);
    const t0 = performance.now();
    await queue.work('lanes-backlog', 1, jobs.handler);
    await jobs.all;
    // Twelve 20 ms jobs one after another: well under one poll interval in all.
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(new Set(jobs.done.map((d) => d.id)).size).toBe(12);
  }, 30_000);

  it('an idle lane is woken by a new job, and the one after it is fetched at once', async () => {
    const jobs = collector(2);
    await queue.work('lanes-idle', 1, jobs.handler);
    // Let the lane find the queue empty and go to sleep for its 30 s poll.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const t0 = performance.now();
    await queue.enqueue('lanes-idle', [
      { data: { n: 1 }, singletonKey: 'idle-1' },
      { data: { n: 2 }, singletonKey: 'idle-2' },
    ]);
    await jobs.all;
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 30_000);

  it('a batch lane takes a backlog up to its batch size at once, each job once', async () => {
    await queue.enqueue(
      'lanes-batches',
      Array.from({ length: 25 }, (_, n) => ({ data: { n }, singletonKey: `batch-${n}` })),
    );
    const sizes: number[] = [];
    const seen: number[] = [];
    let finish: () => void;
    const all = new Promise<void>((resolve) => (finish = resolve));
    await queue.workBatches('lanes-batches', 1, 10, async (jobs) => {
      sizes.push(jobs.length);
      seen.push(...jobs.map((job) => job.data.n));
      if (seen.length >= 25) finish();
    });
    await all;
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, n) => n));
  }, 30_000);
});
