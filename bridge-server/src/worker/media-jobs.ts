import type { LimitFunction } from 'p-limit';
import type { JobQueue, QueuedJob } from '../ports/job-queue.ts';
import type { JobName, JobPayload, JobTable, MediaJobs } from '../ports/jobs.ts';
import { runDerivativeJob, type DerivativeJobDeps } from './derivative-job.ts';
import { runMetadataJobs, type MetadataJobDeps } from './metadata-job.ts';

const LANES_PER_MEDIA_SLOT = 2;
/** Metadata jobs a lane takes at once from a backlog: a few seconds of header reads at most. */
const METADATA_BATCH = 10;

/** How this process runs one declared job: lanes at once, jobs per fetch, and the handler. */
export interface JobRunner<P> {
  lanes: number;
  batchSize: number;
  handle(jobs: Array<QueuedJob<P>>): Promise<void>;
}

/** One runner for every job the table declares (a job without one does not compile). */
export type JobRunners<T extends JobTable> = { [N in JobName<T>]: JobRunner<JobPayload<T, N>> };

/**
 * The handlers of the media jobs. `concurrency` media slots (one per core by default) bound
 * the CPU-heavy work. Twice as many derivative lanes keep them fed: while a job converts,
 * another lane fetches and claims the next one, or stores and records the one before, so
 * those round trips (tens of ms a job) never leave a core idle. Metadata extraction reads
 * headers only: cheap, so it gets its own small lane and never waits behind transcodes; a
 * backlog (an import) is taken in batches, recorded together.
 */
export function mediaJobRunners(
  deps: Omit<DerivativeJobDeps, 'mediaSlots'> & MetadataJobDeps,
  concurrency: number,
  mediaSlots: LimitFunction,
): JobRunners<MediaJobs> {
  return {
    'media-derivative': {
      lanes: concurrency * LANES_PER_MEDIA_SLOT,
      batchSize: 1,
      handle: async (jobs) => {
        for (const job of jobs) await runDerivativeJob({ ...deps, mediaSlots }, job);
      },
    },
    'media-metadata': {
      lanes: Math.max(1, Math.ceil(concurrency / 2)),
      batchSize: METADATA_BATCH,
      handle: (jobs) => runMetadataJobs(deps, jobs),
    },
  };
}

/** Has `queue` run every job of the table with its runner in this process. */
export async function workAll<T extends JobTable>(queue: JobQueue<T>, table: T, runners: JobRunners<T>): Promise<void> {
  for (const name of Object.keys(table) as Array<JobName<T>>) {
    const runner: JobRunner<JobPayload<T, typeof name>> = runners[name];
    await queue.workBatches(name, runner.lanes, runner.batchSize, (jobs) => runner.handle(jobs));
  }
}
