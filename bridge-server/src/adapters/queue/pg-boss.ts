import { fromPrisma, PgBoss, type JobWithMetadata } from 'pg-boss';
import type { Logger } from '../../logger.ts';
import type { Tx } from '../../repositories/db.ts';
import type { BatchHandler, JobHandler, JobQueue, NewJob, QueueSettings } from '../../ports/job-queue.ts';

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
      schedule: false,
      // New jobs wake idle workers at once (NOTIFY) instead of at their next poll.
      useListenNotify: true,
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

  /** Jobs waiting and running, per queue (for /metrics). */
  async depth(): Promise<Array<{ queue: string; queued: number; active: number }>> {
    const queues = await this.boss.getQueues();
    return queues.map((q) => ({ queue: q.name, queued: q.queuedCount, active: q.activeCount }));
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

  /**
   * One pg-boss worker per lane, each fetching one job at a time. One job per fetch keeps a
   * claimed job a running job: nothing waits in a lane's hands while another worker idles,
   * and a SIGKILL loses at most the jobs that were running.
   */
  async work<T>(queue: string, concurrency: number, handler: JobHandler<T>): Promise<void> {
    await this.workBatches<T>(queue, concurrency, 1, async (jobs) => {
      for (const job of jobs) await handler(job);
    });
  }

  /**
   * pg-boss waits out the rest of the poll interval after every batch; a lane that just
   * finished one wakes itself instead (notifyWorker), so while a backlog lasts it fetches the
   * next batch at once, and only an empty fetch sends it back to waiting for a NOTIFY or the poll.
   */
  async workBatches<T>(queue: string, concurrency: number, batchSize: number, handler: BatchHandler<T>): Promise<void> {
    for (let lane = 0; lane < concurrency; lane += 1) {
      let workerId: string | undefined;
      workerId = await this.boss.work<T>(
        queue,
        {
          batchSize,
          includeMetadata: true,
          pollingIntervalSeconds: this.settings.pollingIntervalSeconds,
          notifyPollingIntervalSeconds: this.settings.pollingIntervalSeconds,
        },
        async (jobs) => {
          try {
            await handler(
              (jobs as unknown as JobWithMetadata<T>[]).map((job) => ({
                id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit, signal: job.signal,
              })),
            );
          } finally {
            // Read by the lane once this handler returns (and pg-boss has completed or failed the jobs).
            if (workerId) this.boss.notifyWorker(workerId);
          }
        },
      );
    }
  }
}

function toInsert(job: NewJob) {
  return { data: job.data, ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}) };
}
