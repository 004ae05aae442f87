import type { JobHandler } from './job-queue.ts';
import type { JobName, JobPayload, JobTable } from './jobs.ts';

/**
 * Jobs that recur once per period in the whole cluster, however many processes declare them:
 * each period has one job, run by one of the processes that declared it. A process that dies
 * while running one loses it only until its heartbeat is missed; then another runs it again.
 * The jobs of this table carry an empty payload.
 */
export interface RecurringJobs<T extends JobTable> {
  start(queues: ReadonlyArray<JobName<T>>): Promise<void>;
  stop(options?: { graceful?: boolean }): Promise<void>;
  /**
   * Makes `queue` recur every `everyMs` (1 s to 1 day), starting with the current period if
   * no process ran it yet, and runs its jobs in this process with `handler`, one at a time
   * in the whole cluster. A handler that throws is retried with backoff.
   */
  repeat<N extends JobName<T>>(queue: N, everyMs: number, handler: JobHandler<JobPayload<T, N>>): Promise<void>;
}
