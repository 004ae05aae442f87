import type { QueuedJob } from '../ports/job-queue.ts';
import type { MediaTools } from '../ports/media-tools.ts';
import type { Logger } from '../logger.ts';
import { isMediaError } from '../media/errors.ts';
import type { SharedProbe } from '../media/shared-probe.ts';
import type { MetadataJobData } from '../services/derivative-planning.ts';
import type { DerivativeWorkRecorder, ExtractedMetadata } from '../services/derivative-work.ts';
import type { LocalOriginals } from './local-originals.ts';
import type { MediaSettings } from './settings.ts';

export interface MetadataJobDeps {
  derivatives: DerivativeWorkRecorder;
  settings: MediaSettings;
  logger: Logger;
  /** One ffprobe per original in this process, shared with the derivative jobs. */
  probes: SharedProbe;
  /** One local copy per original in this process, shared with the derivative jobs (one fetch from the blob store). */
  originals: LocalOriginals;
  tools: MediaTools;
}

/**
 * Extracts the facts of a batch of versions into their metadata, recorded together (one
 * transaction and one event per asset). A file whose facts cannot be read keeps an
 * `extraction` entry with the reason, so the dashboard and search can tell. Anything else
 * (the database or blob store away) throws, and the whole batch is retried.
 */
export async function runMetadataJobs(deps: MetadataJobDeps, jobs: QueuedJob<MetadataJobData>[]): Promise<void> {
  const { derivatives, settings, logger } = deps;
  const sources = await derivatives.metadataSources(jobs.map((job) => job.data.versionId));
  const extracted: ExtractedMetadata[] = [];
  for (const job of jobs) {
    const versionId = job.data.versionId;
    const source = sources.get(versionId);
    if (!source || source.family === 'unsupported') continue;
    const original = await deps.originals.acquire(source.sha256, source.originalName);
    try {
      const facts = await deps.tools.extractMetadata(
        original.path,
        source.family,
        settings.limits,
        job.signal,
        deps.probes.probeFor(source.sha256, original.path, settings.limits, job.signal),
      );
      extracted.push({ versionId, metadata: { ...facts, extractedAt: new Date().toISOString() }, keywords: facts.keywords });
    } catch (error) {
      if (!isMediaError(error)) throw error;
      logger.warn({ versionId, reason: error.reason }, 'metadata could not be extracted');
      extracted.push({
        versionId,
        metadata: {
          family: source.family,
          extraction: { status: 'failed', reason: error.reason, message: error.message },
          extractedAt: new Date().toISOString(),
        },
        keywords: [],
      });
    } finally {
      await original.release();
    }
  }
  await derivatives.recordMetadata(extracted);
}
