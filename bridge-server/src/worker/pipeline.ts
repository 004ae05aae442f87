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
import { jobNames, MEDIA_JOBS } from '../ports/jobs.ts';
import { DerivativesService } from '../services/derivatives.ts';
import { JobsService } from '../services/jobs.ts';
import { LocalOriginals } from './local-originals.ts';
import { mediaJobRunners, workAll } from './media-jobs.ts';
import { removeStaleScratch } from './scratch.ts';
import type { MediaSettings } from './settings.ts';

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
  const queue = new PgBossQueue(deps.databaseUrl, deps.settings.queue, logger, { jobs: MEDIA_JOBS });
  const derivatives = new DerivativesService(deps.db, deps.sql, deps.access, deps.changes, queue, deps.settings.presets);
  deps.changes.on(['version.created'], derivatives.onChange);
  const originals = new LocalOriginals(deps.blobStore, deps.settings.workDir, deps.settings.keepOriginals, logger);
  const jobDeps = {
    derivatives: derivatives.work,
    blobStore: deps.blobStore,
    settings: deps.settings,
    logger,
    probes: new SharedProbe(),
    originals,
    tools: mediaTools,
  };
  return {
    derivatives,
    jobs: new JobsService(deps.db, deps.access, queue),
    async start({ work }) {
      await queue.start(jobNames(MEDIA_JOBS));
      if (!work) return;
      await mkdir(deps.settings.workDir, { recursive: true });
      const stale = await removeStaleScratch(deps.settings.workDir, deps.settings.queue.expireInSeconds * 1000);
      if (stale > 0) logger.info({ removed: stale }, 'removed scratch folders of jobs that died');
      const concurrency = deps.settings.concurrency;
      await workAll(queue, MEDIA_JOBS, mediaJobRunners(jobDeps, concurrency, pLimit(concurrency)));
      logger.info({ concurrency }, 'worker is taking derivative jobs');
    },
    async stop() {
      await queue.stop({ graceful: true });
      await originals.stop();
    },
    queueDepth: () => queue.depth(),
  };
}
