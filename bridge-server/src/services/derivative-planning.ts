import type { EventData } from '@stockroom/shared-types';
import type { JobQueue } from '../ports/job-queue.ts';
import type { JobPayload, MediaJobs } from '../ports/jobs.ts';
import { mediaFamilyOf } from '../media/families.ts';
import { presetsFor, type Presets } from '../media/presets.ts';
import type { Tx } from '../repositories/db.ts';
import { derivativeRows } from '../repositories/derivatives.ts';

export const DERIVATIVE_QUEUE = 'media-derivative';
export const METADATA_QUEUE = 'media-metadata';

/**
 * One derivative job makes every pending derivative of a version, one after the other,
 * from one copy of the original: a queue round trip and a claim per version, not per
 * preset. `jobs.retry` queues a job for one derivative (also the shape of jobs queued by
 * earlier versions of Stockroom). The payloads are declared in `ports/jobs.ts`.
 */
export type DerivativeJobData = JobPayload<MediaJobs, typeof DERIVATIVE_QUEUE>;
export type MetadataJobData = JobPayload<MediaJobs, typeof METADATA_QUEUE>;

/**
 * Which derivatives a version needs: the presets of its media family, one row per version
 * and preset whatever happens, planned in the transaction that creates the version.
 */
export class DerivativePlanner {
  constructor(
    private readonly queue: JobQueue,
    private readonly presets: Presets,
  ) {}

  /** Listener for the ChangeRecorder: every new version plans its derivatives and metadata job in its own transaction. */
  readonly onChange = async (tx: Tx, outgoing: { event: string; data: unknown }): Promise<void> => {
    if (outgoing.event !== 'version.created') return;
    const { assetId, version } = outgoing.data as EventData<'version.created'>;
    // A file without derivatives plans nothing: its version is not even looked up.
    if (mediaFamilyOf(version.originalName, version.mimeType) === 'unsupported') return;
    const versionId = await derivativeRows.versionIdOf(tx, assetId, version.number);
    if (versionId) await this.plan(tx, versionId, version.originalName, version.mimeType);
  };

  /**
   * Creates the missing derivative rows of a version and enqueues their jobs (and metadata
   * extraction). A new version gets one job for all its derivatives. `regenerate` queues one
   * job per derivative instead: the version's own job may be running, and the queue takes no
   * second job under a running job's key, so new pending rows would wait for nobody.
   */
  async plan(
    tx: Tx,
    versionId: string,
    originalName: string,
    mimeType: string,
    options: { metadata?: boolean; jobPerDerivative?: boolean } = {},
  ): Promise<number> {
    const family = mediaFamilyOf(originalName, mimeType);
    if (family === 'unsupported') return 0;
    const names = presetsFor(family, this.presets).map(([name]) => name);
    const pending = await derivativeRows.ensure(tx, versionId, names);
    const jobs = options.jobPerDerivative
      ? pending.map((id) => ({ data: { derivativeId: id } satisfies DerivativeJobData, singletonKey: id }))
      : pending.length > 0
        ? [{ data: { versionId } satisfies DerivativeJobData, singletonKey: versionId }]
        : [];
    await this.queue.enqueueInTransaction(tx, DERIVATIVE_QUEUE, jobs);
    if (options.metadata !== false) {
      await this.queue.enqueueInTransaction(tx, METADATA_QUEUE, [{ data: { versionId } satisfies MetadataJobData, singletonKey: versionId }]);
    }
    return pending.length;
  }
}
