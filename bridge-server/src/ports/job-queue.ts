import type { Tx } from '../repositories/db.ts';
import type { JobName, JobPayload, JobTable, MediaJobs } from './jobs.ts';

export interface QueuedJob<T> {
  id: string;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /** Aborted when this worker loses the job (its heartbeat found the claim gone) or stops. */
  signal: AbortSignal;
}

export interface NewJob<T extends object = object> {
  data: T;
  /** At most one queued or running job per key (a derivative id): enqueueing twice is harmless. */
  singletonKey?: string;
}

export interface QueueSettings {
  retryLimit: number;
  /** First retry delay; later ones back off exponentially. */
  retryDelaySeconds: number;
  /** A running job whose worker stops beating this long is given to another worker. */
  heartbeatSeconds: number;
  /** Upper bound of one job's run, after which it is retried. */
  expireInSeconds: number;
  /** How often stale jobs (dead workers) are looked for. */
  superviseIntervalSeconds: number;
  pollingIntervalSeconds: number;
}

export type JobHandler<T> = (job: QueuedJob<T>) => Promise<void>;
export type BatchHandler<T> = (jobs: QueuedJob<T>[]) => Promise<void>;

/**
 * A durable job queue in the database, for the jobs its table declares: a job name it does
 * not declare, or a payload its schema refuses, is refused (VALIDATION_FAILED) when enqueued,
 * and a delivered job whose payload does not fit is failed with that error, never handed over.
 */
export interface JobQueue<T extends JobTable = MediaJobs> {
  start(queues: ReadonlyArray<JobName<T>>): Promise<void>;
  stop(options?: { graceful?: boolean }): Promise<void>;
  /** Adds jobs inside the caller's transaction: they exist if, and only if, it commits. */
  enqueueInTransaction<N extends JobName<T>>(tx: Tx, queue: N, jobs: Array<NewJob<JobPayload<T, N>>>): Promise<void>;
  enqueue<N extends JobName<T>>(queue: N, jobs: Array<NewJob<JobPayload<T, N>>>): Promise<void>;
  /** Runs `handler` for jobs of `queue`, up to `concurrency` at a time in this process. A handler that throws is retried with backoff. */
  work<N extends JobName<T>>(queue: N, concurrency: number, handler: JobHandler<JobPayload<T, N>>): Promise<void>;
  /**
   * Like `work`, but each lane takes up to `batchSize` waiting jobs at once and hands them
   * over together (a backlog of cheap jobs costs one fetch and one completion per batch).
   * A handler that throws fails them all, and they are retried with backoff.
   */
  workBatches<N extends JobName<T>>(queue: N, concurrency: number, batchSize: number, handler: BatchHandler<JobPayload<T, N>>): Promise<void>;
}
