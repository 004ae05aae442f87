import type { Derivative, Job } from '@stockroom/shared-types';
import type { JobRow } from '../repositories/derivatives.ts';

export function derivativeContentUrl(assetId: string, number: number, preset: string): string {
  return `/api/assets/${assetId}/versions/${number}/derivatives/${preset}/content`;
}

export function toDerivative(row: JobRow): Derivative {
  const { assetId, number } = row.version;
  return {
    id: row.id,
    assetId,
    versionNumber: number,
    preset: row.preset,
    status: row.status,
    sha256: row.blobSha256,
    mimeType: row.mimeType,
    size: row.size === null ? null : Number(row.size),
    width: row.width,
    height: row.height,
    durationSeconds: row.durationSeconds,
    data: row.data as Record<string, unknown>,
    contentUrl: row.status === 'ready' ? derivativeContentUrl(assetId, number, row.preset) : null,
    // Whoever may read the asset may know why its thumbnail is missing.
    failureReason: row.status === 'failed' ? row.failureReason : null,
    failure: row.status === 'failed' ? row.failure : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toJob(row: JobRow): Job {
  return {
    ...toDerivative(row),
    assetName: row.version.asset.name,
    collectionId: row.version.asset.collectionId,
    progress: row.progress,
    attempts: row.attempts,
    failureReason: row.failureReason,
    failure: row.failure,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
