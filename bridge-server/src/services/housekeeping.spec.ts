import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import type { JobHandler } from '../ports/job-queue.ts';
import type { HousekeepingJobs, JobName } from '../ports/jobs.ts';
import type { RecurringJobs } from '../ports/recurring-jobs.ts';
import { Housekeeping } from './housekeeping.ts';

type Name = JobName<HousekeepingJobs>;

/** Records what the service asks of the queue, and runs a job of a declared task on demand. */
function recordingQueue() {
  const calls: string[] = [];
  const handlers = new Map<Name, JobHandler<object>>();
  const queue: RecurringJobs<HousekeepingJobs> = {
    start: async (queues) => void calls.push(`start ${queues.join(',')}`),
    stop: async (options) => void calls.push(`stop graceful=${options?.graceful}`),
    repeat: async (name, everyMs, handler) => {
      calls.push(`repeat ${name} ${everyMs}`);
      handlers.set(name, handler as JobHandler<object>);
    },
  };
  const runJob = (name: Name, retryCount = 0) =>
    handlers.get(name)!({ id: `${name}-job`, data: {}, retryCount, retryLimit: 3, signal: new AbortController().signal });
  return { queue, calls, runJob };
}

describe('Housekeeping', () => {
  it('starts the queue for the declared tasks and makes each recur with its period', async () => {
    const { queue, calls, runJob } = recordingQueue();
    const housekeeping = new Housekeeping(queue, createLogger('silent'));
    let pruned = 0;
    housekeeping.schedule({ name: 'housekeeping-outbox-prune', everyMs: 3_600_000, run: async () => void (pruned += 1) });
    housekeeping.schedule({ name: 'housekeeping-stale-client-sessions', everyMs: 45_000, run: async () => 0 });
    await housekeeping.start();
    expect(calls).toEqual([
      'start housekeeping-outbox-prune,housekeeping-stale-client-sessions',
      'repeat housekeeping-outbox-prune 3600000',
      'repeat housekeeping-stale-client-sessions 45000',
    ]);
    await runJob('housekeeping-outbox-prune');
    expect(pruned).toBe(1);
    await housekeeping.stop();
    expect(calls.at(-1)).toBe('stop graceful=true');
  });

  it('throws a failed task on, so the queue retries it', async () => {
    const { queue, runJob } = recordingQueue();
    const housekeeping = new Housekeeping(queue, createLogger('silent'));
    housekeeping.schedule({
      name: 'housekeeping-trash-purge',
      everyMs: 3_600_000,
      run: async () => {
        throw new Error('database went away');
      },
    });
    await housekeeping.start();
    await expect(runJob('housekeeping-trash-purge', 1)).rejects.toThrow('database went away');
  });

  it('refuses a task declared twice or after the start', async () => {
    const { queue } = recordingQueue();
    const housekeeping = new Housekeeping(queue, createLogger('silent'));
    const task = { name: 'housekeeping-auth-prune' as const, everyMs: 3_600_000, run: async () => 0 };
    housekeeping.schedule(task);
    expect(() => housekeeping.schedule(task)).toThrow('declared twice');
    await housekeeping.start();
    expect(() => housekeeping.schedule({ ...task, name: 'housekeeping-upload-cleanup' })).toThrow('declared after the start');
  });

  it('asks nothing of the queue when the process has no task (a tool)', async () => {
    const { queue, calls } = recordingQueue();
    const housekeeping = new Housekeeping(queue, createLogger('silent'));
    await housekeeping.start();
    await housekeeping.stop();
    expect(calls).toEqual([]);
  });
});
