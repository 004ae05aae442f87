import type { LimitFunction } from 'p-limit';
import type { BlobStore } from '../adapters/blob-store/types.ts';
import type { QueuedJob } from '../adapters/queue/types.ts';
import type { Logger } from '../logger.ts';
import { isMediaError } from '../media/errors.ts';
import { makeDerivative } from '../media/make-derivative.ts';
import type { DerivativeJobData, DerivativesService } from '../services/derivatives.ts';
import { hashFile, materialize, withScratchDir } from './scratch.ts';
import type { MediaSettings } from './settings.ts';

/** Reasons that no retry can change: the file itself is the problem. */
const PERMANENT = new Set(['empty-file', 'unsupported-format', 'corrupt-file', 'too-many-pixels', 'too-long']);
/** job.progress is an event per row in the outbox: at most one every 5 % or 2 s. */
const PROGRESS_STEP = 5;
const PROGRESS_INTERVAL_MS = 2000;

export interface DerivativeJobDeps {
  derivatives: DerivativesService;
  blobStore: BlobStore;
  settings: MediaSettings;
  logger: Logger;
  /** The media work of all lanes shares these slots (one per core); the rest of a job runs beside them. */
  mediaSlots: LimitFunction;
}

/**
 * One attempt at one derivative. A file that can never work is marked failed at once and
 * the job completes (the queue moves on); anything else (a tool crash, a timeout, the
 * database or blob store away) throws, so the queue retries with backoff, and the last
 * attempt marks it failed.
 */
export async function runDerivativeJob(deps: DerivativeJobDeps, job: QueuedJob<DerivativeJobData>): Promise<void> {
  const { derivatives, blobStore, settings, logger } = deps;
  const t0 = performance.now();
  const work = await derivatives.claim(job.data.derivativeId);
  if (!work) return;
  const log = logger.child({ derivativeId: work.id, preset: work.preset, attempt: job.retryCount + 1 });
  const ms = { claim: performance.now() - t0, wait: 0, make: 0, store: 0, record: 0 };
  let lastPercent = 0;
  let lastReport = 0;
  let reporting: Promise<void> = Promise.resolve();
  const onProgress = (percent: number) => {
    const now = Date.now();
    if (percent < 100 && (percent - lastPercent < PROGRESS_STEP || now - lastReport < PROGRESS_INTERVAL_MS)) return;
    lastPercent = percent;
    lastReport = now;
    reporting = reporting.then(() => derivatives.progress(work.id, percent)).catch((error) => log.warn({ err: error }, 'could not report progress'));
  };
  try {
    const stored = await withScratchDir(settings.workDir, async (dir) => {
      const source = await materialize(blobStore, work.sourceSha256, dir, work.originalName);
      let mark = performance.now();
      const made = await deps.mediaSlots(() => {
        ms.wait = performance.now() - mark;
        mark = performance.now();
        // The queue gave the job up (lost heartbeat, shutdown) while it waited for a slot.
        job.signal.throwIfAborted();
        return makeDerivative(source, work.family, work.preset, work.spec, settings.limits, { outDir: dir, signal: job.signal, onProgress, probed: work.probed });
      });
      ms.make = performance.now() - mark;
      mark = performance.now();
      const { sha256, size } = await hashFile(made.path);
      const { storageKey } = await blobStore.putFile(made.path, sha256, size);
      ms.store = performance.now() - mark;
      return { sha256, size, storageKey, mimeType: made.mimeType, width: made.width, height: made.height, durationSeconds: made.durationSeconds, data: made.data };
    });
    await reporting;
    const mark = performance.now();
    await derivatives.finishReady(work.id, stored);
    ms.record = performance.now() - mark;
    // Where a job's time went: waiting for a media slot, the media work, storing the file, and the database around it.
    log.info({ ms: Math.round(performance.now() - t0), phases: roundAll(ms), sha256: stored.sha256, size: stored.size }, 'derivative ready');
  } catch (error) {
    await reporting;
    const reason = isMediaError(error) ? error.reason : 'internal';
    const message = isMediaError(error) ? error.message : 'The server could not make this file; it will try again. If it keeps failing, check the server log.';
    const final = PERMANENT.has(reason) || job.retryCount >= job.retryLimit;
    await derivatives.finishFailed(work.id, reason, message, final);
    if (final && PERMANENT.has(reason)) {
      log.warn({ reason, failure: message }, 'derivative failed: the file cannot be converted');
      return;
    }
    log.warn({ err: error, reason, final }, 'derivative attempt failed');
    throw error;
  }
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)]));
}
