import { fromPrisma, PgBoss, type JobWithMetadata } from 'pg-boss';
import type { Logger } from '../../logger.ts';
import type { Tx } from '../../services/db.ts';
import type { JobHandler, JobQueue, NewJob, QueueSettings } from './types.ts';

const SCHEMA = 'pgboss';

/** The job queue on pg-boss, in its own schema of the application database. */
export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;

  constructor(
    connectionString: string,
    private readonly settings: QueueSettings,
    private readonly logger: Logger,
    options: { supervise?: boolean } = {},
  ) {
    this.boss = new PgBoss({
      connectionString,
      schema: SCHEMA,
      max: 4,
      supervise: options.supervise ?? true,
      superviseIntervalSeconds: settings.superviseIntervalSeconds,
      // The monitor refreshes the ready counts that burst fetching reads (see work()).
      monitorIntervalSeconds: 2,
      schedule: false,
      // New jobs wake idle workers at once (NOTIFY) instead of at their next poll; the
      // ready-count cache drives burst fetching while a backlog lasts.
      useListenNotify: true,
      queueCacheIntervalSeconds: 2,
    });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
  }

  async start(queues: readonly string[]): Promise<void> {
    await this.boss.start();
    const options = {
      retryLimit: this.settings.retryLimit,
      retryDelay: this.settings.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 600,
      heartbeatSeconds: this.settings.heartbeatSeconds,
      expireInSeconds: this.settings.expireInSeconds,
      notify: true,
    };
    for (const name of queues) {
      if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, options);
      // exclusive + singletonKey: at most one queued or running job per derivative, so a job
      // enqueued twice (a retry, a regenerate) is never run by two workers at once.
      else await this.boss.createQueue(name, { ...options, policy: 'exclusive' }).catch(async (error: unknown) => {
        // Another process created it between the check and here.
        if (!(await this.boss.getQueue(name))) throw error;
      });
    }
  }

  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    await this.boss.stop({ graceful: options.graceful ?? true, timeout: 10_000, close: true });
  }

  async enqueueInTransaction(tx: Tx, queue: string, jobs: NewJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(queue, jobs.map(toInsert), { db: fromPrisma(tx) });
  }

  async enqueue(queue: string, jobs: NewJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(queue, jobs.map(toInsert));
  }

  async work<T>(queue: string, concurrency: number, handler: JobHandler<T>): Promise<void> {
    await this.boss.work<T>(
      queue,
      {
        localConcurrency: concurrency,
        batchSize: 1,
        includeMetadata: true,
        pollingIntervalSeconds: this.settings.pollingIntervalSeconds,
        notifyPollingIntervalSeconds: this.settings.pollingIntervalSeconds,
        // With a backlog (more than one ready job), fetch the next job as soon as one
        // finishes instead of waiting out the poll.
        burstWhenReadyExceeds: 1,
      },
      async (jobs) => {
        for (const job of jobs as unknown as JobWithMetadata<T>[]) {
          await handler({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit, signal: job.signal });
        }
      },
    );
  }
}

function toInsert(job: NewJob) {
  return { data: job.data, ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}) };
}
