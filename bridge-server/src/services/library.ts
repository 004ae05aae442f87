import {
  BULK_LIMIT,
  StockroomError,
  type BulkAction,
  type BulkResult,
  type BulkSelection,
  type MethodParsedParams,
  type MethodResult,
} from '@stockroom/shared-types';
import sanitizeFileName from 'sanitize-filename';
import type { AssetFacts, LibraryRepository, TrashScope } from '../repositories/library.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { AssetsService } from './assets.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import { collectionRows } from '../repositories/collections.ts';
import type { Db } from '../repositories/db.ts';
import { derivativeContentUrl } from './derivative-dto.ts';
import { toAsset } from './mappers.ts';
import type { SearchService } from './search.ts';

const DAY_MS = 24 * 3600_000;
const SEARCH_PAGE = 200;
const PURGE_BATCH = 500;

export interface LibrarySettings {
  trashRetentionDays: number;
}

export interface ZipEntry {
  name: string;
  sha256: string;
  size: number;
}

/**
 * The library's many-asset actions: bulk tag / move / delete, the trash with restore and
 * its retention, and what a zip download contains. Each asset of a bulk action goes
 * through the same service method (and so the same rules, audit row and event) as the
 * single action; the permission for every asset is checked before the first change.
 */
export const NOTHING_READABLE = 'None of these assets exists or is yours to read. Search again and select them anew.';

export class LibraryService {
  constructor(
    private readonly db: Db,
    private readonly repo: LibraryRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly assets: AssetsService,
    private readonly search: () => SearchService,
    private readonly settings: LibrarySettings,
  ) {}

  async bulk(actor: Actor, params: MethodParsedParams<'library.bulk'>): Promise<BulkResult> {
    const ids = await this.resolve(actor, params.selection);
    // An asset the caller may not read is answered like a missing one: its name and existence stay hidden.
    const found = (await this.repo.facts(ids)).filter((a) => this.access.can(actor, 'asset.read', { collectionId: a.collectionId }));
    if (found.length === 0) throw new StockroomError('NOT_FOUND', NOTHING_READABLE);
    const live = found.filter((a) => a.deletedAt === null);
    const forbidden = live.filter((a) => !this.allowed(actor, params.action, a));
    if (forbidden.length > 0) {
      throw new StockroomError(
        'FORBIDDEN',
        `You may not ${verb(params.action)} ${forbidden.length} of the ${live.length} selected assets (for example “${forbidden[0]!.name}”). Nothing was changed; select only assets you may change, or ask a manager of their collection.`,
        { forbidden: forbidden.slice(0, 20).map((a) => a.id) },
      );
    }
    if (params.action.type === 'move' && params.action.collectionId) {
      const target = await collectionRows.find(this.db, params.action.collectionId);
      if (!target)
        throw new StockroomError('NOT_FOUND', 'The collection to move into does not exist (any more). Pick another one.', {
          collectionId: params.action.collectionId,
        });
    }
    const result: BulkResult = { matched: ids.length, done: 0, failed: [] };
    const known = new Set(found.map((a) => a.id));
    for (const id of ids) {
      if (!known.has(id) || found.find((a) => a.id === id)!.deletedAt) {
        result.failed.push({ assetId: id, name: '', code: 'NOT_FOUND', message: 'This asset does not exist or was deleted.' });
      }
    }
    for (const asset of live) {
      try {
        await this.applyOne(actor, params.action, asset);
        result.done += 1;
      } catch (error) {
        if (!(error instanceof StockroomError)) throw error;
        result.failed.push({ assetId: asset.id, name: asset.name, code: error.code, message: error.message });
      }
    }
    return result;
  }

  async trash(actor: Actor, params: MethodParsedParams<'library.trash'>): Promise<MethodResult<'library.trash'>> {
    const page = await this.repo.trashPage(this.trashScope(actor), decodeCursor(params.cursor), params.limit);
    const last = page.rows[page.rows.length - 1];
    return {
      assets: page.rows.map(toAsset),
      nextCursor: page.more && last ? encodeCursor(last.deletedAt!, last.id) : null,
      total: page.total,
      retentionDays: this.settings.trashRetentionDays,
    };
  }

  async restore(actor: Actor, params: MethodParsedParams<'library.restore'>): Promise<BulkResult> {
    const result: BulkResult = { matched: params.ids.length, done: 0, failed: [] };
    for (const id of params.ids) {
      try {
        await this.db.$transaction(async (tx) => {
          const row = await this.repo.lockDeleted(tx, id);
          if (!row) throw new StockroomError('NOT_FOUND', 'This asset is not in the trash (restored already, or removed for good).', { assetId: id });
          try {
            this.access.assert(actor, 'asset.delete', { collectionId: row.collectionId, createdById: row.createdById });
          } catch (error) {
            // One asset asked for: the refusal is the answer (NOT_FOUND when the caller may not even read it).
            if (params.ids.length === 1) throw new RefusedRestore(error);
            throw error;
          }
          const asset = toAsset(await this.repo.undelete(tx, id));
          await this.changes.record(tx, actor, { action: 'asset.restore', targetType: 'asset', targetId: id, data: { name: asset.name } }, [
            { event: 'asset.restored', data: { asset } },
          ]);
        });
        result.done += 1;
      } catch (error) {
        if (error instanceof RefusedRestore) throw error.refusal;
        if (!(error instanceof StockroomError)) throw error;
        result.failed.push({ assetId: id, name: '', code: error.code, message: error.message });
      }
    }
    return result;
  }

  /** Removes for good what has been in the trash longer than the retention period; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.settings.trashRetentionDays * DAY_MS);
    let purged = 0;
    for (;;) {
      const rows = await this.db.$transaction(async (tx) => {
        const gone = await this.repo.purgeDeletedBefore(tx, before, PURGE_BATCH);
        for (const row of gone) {
          await this.changes.record(
            tx,
            null,
            { action: 'asset.purge', targetType: 'asset', targetId: row.id, data: { name: row.name, retentionDays: this.settings.trashRetentionDays } },
            [],
          );
        }
        return gone;
      });
      purged += rows.length;
      if (rows.length < PURGE_BATCH) return purged;
    }
  }

  async duplicates(actor: Actor, params: MethodParsedParams<'library.duplicates'>): Promise<MethodResult<'library.duplicates'>> {
    const rows = (await this.repo.withHeadBytes([...new Set(params.sha256)])).filter((r) =>
      this.access.can(actor, 'asset.read', { collectionId: r.collectionId }),
    );
    const bySha = new Map<string, Array<{ id: string; name: string; collectionId: string | null }>>();
    for (const r of rows) bySha.set(r.sha256, [...(bySha.get(r.sha256) ?? []), { id: r.id, name: r.name, collectionId: r.collectionId }]);
    return { matches: [...bySha].map(([sha256, assets]) => ({ sha256, assets })) };
  }

  async thumbnails(actor: Actor, params: MethodParsedParams<'library.thumbnails'>): Promise<MethodResult<'library.thumbnails'>> {
    const rows = await this.repo.headThumbnails([...new Set(params.assetIds)]);
    return {
      thumbnails: rows
        .filter((r) => this.access.can(actor, 'asset.read', { collectionId: r.collectionId }))
        .map((r) => ({ assetId: r.assetId, versionNumber: r.number, url: derivativeContentUrl(r.assetId, r.number, 'thumbnail') })),
    };
  }

  /** The head versions of these assets, each with a unique file name, for a zip. */
  async zipEntries(actor: Actor, ids: string[]): Promise<ZipEntry[]> {
    const rows = await this.repo.heads([...new Set(ids)]);
    const readable = rows.filter((r) => this.access.can(actor, 'asset.read', { collectionId: r.collectionId }));
    if (readable.length === 0) throw new StockroomError('NOT_FOUND', NOTHING_READABLE);
    const used = new Set<string>();
    return readable.flatMap((row) => {
      const head = row.versions[0];
      if (!head) return [];
      return [{ name: uniqueName(fileNameOf(row.name, head.originalName), used), sha256: head.blobSha256, size: Number(head.size) }];
    });
  }

  async resolve(actor: Actor, selection: BulkSelection): Promise<string[]> {
    if ('ids' in selection) return [...new Set(selection.ids)];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.search().search(actor, {
        q: selection.query.q,
        filters: selection.query.filters,
        facets: [],
        sort: 'newest',
        limit: SEARCH_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.hits.map((h) => h.asset.id));
      cursor = page.nextCursor ?? undefined;
      if (ids.length > BULK_LIMIT) {
        throw new StockroomError('VALIDATION_FAILED', `More than ${BULK_LIMIT} assets match. Narrow the search or the filters, then try again.`, {
          limit: BULK_LIMIT,
        });
      }
    } while (cursor);
    return ids;
  }

  private allowed(actor: Actor, action: BulkAction, asset: AssetFacts): boolean {
    const where = { collectionId: asset.collectionId, createdById: asset.createdById };
    switch (action.type) {
      case 'tag':
        return this.access.can(actor, 'asset.edit', where);
      case 'move':
        return (
          action.collectionId === asset.collectionId ||
          (this.access.can(actor, 'asset.edit', where) &&
            this.access.can(actor, 'asset.delete', where) &&
            this.access.can(actor, 'asset.create', { collectionId: action.collectionId }))
        );
      case 'delete':
        return this.access.can(actor, 'asset.delete', where);
    }
  }

  private async applyOne(actor: Actor, action: BulkAction, asset: AssetFacts): Promise<void> {
    switch (action.type) {
      case 'tag': {
        const remove = new Set(action.remove.map((t) => t.toLowerCase()));
        const kept = asset.tags.filter((t) => !remove.has(t.toLowerCase()));
        const tags = [...kept, ...action.add.filter((t) => !kept.some((k) => k.toLowerCase() === t.toLowerCase()))];
        await this.assets.update(actor, { id: asset.id, tags });
        return;
      }
      case 'move':
        if (action.collectionId !== asset.collectionId) await this.assets.update(actor, { id: asset.id, collectionId: action.collectionId });
        return;
      case 'delete':
        await this.assets.delete(actor, asset.id);
        return;
    }
  }

  private trashScope(actor: Actor): TrashScope {
    if (actor.user.role === 'admin' && this.access.can(actor, 'asset.delete', { collectionId: null, createdById: actor.user.id })) return { all: true };
    const collectionIds = [...(actor.grants?.keys() ?? [])].filter((id) => this.access.can(actor, 'asset.delete', { collectionId: id }));
    return { all: false, collectionIds, userId: actor.user.id };
  }
}

function verb(action: BulkAction): string {
  return action.type === 'tag' ? 'tag' : action.type === 'move' ? 'move' : 'delete';
}

function encodeCursor(deletedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([deletedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { deletedAt: Date; id: string } | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const deletedAt = new Date(at);
    if (Number.isNaN(deletedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad cursor');
    return { deletedAt, id };
  } catch {
    throw new StockroomError('VALIDATION_FAILED', 'This trash cursor is not one the server gave out. Start again from the first page.');
  }
}

/** The asset's name, with the original file's extension when the name lacks it. */
function fileNameOf(name: string, originalName: string): string {
  const safe = sanitizeFileName(name, { replacement: '_' }).trim() || 'asset';
  const ext = originalName.includes('.') ? originalName.slice(originalName.lastIndexOf('.')) : '';
  return ext && !safe.toLowerCase().endsWith(ext.toLowerCase()) ? `${safe}${ext}` : safe;
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  const dot = name.lastIndexOf('.');
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** Carries the access policy's refusal of a one-asset restore out of the loop that lists per-asset failures. */
class RefusedRestore extends Error {
  constructor(readonly refusal: unknown) {
    super('restore refused');
  }
}
