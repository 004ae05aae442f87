import { StockroomError } from '@stockroom/shared-types';
import { fromPrisma, PgBoss, type JobWithMetadata } from 'pg-boss';
import type { Logger } from '../../logger.ts';
import type { Sql, Tx } from '../../repositories/db.ts';
import type { BatchHandler, JobHandler, JobQueue, NewJob, QueuedJob, QueueSettings } from '../../ports/job-queue.ts';
import type { RecurringJobs } from '../../ports/recurring-jobs.ts';
import { jobSchema, parseJobPayload, type JobName, type JobPayload, type JobTable } from '../../ports/jobs.ts';

const SCHEMA = 'pgboss';
const DAY_MS = 86_400_000;

export interface PgBossQueueOptions<T extends JobTable> {
  jobs: T;
  supervise?: boolean;
  /**
   * Run on this pool (the process's main pool) instead of a pool of its own, for queues with
   * little traffic: no connection is added, and workers poll instead of LISTENing.
   */
  pool?: Sql;
  /** `exclusive` (default): one job queued or running per singleton key; `stately`: one queued and one running. */
  policy?: 'exclusive' | 'stately';
  /** For `repeat`: runs pg-boss's cron passes in this process, every `passSeconds` (default 30). */
  recurring?: { passSeconds?: number };
}

/**
 * How a period recurs. Whole minutes become a pg-boss schedule: a recurrence rule anchored at
 * the epoch (pg-boss's default start), so every process agrees on its phase. Shorter or odd
 * periods (pg-boss's schedules resolve minutes) are throttled sends from every process that
 * declares the job. Both file each job in its period's slot (periods counted from the epoch,
 * as pg-boss's throttling counts them), so a slot holds one job, whichever path or process sent it.
 */
export function recurrenceOf(everyMs: number): { slotSeconds: number; rule?: string } {
  if (!Number.isFinite(everyMs) || everyMs < 1000 || everyMs > DAY_MS) {
    throw new RangeError(`A recurring job's period must be between 1 second and 1 day; got ${everyMs} ms.`);
  }
  const slotSeconds = Math.round(everyMs / 1000);
  return slotSeconds % 60 === 0 ? { slotSeconds, rule: `FREQ=MINUTELY;INTERVAL=${slotSeconds / 60}` } : { slotSeconds };
}

/** The job queue on pg-boss, in its own schema of the application database, for the jobs of one table. */
export class PgBossQueue<T extends JobTable> implements JobQueue<T>, RecurringJobs<T> {
  private readonly boss: PgBoss;
  private readonly jobs: T;
  private readonly listens: boolean;
  private readonly policy: 'exclusive' | 'stately';
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    connectionString: string,
    private readonly settings: QueueSettings,
    private readonly logger: Logger,
    options: PgBossQueueOptions<T>,
  ) {
    this.jobs = options.jobs;
    this.policy = options.policy ?? 'exclusive';
    const pool = options.pool;
    this.listens = pool === undefined;
    const passSeconds = options.recurring?.passSeconds;
    this.boss = new PgBoss({
      ...(pool ? { db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) } } : { connectionString, max: 4 }),
      schema: SCHEMA,
      supervise: options.supervise ?? true,
      superviseIntervalSeconds: settings.superviseIntervalSeconds,
      // The pass that fails jobs whose heartbeat stopped (a dead worker) has its own interval (60 s by default).
      monitorIntervalSeconds: settings.superviseIntervalSeconds,
      // pg-boss's cron passes: once per interval in the whole cluster, whichever process claims it.
      schedule: options.recurring !== undefined,
      ...(passSeconds ? { cronMonitorIntervalSeconds: passSeconds, cronWorkerIntervalSeconds: passSeconds } : {}),
      // New jobs wake idle workers at once (NOTIFY) instead of at their next poll.
      useListenNotify: this.listens,
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
      notify: this.listens,
    };
    for (const name of queues) {
      if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, options);
      // exclusive + singletonKey: at most one queued or running job per derivative, so a job
      // enqueued twice (a retry, a regenerate) is never run by two workers at once.
      else
        await this.boss.createQueue(name, { ...options, policy: this.policy }).catch(async (error: unknown) => {
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
    for (const timer of this.timers.splice(0)) clearInterval(timer);
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
    await this.lanes(queue, concurrency, batchSize, this.settings.pollingIntervalSeconds, handler);
  }

  /**
   * One job of `queue` per slot of `everyMs` in the whole cluster (see `recurrenceOf`). Every
   * process that declares the job sends the current slot's job at once (a first start, or a
   * cluster that was down, does not wait a whole period), then either pg-boss's schedule sends
   * one per period or, below a minute, each process sends again several times a slot; the
   * slot's unique key drops all but the first. The lane polls at a tenth of the period.
   */
  async repeat<N extends JobName<T>>(queue: N, everyMs: number, handler: JobHandler<JobPayload<T, N>>): Promise<void> {
    const data = parseJobPayload(this.jobs, queue, {});
    const { slotSeconds, rule } = recurrenceOf(everyMs);
    const pollSeconds = Math.min(30, Math.max(this.settings.pollingIntervalSeconds, everyMs / 10_000));
    const workers = await this.lanes(queue, 1, 1, pollSeconds, async (jobs) => {
      for (const job of jobs) await handler(job);
    });
    if (rule) await this.boss.schedule(queue, rule, data, { singletonSeconds: slotSeconds });
    // A period that was whole minutes before (another configuration) leaves no schedule behind.
    else await this.boss.unschedule(queue);
    const send = async () => {
      // Null when the slot already has its job; a new one is taken here at once rather than at the next poll.
      if (await this.boss.sendThrottled(queue, data, null, slotSeconds)) for (const id of workers) this.boss.notifyWorker(id);
    };
    await send();
    if (rule) return;
    const timer = setInterval(
      () => void send().catch((error: unknown) => this.logger.warn({ err: error, job: queue }, 'could not send a recurring job')),
      Math.min(everyMs / 3, 60_000),
    );
    timer.unref();
    this.timers.push(timer);
  }

  /** `concurrency` pg-boss workers of `queue`, each taking up to `batchSize` jobs a fetch; their ids. */
  private async lanes<N extends JobName<T>>(
    queue: N,
    concurrency: number,
    batchSize: number,
    pollSeconds: number,
    handler: BatchHandler<JobPayload<T, N>>,
  ): Promise<string[]> {
    jobSchema(this.jobs, queue);
    const ids: string[] = [];
    for (let lane = 0; lane < concurrency; lane += 1) {
      let workerId: string | undefined;
      workerId = await this.boss.work<unknown>(
        queue,
        {
          batchSize,
          includeMetadata: true,
          pollingIntervalSeconds: pollSeconds,
          notifyPollingIntervalSeconds: pollSeconds,
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
      ids.push(workerId);
    }
    return ids;
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
