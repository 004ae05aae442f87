import type { BlobStore } from '../adapters/blob-store/types.ts';
import type { QueuedJob } from '../adapters/queue/types.ts';
import type { Logger } from '../logger.ts';
import { isMediaError } from '../media/errors.ts';
import { extractMetadata } from '../media/extract-metadata.ts';
import type { DerivativesService, MetadataJobData } from '../services/derivatives.ts';
import { materialize, withScratchDir } from './scratch.ts';
import type { MediaSettings } from './settings.ts';

export interface MetadataJobDeps {
  derivatives: DerivativesService;
  blobStore: BlobStore;
  settings: MediaSettings;
  logger: Logger;
}

/**
 * Extracts a version's facts into its metadata. A file whose facts cannot be read keeps a
 * `extraction` entry with the reason, so the dashboard and search can tell.
 */
export async function runMetadataJob(deps: MetadataJobDeps, job: QueuedJob<MetadataJobData>): Promise<void> {
  const { derivatives, blobStore, settings, logger } = deps;
  const source = await derivatives.metadataSource(job.data.versionId);
  if (!source || source.family === 'unsupported') return;
  await withScratchDir(settings.workDir, async (dir) => {
    const file = await materialize(blobStore, source.sha256, dir, source.originalName);
    try {
      const facts = await extractMetadata(file, source.family, settings.limits, job.signal);
      await derivatives.recordMetadata(job.data.versionId, { ...facts, extractedAt: new Date().toISOString() }, facts.keywords);
    } catch (error) {
      if (!isMediaError(error)) throw error;
      logger.warn({ versionId: job.data.versionId, reason: error.reason }, 'metadata could not be extracted');
      await derivatives.recordMetadata(
        job.data.versionId,
        { family: source.family, extraction: { status: 'failed', reason: error.reason, message: error.message }, extractedAt: new Date().toISOString() },
        [],
      );
    }
  });
}
