import { mkdir } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { BlobStore } from '../ports/blob-store.ts';
import { PgBossQueue } from '../adapters/queue/pg-boss.ts';
import type { Logger } from '../logger.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { ChangeRecorder } from '../services/change-recorder.ts';
import type { Db, Sql } from '../repositories/db.ts';
import { SharedProbe } from '../media/shared-probe.ts';
import { mediaTools } from '../adapters/media-tools.ts';
import { DERIVATIVE_QUEUE, DerivativesService, METADATA_QUEUE, type DerivativeJobData, type MetadataJobData } from '../services/derivatives.ts';
import { JobsService } from '../services/jobs.ts';
import { runDerivativeJob } from './derivative-job.ts';
import { runMetadataJobs } from './metadata-job.ts';
import { removeStaleScratch } from './scratch.ts';
import type { MediaSettings } from './settings.ts';

const LANES_PER_MEDIA_SLOT = 2;
/** Metadata jobs a lane takes at once from a backlog: a few seconds of header reads at most. */
const METADATA_BATCH = 10;

export interface MediaPipeline {
  derivatives: DerivativesService;
  jobs: JobsService;
  /** Starts the queue; with `work`, this process also runs jobs (the worker role). */
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Jobs waiting and running, per queue. */
  queueDepth(): Promise<Array<{ queue: string; queued: number; active: number }>>;
}

export interface MediaPipelineDeps {
  db: Db;
  sql: Sql;
  databaseUrl: string;
  blobStore: BlobStore;
  access: AccessPolicy;
  changes: ChangeRecorder;
  settings: MediaSettings;
  logger: Logger;
}

/**
 * Derivatives and metadata extraction: the queue, the service, and the worker loops.
 * Every new version plans its jobs in its own transaction (a ChangeRecorder listener),
 * so a version never exists without its jobs, nor jobs without their version.
 */
export function createMediaPipeline(deps: MediaPipelineDeps): MediaPipeline {
  const logger = deps.logger.child({ component: 'media' });
  const queue = new PgBossQueue(deps.databaseUrl, deps.settings.queue, logger);
  const derivatives = new DerivativesService(deps.db, deps.sql, deps.access, deps.changes, queue, deps.settings.presets);
  deps.changes.on(['version.created'], derivatives.onChange);
  const jobDeps = { derivatives: derivatives.work, blobStore: deps.blobStore, settings: deps.settings, logger, probes: new SharedProbe(), tools: mediaTools };
  return {
    derivatives,
    jobs: new JobsService(deps.db, deps.access, queue),
    async start({ work }) {
      await queue.start([DERIVATIVE_QUEUE, METADATA_QUEUE]);
      if (!work) return;
      await mkdir(deps.settings.workDir, { recursive: true });
      const stale = await removeStaleScratch(deps.settings.workDir, deps.settings.queue.expireInSeconds * 1000);
      if (stale > 0) logger.info({ removed: stale }, 'removed scratch folders of jobs that died');
      const concurrency = deps.settings.concurrency;
      // `concurrency` media slots (one per core by default) bound the CPU-heavy work. Twice as
      // many queue lanes keep them fed: while a job converts, another lane fetches and claims
      // the next one, or stores and records the one before, so those round trips (tens of ms
      // a job) never leave a core idle; a small thumbnail takes little more than that.
      const mediaSlots = pLimit(concurrency);
      await queue.work<DerivativeJobData>(DERIVATIVE_QUEUE, concurrency * LANES_PER_MEDIA_SLOT, (job) => runDerivativeJob({ ...jobDeps, mediaSlots }, job));
      // Metadata extraction reads headers only: cheap, so it gets its own small lane and never
      // waits behind transcodes; a backlog (an import) is taken in batches, recorded together.
      await queue.workBatches<MetadataJobData>(METADATA_QUEUE, Math.max(1, Math.ceil(concurrency / 2)), METADATA_BATCH, (jobs) => runMetadataJobs(jobDeps, jobs));
      logger.info({ concurrency }, 'worker is taking derivative jobs');
    },
    async stop() {
      await queue.stop({ graceful: true });
    },
    queueDepth: () => queue.depth(),
  };
}
