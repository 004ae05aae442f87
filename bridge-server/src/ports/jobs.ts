import { StockroomError } from '@stockroom/shared-types';
import { z } from 'zod';

/** A queue's jobs: each job name with the zod schema of its payload. */
export type JobTable = Record<string, z.ZodType<object>>;
export type JobName<T extends JobTable> = keyof T & string;
export type JobPayload<T extends JobTable, N extends JobName<T>> = z.infer<T[N]>;

const id = z.string().min(1);

/**
 * Every job Stockroom queues. A derivative job makes every pending derivative of a version
 * (`versionId`) or the one a retry names (`derivativeId`, also the shape earlier versions
 * queued); a metadata job extracts one version's facts. The handlers are `worker/media-jobs.ts`.
 */
export const MEDIA_JOBS = {
  'media-derivative': z.union([z.object({ versionId: id }), z.object({ derivativeId: id })]),
  'media-metadata': z.object({ versionId: id }),
} satisfies JobTable;
export type MediaJobs = typeof MEDIA_JOBS;

/**
 * Cluster-wide maintenance: one job per period in the whole cluster, whichever processes
 * declare it (`services/housekeeping.ts`; `compose.ts` gives each process the tasks it can do).
 * The jobs carry nothing: each one means "do this task now".
 */
export const HOUSEKEEPING_JOBS = {
  'housekeeping-outbox-prune': z.object({}),
  'housekeeping-stale-client-sessions': z.object({}),
  'housekeeping-trash-purge': z.object({}),
  'housekeeping-auth-prune': z.object({}),
  'housekeeping-upload-cleanup': z.object({}),
} satisfies JobTable;
export type HousekeepingJobs = typeof HOUSEKEEPING_JOBS;

export function jobNames<T extends JobTable>(table: T): Array<JobName<T>> {
  return Object.keys(table) as Array<JobName<T>>;
}

/** The schema of a declared job; an undeclared name is refused (VALIDATION_FAILED). */
export function jobSchema<T extends JobTable>(table: T, name: string): z.ZodType<object> {
  if (!Object.hasOwn(table, name)) {
    throw new StockroomError('VALIDATION_FAILED', `There is no job "${name}". Declare it in the job table with its payload schema and its handler.`, {
      job: name,
      declared: jobNames(table),
    });
  }
  return table[name]!;
}

/** A payload checked against its job's schema; a wrong one is refused (VALIDATION_FAILED) with what is wrong. */
export function parseJobPayload<T extends JobTable, N extends JobName<T>>(table: T, name: N, data: unknown): JobPayload<T, N> {
  const parsed = jobSchema(table, name).safeParse(data);
  if (!parsed.success) {
    throw new StockroomError('VALIDATION_FAILED', `This payload is not one a "${name}" job takes: ${z.prettifyError(parsed.error)}`, {
      job: name,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data as JobPayload<T, N>;
}
