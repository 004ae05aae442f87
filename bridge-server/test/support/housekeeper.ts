// One "process" of the cluster's housekeeping for tests: its own pool and its own pg-boss, as a
// server process has, running the tasks it is given.
import { createDatabaseClients } from '@stockroom/prisma';
import { PgBossQueue } from '../../src/adapters/queue/pg-boss.ts';
import { createLogger } from '../../src/logger.ts';
import type { QueueSettings } from '../../src/ports/job-queue.ts';
import { HOUSEKEEPING_JOBS } from '../../src/ports/jobs.ts';
import { Housekeeping, type HousekeepingTask } from '../../src/services/housekeeping.ts';

/** The shortest waits pg-boss allows: a missed heartbeat (10 s) is noticed within a second. */
export const FAST_QUEUE: QueueSettings = {
  retryLimit: 2,
  retryDelaySeconds: 1,
  heartbeatSeconds: 10,
  expireInSeconds: 120,
  superviseIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
};

export interface Housekeeper {
  housekeeping: Housekeeping;
  stop(): Promise<void>;
}

/** Starts a housekeeper with `tasks`; pg-boss's cron passes run every `passSeconds`. */
export async function startHousekeeper(databaseUrl: string, tasks: HousekeepingTask[], options: { passSeconds?: number } = {}): Promise<Housekeeper> {
  const clients = createDatabaseClients(databaseUrl, { max: 3 });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const queue = new PgBossQueue(databaseUrl, FAST_QUEUE, logger, {
    jobs: HOUSEKEEPING_JOBS,
    pool: clients.pool,
    policy: 'stately',
    recurring: { passSeconds: options.passSeconds ?? 1 },
  });
  const housekeeping = new Housekeeping(queue, logger);
  for (const task of tasks) housekeeping.schedule(task);
  await housekeeping.start();
  return {
    housekeeping,
    async stop() {
      await housekeeping.stop();
      await clients.close();
    },
  };
}
