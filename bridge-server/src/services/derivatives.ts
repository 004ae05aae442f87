import type { Derivative } from '@stockroom/shared-types';
import type { JobQueue } from '../ports/job-queue.ts';
import type { MediaFamily } from '../media/families.ts';
import type { Presets } from '../media/presets.ts';
import type { Db, Sql, Tx } from '../repositories/db.ts';
import type { StoredDerivative } from '../repositories/derivatives.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import { DerivativeRequests } from './derivative-access.ts';
import { DerivativePlanner, type DerivativeJobData } from './derivative-planning.ts';
import { DerivativeWorkRecorder, type DerivativeWork, type ExtractedMetadata } from './derivative-work.ts';

export { derivativeContentUrl, toJob } from './derivative-dto.ts';
export { DERIVATIVE_QUEUE, METADATA_QUEUE, type DerivativeJobData, type MetadataJobData } from './derivative-planning.ts';
export type { DerivativeWork, ExtractedMetadata } from './derivative-work.ts';
export type { StoredDerivative } from '../repositories/derivatives.ts';

/**
 * The one entry to derivatives, built from one set of dependencies: planning
 * (`derivative-planning.ts`: which derivatives a version gets, in the transaction that
 * creates it), the worker's side (`derivative-work.ts`: claim and record) and what callers
 * ask (`derivative-access.ts`: list, download, regenerate). It only forwards.
 */
export class DerivativesService {
  readonly planner: DerivativePlanner;
  readonly work: DerivativeWorkRecorder;
  readonly requests: DerivativeRequests;

  constructor(db: Db, sql: Sql, access: AccessPolicy, changes: ChangeRecorder, queue: JobQueue, presets: Presets) {
    this.planner = new DerivativePlanner(queue, presets);
    this.work = new DerivativeWorkRecorder(db, sql, changes, presets);
    this.requests = new DerivativeRequests(db, access, this.planner);
  }

  /** Listener for the ChangeRecorder: every new version plans its derivatives and metadata job in its own transaction. */
  get onChange(): (tx: Tx, outgoing: { event: string; data: unknown }) => Promise<void> {
    return this.planner.onChange;
  }

  claim(target: DerivativeJobData): Promise<DerivativeWork[]> {
    return this.work.claim(target);
  }

  progress(derivativeId: string, percent: number): Promise<void> {
    return this.work.progress(derivativeId, percent);
  }

  finishReady(work: Pick<DerivativeWork, 'id' | 'assetId' | 'versionNumber' | 'preset'>, stored: StoredDerivative): Promise<Derivative> {
    return this.work.finishReady(work, stored);
  }

  finishFailed(derivativeId: string, reason: string, message: string, final = true): Promise<void> {
    return this.work.finishFailed(derivativeId, reason, message, final);
  }

  recordMetadata(records: readonly ExtractedMetadata[]): Promise<void> {
    return this.work.recordMetadata(records);
  }

  metadataSources(versionIds: readonly string[]): Promise<Map<string, { sha256: string; family: MediaFamily; originalName: string }>> {
    return this.work.metadataSources(versionIds);
  }

  list(actor: Actor, assetId: string, number?: number): Promise<Derivative[]> {
    return this.requests.list(actor, assetId, number);
  }

  regenerate(mode: 'missing' | 'all', options: { assetId?: string; batchSize?: number } = {}): Promise<number> {
    return this.requests.regenerate(mode, options);
  }

  content(actor: Actor, assetId: string, number: number, preset: string): Promise<{ sha256: string; size: number; fileName: string; mimeType: string }> {
    return this.requests.content(actor, assetId, number, preset);
  }
}
