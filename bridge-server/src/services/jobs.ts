import type { Job, MethodParsedParams } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { Db } from '../repositories/db.ts';
import { derivativeRows } from '../repositories/derivatives.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { toJob } from './derivative-dto.ts';
import { DERIVATIVE_QUEUE, type DerivativeJobData } from './derivative-planning.ts';

/**
 * jobs.*: the administrators' view of derivative jobs (the derivatives table is the job
 * list) and running one again. The worker side of the same rows is DerivativesService.
 */
export class JobsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly queue: JobQueue,
  ) {}

  async list(actor: Actor, params: MethodParsedParams<'jobs.list'>): Promise<{ jobs: Job[]; nextCursor: string | null }> {
    this.access.assert(actor, 'admin.read');
    const cursor = params.cursor ? decodeCursor(params.cursor) : null;
    const rows = await derivativeRows.jobPage(this.db, { status: params.status, assetId: params.assetId, after: cursor, limit: params.limit });
    const page = rows.slice(0, params.limit);
    const last = page.at(-1);
    return { jobs: page.map(toJob), nextCursor: rows.length > params.limit && last ? encodeCursor(last.updatedAt, last.id) : null };
  }

  /** Runs one job again from the start, whatever its state. */
  async retry(actor: Actor, id: string): Promise<Job> {
    this.access.assert(actor, 'admin.manage');
    return this.db.$transaction(async (tx) => {
      if (!(await derivativeRows.exists(tx, id))) throw new StockroomError('NOT_FOUND', 'This job does not exist. List the jobs to pick one.', { id });
      const row = await derivativeRows.reset(tx, id);
      await this.queue.enqueueInTransaction(tx, DERIVATIVE_QUEUE, [{ data: { derivativeId: id } satisfies DerivativeJobData, singletonKey: id }]);
      return toJob(row);
    });
  }
}

function encodeCursor(updatedAt: Date, id: string): string {
  return Buffer.from(`${updatedAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [date, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const updatedAt = new Date(date ?? '');
  if (!id || Number.isNaN(updatedAt.getTime()))
    throw new StockroomError('VALIDATION_FAILED', 'The cursor is not one this server gave out. Start from the first page.');
  return { updatedAt, id };
}
