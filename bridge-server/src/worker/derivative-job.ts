import { link } from 'node:fs/promises';
import path from 'node:path';
import type { LimitFunction } from 'p-limit';
import type { BlobStore } from '../ports/blob-store.ts';
import type { QueuedJob } from '../ports/job-queue.ts';
import type { MediaTools } from '../ports/media-tools.ts';
import type { Logger } from '../logger.ts';
import { isMediaError } from '../media/errors.ts';
import type { SharedProbe } from '../media/shared-probe.ts';
import type { PresetSpec } from '../media/presets.ts';
import { asImagePreset, canResizeFrom, type LargerStill } from '../media/still-source.ts';
import type { DerivativeJobData } from '../services/derivative-planning.ts';
import type { DerivativeWork, DerivativeWorkRecorder } from '../services/derivative-work.ts';
import { hashFile } from '../media/hash-file.ts';
import type { LocalOriginal, LocalOriginals } from './local-originals.ts';
import { withScratchDir } from './scratch.ts';
import type { MediaSettings } from './settings.ts';

/** Reasons that no retry can change: the file itself is the problem. */
const PERMANENT = new Set(['empty-file', 'unsupported-format', 'corrupt-file', 'too-many-pixels', 'too-long']);
/** job.progress is an event per row in the outbox: at most one every 5 % or 2 s. */
const PROGRESS_STEP = 5;
const PROGRESS_INTERVAL_MS = 2000;
/**
 * Stills first, the largest first so the smaller ones are resized from it (see
 * canResizeFrom); then the quick timed-media results, so a poster shows while the proxy
 * is still being made.
 */
const MAKING_ORDER: Record<PresetSpec['type'], number> = {
  image: 0,
  poster: 1,
  peaks: 2,
  waveform: 3,
  filmstrip: 4,
  'audio-preview': 5,
  proxy: 6,
};

export interface DerivativeJobDeps {
  derivatives: DerivativeWorkRecorder;
  blobStore: BlobStore;
  settings: MediaSettings;
  logger: Logger;
  /** The media work of all lanes shares these slots (one per core); the rest of a job runs beside them. */
  mediaSlots: LimitFunction;
  /** One ffprobe per original in this process, shared with the metadata job and between presets. */
  probes: SharedProbe;
  /** One local copy per original in this process, shared with the metadata job (one fetch from the blob store). */
  originals: LocalOriginals;
  tools: MediaTools;
}

/**
 * One attempt at the derivatives of one job (every pending one of a version, or the one a
 * retry names), made one after the other from one local copy of the original. Each is
 * recorded as soon as it is made. A file that can never work is marked failed at once and
 * the job goes on; anything else (a tool crash, a timeout, the database or blob store away)
 * leaves that derivative pending and makes the job throw at the end, so the queue retries
 * it with backoff (the retry claims only what is still pending), and the last attempt marks
 * it failed.
 */
export async function runDerivativeJob(deps: DerivativeJobDeps, job: QueuedJob<DerivativeJobData>): Promise<void> {
  // Claimed again until nothing of the job's target is pending: a regenerate that came while
  // this job ran reset its rows, and its own job was refused because this one still held the
  // key, so this job makes them too.
  for (let pass = 0; ; pass += 1) {
    const claimedAt = performance.now();
    const works = await deps.derivatives.claim(job.data, { pendingOnly: pass > 0 });
    if (works.length === 0) return;
    await runClaimed(deps, job, works, performance.now() - claimedAt);
  }
}

/** One pass over what was claimed; throws (for the queue's retry) when a derivative failed for a reason a retry can change. */
async function runClaimed(deps: DerivativeJobDeps, job: QueuedJob<DerivativeJobData>, works: DerivativeWork[], claimMs: number): Promise<void> {
  let retryable: unknown = null;
  await withScratchDir(deps.settings.workDir, async (dir) => {
    let original: LocalOriginal;
    try {
      original = await deps.originals.acquire(works[0]!.sourceSha256, works[0]!.originalName);
    } catch (error) {
      for (const work of works) await recordFailure(deps, job, work, error);
      throw error;
    }
    try {
      const stills: LargerStills = {};
      for (const work of [...works].sort(byMakingOrder)) {
        try {
          // The queue gave the job up (lost heartbeat, shutdown): what is left waits for the retry.
          job.signal.throwIfAborted();
          await makeOne(deps, job, work, { source: original.path, dir, claimMs, stills });
        } catch (error) {
          if (await recordFailure(deps, job, work, error)) retryable ??= error;
        }
      }
    } finally {
      await original.release();
    }
  });
  if (retryable) throw retryable;
}

/**
 * Marks a failed attempt: failed for good when the file can never work or no retry is left,
 * pending otherwise. True when the job should be retried for it.
 */
async function recordFailure(deps: DerivativeJobDeps, job: QueuedJob<DerivativeJobData>, work: DerivativeWork, error: unknown): Promise<boolean> {
  const log = deps.logger.child({ derivativeId: work.id, preset: work.preset, attempt: job.retryCount + 1 });
  const reason = isMediaError(error) ? error.reason : 'internal';
  const message = isMediaError(error) ? error.message : 'The server could not make this file; it will try again. If it keeps failing, check the server log.';
  const final = PERMANENT.has(reason) || job.retryCount >= job.retryLimit;
  await deps.derivatives.finishFailed(work.id, reason, message, final);
  if (final && PERMANENT.has(reason)) {
    log.warn({ reason, failure: message }, 'derivative failed: the file cannot be converted');
    return false;
  }
  log.warn({ err: error, reason, final }, 'derivative attempt failed');
  return true;
}

/** The largest still of each type (image, poster) this job has made: the first one, as they are made largest first. */
type LargerStills = Partial<Record<'image' | 'poster', LargerStill>>;

function byMakingOrder(a: DerivativeWork, b: DerivativeWork): number {
  // Stills and posters largest first: the smaller ones are resized from it.
  return MAKING_ORDER[a.spec.type] - MAKING_ORDER[b.spec.type] || sizeOf(b.spec) - sizeOf(a.spec);
}

function sizeOf(spec: PresetSpec): number {
  return 'size' in spec ? spec.size : 0;
}

async function makeOne(
  deps: DerivativeJobDeps,
  job: QueuedJob<DerivativeJobData>,
  work: DerivativeWork,
  context: { source: string; dir: string; claimMs: number; stills: LargerStills },
): Promise<void> {
  const { derivatives, blobStore, settings, logger } = deps;
  const t0 = performance.now();
  const log = logger.child({ derivativeId: work.id, preset: work.preset, attempt: job.retryCount + 1 });
  const ms = { claim: context.claimMs, wait: 0, make: 0, store: 0, record: 0 };
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
  const spec = work.spec;
  const still = spec.type === 'image' || spec.type === 'poster' ? spec : null;
  const larger = still ? context.stills[still.type] : undefined;
  const resize = still && larger && canResizeFrom(larger, still) ? { from: larger, preset: asImagePreset(still) } : null;
  try {
    let mark = performance.now();
    const made = await deps.mediaSlots(() => {
      ms.wait = performance.now() - mark;
      mark = performance.now();
      // The queue gave the job up (lost heartbeat, shutdown) while it waited for a slot.
      job.signal.throwIfAborted();
      if (resize) {
        return deps.tools
          .makeDerivative(resize.from.path, 'image', work.preset, resize.preset, settings.limits, { outDir: context.dir, signal: job.signal })
          .then((file) => ({ ...file, data: resize.from.data }));
      }
      return deps.tools.makeDerivative(context.source, work.family, work.preset, work.spec, settings.limits, {
        outDir: context.dir,
        signal: job.signal,
        onProgress,
        probed: work.probed,
        stillFacts: work.stillFacts,
        probe: deps.probes.probeFor(work.sourceSha256, context.source, settings.limits, job.signal),
      });
    });
    if (still && !larger) {
      // Kept under another name (a hard link, no copy): storing the file moves it into the blob store.
      const kept = path.join(context.dir, `larger-${path.basename(made.path)}`);
      await link(made.path, kept);
      context.stills[still.type] = { path: kept, mimeType: made.mimeType, spec: still, data: made.data };
    }
    ms.make = performance.now() - mark;
    mark = performance.now();
    const { sha256, size } = await hashFile(made.path);
    const { storageKey } = await blobStore.putFile(made.path, sha256, size);
    ms.store = performance.now() - mark;
    const stored = {
      sha256,
      size,
      storageKey,
      mimeType: made.mimeType,
      width: made.width,
      height: made.height,
      durationSeconds: made.durationSeconds,
      data: made.data,
    };
    await reporting;
    mark = performance.now();
    await derivatives.finishReady(work, stored);
    ms.record = performance.now() - mark;
    // Where a derivative's time went: the job's claim, waiting for a media slot, the media work, storing the file, recording it.
    log.info(
      {
        ms: Math.round(performance.now() - t0),
        phases: roundAll(ms),
        sha256: stored.sha256,
        size: stored.size,
        from: resize ? resize.from.spec.size : 'original',
      },
      'derivative ready',
    );
  } finally {
    // A progress report still under way must not land after the derivative is recorded or failed.
    await reporting;
  }
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)]));
}
