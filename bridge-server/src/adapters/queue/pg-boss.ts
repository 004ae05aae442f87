import { StockroomError } from '@stockroom/shared-types';
import { fromPrisma, PgBoss, type JobWithMetadata } from 'pg-boss';
import type { Logger } from '../../logger.ts';
import type { Tx } from '../../repositories/db.ts';
import type { BatchHandler, JobHandler, JobQueue, NewJob, QueuedJob, QueueSettings } from '../../ports/job-queue.ts';
import { jobSchema, parseJobPayload, type JobName, type JobPayload, type JobTable } from '../../ports/jobs.ts';

const SCHEMA = 'pgboss';

/** The job queue on pg-boss, in its own schema of the application database, for the jobs of one table. */
export class PgBossQueue<T extends JobTable> implements JobQueue<T> {
  private readonly boss: PgBoss;
  private readonly jobs: T;

  constructor(
    connectionString: string,
    private readonly settings: QueueSettings,
    private readonly logger: Logger,
    options: { jobs: T; supervise?: boolean },
  ) {
    this.jobs = options.jobs;
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

  async start(queues: ReadonlyArray<JobName<T>>): Promise<void> {
    for (const name of queues) jobSchema(this.jobs, name);
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
      else
        await this.boss.createQueue(name, { ...options, policy: 'exclusive' }).catch(async (error: unknown) => {
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

  async enqueueInTransaction<N extends JobName<T>>(tx: Tx, queue: N, jobs: Array<NewJob<JobPayload<T, N>>>): Promise<void> {
    const rows = this.checked(queue, jobs);
    if (rows.length === 0) return;
    await this.boss.insert(queue, rows, { db: fromPrisma(tx) });
  }

  async enqueue<N extends JobName<T>>(queue: N, jobs: Array<NewJob<JobPayload<T, N>>>): Promise<void> {
    const rows = this.checked(queue, jobs);
    if (rows.length === 0) return;
    await this.boss.insert(queue, rows);
  }

  /** The rows to insert, once the job name and every payload passed the table (it throws otherwise, before anything is queued). */
  private checked(queue: string, jobs: NewJob[]) {
    jobSchema(this.jobs, queue);
    return jobs.map((job) => toInsert({ ...job, data: parseJobPayload(this.jobs, queue, job.data) }));
  }

  /**
   * One pg-boss worker per lane, each fetching one job at a time. One job per fetch keeps a
   * claimed job a running job: nothing waits in a lane's hands while another worker idles,
   * and a SIGKILL loses at most the jobs that were running.
   */
  async work<N extends JobName<T>>(queue: N, concurrency: number, handler: JobHandler<JobPayload<T, N>>): Promise<void> {
    await this.workBatches(queue, concurrency, 1, async (jobs) => {
      for (const job of jobs) await handler(job);
    });
  }

  /**
   * pg-boss waits out the rest of the poll interval after every batch; a lane that just
   * finished one wakes itself instead (notifyWorker), so while a backlog lasts it fetches the
   * next batch at once, and only an empty fetch sends it back to waiting for a NOTIFY or the poll.
   */
  async workBatches<N extends JobName<T>>(queue: N, concurrency: number, batchSize: number, handler: BatchHandler<JobPayload<T, N>>): Promise<void> {
    jobSchema(this.jobs, queue);
    for (let lane = 0; lane < concurrency; lane += 1) {
      let workerId: string | undefined;
      workerId = await this.boss.work<unknown>(
        queue,
        {
          batchSize,
          includeMetadata: true,
          pollingIntervalSeconds: this.settings.pollingIntervalSeconds,
          notifyPollingIntervalSeconds: this.settings.pollingIntervalSeconds,
        },
        async (jobs) => {
          try {
            const accepted = await this.acceptDelivered(queue, jobs as unknown as JobWithMetadata<unknown>[]);
            if (accepted.length > 0) await handler(accepted);
          } finally {
            // Read by the lane once this handler returns (and pg-boss has completed or failed the jobs).
            if (workerId) this.boss.notifyWorker(workerId);
          }
        },
      );
    }
  }

  /**
   * The delivered jobs whose payload fits the table. The others (queued by hand, or by a
   * version of Stockroom with another payload) are failed with the reason, logged, and
   * never handed to the handler; the rest of their batch goes on.
   */
  private async acceptDelivered<N extends JobName<T>>(queue: N, jobs: JobWithMetadata<unknown>[]): Promise<Array<QueuedJob<JobPayload<T, N>>>> {
    const accepted: Array<QueuedJob<JobPayload<T, N>>> = [];
    for (const job of jobs) {
      try {
        const data = parseJobPayload(this.jobs, queue, job.data);
        accepted.push({ id: job.id, data, retryCount: job.retryCount, retryLimit: job.retryLimit, signal: job.signal });
      } catch (error) {
        if (!(error instanceof StockroomError)) throw error;
        this.logger.error({ job: queue, jobId: job.id, code: error.code, data: error.data }, `refused a queued job: ${error.message}`);
        await this.boss.fail(queue, job.id, error.toJSON());
      }
    }
    return accepted;
  }
}

function toInsert(job: NewJob) {
  return { data: job.data, ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}) };
}
