import type { Logger } from '../logger.ts';
import type { QueuedJob } from '../ports/job-queue.ts';
import type { HousekeepingJobs, JobName } from '../ports/jobs.ts';
import type { RecurringJobs } from '../ports/recurring-jobs.ts';

export interface HousekeepingTask {
  /** Its job in the job table (`HOUSEKEEPING_JOBS`). */
  name: JobName<HousekeepingJobs>;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * Maintenance that must happen once per cluster, not once per process (outbox pruning,
 * expired sessions, device codes, rate-limit counters, abandoned uploads, the trash, client
 * sessions of crashed processes). Each task is a job of the queue that recurs once per period
 * in the whole cluster; a process declares only the tasks it can do, so only such processes
 * take their jobs, and the job of a process that died mid-run is run again by another.
 */
export class Housekeeping {
  private readonly tasks = new Map<string, HousekeepingTask>();
  private started = false;

  constructor(
    private readonly jobs: RecurringJobs<HousekeepingJobs>,
    private readonly logger: Logger,
  ) {}

  /** Declares a task this process can do; before `start`. */
  schedule(task: HousekeepingTask): void {
    if (this.started) throw new Error(`Housekeeping task "${task.name}" was declared after the start; declare every task before starting.`);
    if (this.tasks.has(task.name)) throw new Error(`Housekeeping task "${task.name}" is declared twice.`);
    this.tasks.set(task.name, task);
  }

  async start(): Promise<void> {
    this.started = true;
    if (this.tasks.size === 0) return;
    await this.jobs.start([...this.tasks.keys()] as Array<JobName<HousekeepingJobs>>);
    await Promise.all([...this.tasks.values()].map((task) => this.jobs.repeat(task.name, task.everyMs, (job) => this.run(task, job))));
  }

  async stop(): Promise<void> {
    if (this.started && this.tasks.size > 0) await this.jobs.stop({ graceful: true });
  }

  /** A failure is logged and thrown on, so the queue retries the run with backoff. */
  private async run(task: HousekeepingTask, job: QueuedJob<object>): Promise<void> {
    try {
      await task.run();
    } catch (error) {
      this.logger.warn(
        { err: error, task: task.name, attempt: job.retryCount + 1, attempts: job.retryLimit + 1 },
        'housekeeping failed; the queue tries again',
      );
      throw error;
    }
  }
}
