import type { Derivative } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { Db } from '../repositories/db.ts';
import { derivativeRows } from '../repositories/derivatives.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { toDerivative } from './derivative-dto.ts';
import type { DerivativePlanner } from './derivative-planning.ts';

/** What callers ask of derivatives (rpc/, the download route, the CLI): list, download, make again. */
export class DerivativeRequests {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly planner: DerivativePlanner,
  ) {}

  async list(actor: Actor, assetId: string, number?: number): Promise<Derivative[]> {
    const asset = await derivativeRows.assetHead(this.db, assetId);
    const missing = new StockroomError('NOT_FOUND', 'This asset does not exist (or was deleted).', { assetId });
    if (!asset || asset.deletedAt) throw missing;
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId, hiddenAs: missing });
    const rows = await derivativeRows.ofVersion(this.db, assetId, number ?? asset.headVersion);
    return rows.map(toDerivative);
  }

  /**
   * `missing`: versions get the presets they lack, and failed derivatives are tried again.
   * `all`: every derivative is made again (after presets changed). Returns how many derivatives were queued (one job each).
   */
  async regenerate(mode: 'missing' | 'all', options: { assetId?: string; batchSize?: number } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 200;
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const versions = await derivativeRows.liveVersions(this.db, { assetId: options.assetId, after, limit: batchSize });
      if (versions.length === 0) return queued;
      after = versions.at(-1)!.id;
      await this.db.$transaction(async (tx) => {
        const ids = versions.map((v) => v.id);
        await derivativeRows.resetMany(tx, ids, mode === 'all' ? ['ready', 'failed', 'pending'] : ['failed']);
        for (const v of versions) queued += await this.planner.plan(tx, v.id, v.originalName, v.mimeType, { metadata: mode === 'all', jobPerDerivative: true });
      });
    }
  }

  /** What a download of one derivative serves. */
  async content(actor: Actor, assetId: string, number: number, preset: string): Promise<{ sha256: string; size: number; fileName: string; mimeType: string }> {
    const row = await derivativeRows.contentSource(this.db, assetId, number, preset);
    const missing = new StockroomError('NOT_FOUND', `Version ${number} of this asset has no "${preset}" derivative.`, { assetId, number, preset });
    if (!row || row.deletedAt) throw missing;
    this.access.assert(actor, 'asset.read', { collectionId: row.collectionId, hiddenAs: missing });
    if (row.status !== 'ready' || !row.blobSha256 || row.size === null) {
      throw new StockroomError(
        'NOT_FOUND',
        row.status === 'failed'
          ? `The "${preset}" of this version could not be made: ${row.failure ?? 'unknown reason'}`
          : `The "${preset}" of this version is not ready yet. Wait for the derivative.ready event.`,
        { assetId, number, preset, status: row.status },
      );
    }
    const base = row.originalName.replace(/\.[^.]+$/, '');
    const extension = EXTENSIONS[row.mimeType ?? ''] ?? 'bin';
    return { sha256: row.blobSha256, size: row.size, fileName: `${base}.${preset}.${extension}`, mimeType: row.mimeType ?? 'application/octet-stream' };
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
  'application/json': 'json',
};
