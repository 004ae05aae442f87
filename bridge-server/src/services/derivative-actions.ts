import { StockroomError, type BulkResult, type MethodParsedParams, type RegenerateResult } from '@stockroom/shared-types';
import type { DerivativeActionsRepository } from '../repositories/derivative-actions.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db } from '../repositories/db.ts';
import type { DerivativesService } from './derivatives.ts';
import { NOTHING_READABLE, type LibraryService } from './library.ts';

/**
 * Derivatives of many assets at once, from the library's bulk bar: each asset needs the
 * right to edit it; the ones refused are listed with the reason, the others are queued.
 */
export class DerivativeActionsService {
  constructor(
    private readonly db: Db,
    private readonly repo: DerivativeActionsRepository,
    private readonly access: AccessPolicy,
    private readonly library: LibraryService,
    private readonly derivatives: DerivativesService,
    private readonly changes: ChangeRecorder,
  ) {}

  async regenerate(actor: Actor, params: MethodParsedParams<'derivatives.regenerate'>): Promise<RegenerateResult> {
    const ids = await this.library.resolve(actor, params.selection);
    // An asset the caller may not read is answered like a missing one: its name and existence stay hidden.
    const rows = (await this.repo.assets(ids)).filter((a) => this.access.can(actor, 'asset.read', { collectionId: a.collectionId }));
    if (rows.length === 0) throw new StockroomError('NOT_FOUND', NOTHING_READABLE);
    const live = rows.filter((a) => a.deletedAt === null);
    // All or nothing, as the library's other bulk actions: a selection with an asset the caller may not change changes nothing.
    const forbidden = live.filter((a) => !this.access.can(actor, 'asset.edit', { collectionId: a.collectionId, createdById: a.createdById }));
    if (forbidden.length > 0) {
      throw new StockroomError(
        'FORBIDDEN',
        `You may not make derivatives of ${forbidden.length} of the ${live.length} selected assets (for example “${forbidden[0]!.name}”). Nothing was queued; select only assets you may change, or ask a manager of their collection.`,
        { forbidden: forbidden.slice(0, 20).map((a) => a.id) },
      );
    }
    const liveIds = new Set(live.map((a) => a.id));
    const failed: BulkResult['failed'] = ids
      .filter((id) => !liveIds.has(id))
      .map((id) => ({ assetId: id, name: '', code: 'NOT_FOUND', message: 'This asset does not exist or was deleted.' }));
    let done = 0;
    let queued = 0;
    for (const asset of live) {
      const jobs = await this.derivatives.regenerate(params.mode, { assetId: asset.id });
      await this.db.$transaction((tx) =>
        this.changes.record(
          tx,
          actor,
          { action: 'derivatives.regenerate', targetType: 'asset', targetId: asset.id, data: { name: asset.name, mode: params.mode, queued: jobs } },
          [],
        ),
      );
      queued += jobs;
      done++;
    }
    return { matched: ids.length, done, failed, queued };
  }
}
