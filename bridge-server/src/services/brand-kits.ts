import type { BrandEntry, BrandEntryState, BrandKit, BrandKitSummary, MethodParsedParams } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { BrandAssetRow, BrandKitRow, BrandKitsRepository, NewSection } from '../repositories/brand-kits.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db } from '../repositories/db.ts';
import { toUserRef } from './mappers.ts';

type StoredVariant = { name: string; assetId: string };

/** What the content route needs to send one variant of an entry. */
export interface InsertableVariant {
  assetId: string;
  variant: string;
  kind: string;
  version: { number: number; sha256: string; size: number; mimeType: string; fileName: string };
}

/**
 * Brand kits: which collections are offered to the design tools, in which sections and
 * order, with which variants and notes. Expired and withdrawn entries are never offered
 * for insertion (docs/figma.md).
 */
export class BrandKitsService {
  constructor(
    private readonly db: Db,
    private readonly repo: BrandKitsRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor): Promise<BrandKitSummary[]> {
    const rows = await this.repo.summaries();
    return rows
      .filter((r) => this.access.can(actor, 'collection.read', { collectionId: r.collectionId }))
      .map((r) => ({
        collectionId: r.collectionId,
        name: r.collection.name,
        sections: r.sections.length,
        entries: r.sections.reduce((n, s) => n + s._count.entries, 0),
        updatedAt: r.updatedAt.toISOString(),
      }));
  }

  async get(actor: Actor, params: MethodParsedParams<'brandKits.get'>): Promise<BrandKit> {
    this.access.assert(actor, 'collection.read', { collectionId: params.collectionId });
    if (params.includeUnavailable) this.access.assert(actor, 'collection.manage', { collectionId: params.collectionId });
    const kit = await this.repo.find(params.collectionId);
    if (!kit) throw notAKit(params.collectionId);
    return this.toKit(kit, params.includeUnavailable);
  }

  async save(actor: Actor, params: MethodParsedParams<'brandKits.save'>): Promise<BrandKit> {
    this.access.assert(actor, 'collection.manage', { collectionId: params.collectionId });
    const collection = await this.repo.collection(params.collectionId);
    if (!collection) throw new StockroomError('NOT_FOUND', 'This collection does not exist.', { collectionId: params.collectionId });
    const variantIds = [...new Set(params.sections.flatMap((s) => s.entries.flatMap((e) => e.variants.map((v) => v.assetId))))];
    await this.db.$transaction(async (tx) => {
      const { updatedAt, created } = await this.repo.lockForEdit(tx, params.collectionId);
      if (!created && params.baseUpdatedAt !== updatedAt.toISOString()) {
        throw new StockroomError('VERSION_CONFLICT', 'Somebody changed this brand kit after you opened it. Reload it, make your change again, and save.', {
          updatedAt: updatedAt.toISOString(),
        });
      }
      const assets = new Map((await this.repo.assets(variantIds, tx)).map((a) => [a.id, a]));
      const wrong = variantIds.filter((id) => {
        const a = assets.get(id);
        return !a || a.deletedAt !== null || a.collectionId !== params.collectionId;
      });
      if (wrong.length > 0) {
        throw new StockroomError(
          'VALIDATION_FAILED',
          'A brand kit can only offer assets of its own collection that are not in the trash. Move the assets into the collection first.',
          {
            assetIds: wrong,
          },
        );
      }
      const seen = new Set<string>();
      const sections: NewSection[] = params.sections.map((s) => ({
        title: s.title,
        entries: s.entries.map((e) => {
          const main = e.variants[0]!.assetId;
          const key = `${s.title}\u0000${main}`;
          if (seen.has(key))
            throw new StockroomError(
              'VALIDATION_FAILED',
              `The section “${s.title}” lists the same asset twice. Keep one entry and give it several variants instead.`,
              { assetId: main },
            );
          seen.add(key);
          return {
            assetId: main,
            variants: e.variants.map((v) => ({ name: v.name, assetId: v.assetId })),
            usageNotes: e.usageNotes,
            expiresAt: e.expiresAt ? new Date(e.expiresAt) : null,
            withdrawnAt: e.withdrawn ? this.now() : null,
            withdrawnReason: e.withdrawn ? e.withdrawnReason : '',
          };
        }),
      }));
      await this.repo.replaceSections(tx, params.collectionId, sections);
      await this.changes.record(
        tx,
        actor,
        {
          action: created ? 'brandKit.create' : 'brandKit.update',
          targetType: 'collection',
          targetId: params.collectionId,
          data: { sections: sections.length, entries: sections.reduce((n, s) => n + s.entries.length, 0) },
        },
        [{ event: 'brandKit.changed', data: { collectionId: params.collectionId, removed: false, by: toUserRef(actor.user) } }],
      );
    });
    return this.get(actor, { collectionId: params.collectionId, includeUnavailable: true });
  }

  async remove(actor: Actor, collectionId: string): Promise<{ collectionId: string }> {
    this.access.assert(actor, 'collection.manage', { collectionId });
    await this.db.$transaction(async (tx) => {
      const { count } = await this.repo.remove(tx, collectionId);
      if (count === 0) throw notAKit(collectionId);
      await this.changes.record(tx, actor, { action: 'brandKit.remove', targetType: 'collection', targetId: collectionId, data: {} }, [
        { event: 'brandKit.changed', data: { collectionId, removed: true, by: toUserRef(actor.user) } },
      ]);
    });
    return { collectionId };
  }

  /** The head version of one variant of an entry, refused when the entry may not be inserted now. */
  async insertable(actor: Actor, collectionId: string, entryId: string, variantName?: string): Promise<InsertableVariant> {
    this.access.assert(actor, 'asset.read', { collectionId });
    const entry = await this.repo.entry(collectionId, entryId);
    if (!entry) throw new StockroomError('NOT_FOUND', 'This brand kit entry does not exist any more. Reload the brand kit.', { collectionId, entryId });
    const state = this.stateOf(entry, entry.asset);
    if (state !== 'available') throw unavailable(entry.asset.name, state, entry.withdrawnReason, entry.expiresAt);
    const variants = entry.variants as StoredVariant[];
    const variant = variantName === undefined ? variants[0] : variants.find((v) => v.name.toLowerCase() === variantName.toLowerCase());
    if (!variant) {
      throw new StockroomError(
        'NOT_FOUND',
        `“${entry.asset.name}” has no variant “${variantName}”. Choose one of: ${variants.map((v) => v.name).join(', ')}.`,
        {
          variants: variants.map((v) => v.name),
        },
      );
    }
    const [asset] = await this.repo.assets([variant.assetId]);
    if (!asset || asset.deletedAt || asset.headVersion === 0) throw unavailable(entry.asset.name, 'withdrawn', 'The variant’s asset was deleted.', null);
    const version = await this.repo.headVersion(asset.id, asset.headVersion);
    if (!version) throw new StockroomError('NOT_FOUND', 'The latest version of this asset is missing.', { assetId: asset.id });
    return {
      assetId: asset.id,
      variant: variant.name,
      kind: asset.kind,
      version: { number: version.number, sha256: version.blobSha256, size: Number(version.size), mimeType: version.mimeType, fileName: version.originalName },
    };
  }

  private stateOf(entry: { withdrawnAt: Date | null; expiresAt: Date | null }, asset: { deletedAt: Date | null }): BrandEntryState {
    if (entry.withdrawnAt || asset.deletedAt) return 'withdrawn';
    if (entry.expiresAt && entry.expiresAt.getTime() <= this.now().getTime()) return 'expired';
    return 'available';
  }

  private async toKit(kit: BrandKitRow, includeUnavailable: boolean): Promise<BrandKit> {
    const variantIds = kit.sections.flatMap((s) => s.entries.flatMap((e) => (e.variants as StoredVariant[]).map((v) => v.assetId)));
    const assets = new Map<string, BrandAssetRow>((await this.repo.assets([...new Set(variantIds)])).map((a) => [a.id, a]));
    return {
      collectionId: kit.collectionId,
      name: kit.collection.name,
      description: kit.collection.description,
      updatedAt: kit.updatedAt.toISOString(),
      sections: kit.sections.map((s) => ({
        id: s.id,
        title: s.title,
        position: s.position,
        entries: s.entries
          .map(
            (e): BrandEntry => ({
              id: e.id,
              sectionId: s.id,
              assetId: e.assetId,
              name: e.asset.name,
              kind: e.asset.kind,
              tags: e.asset.tags,
              headVersion: e.asset.headVersion,
              variants: (e.variants as StoredVariant[]).flatMap((v) => {
                const a = assets.get(v.assetId);
                if (!a || a.deletedAt) return [];
                return [
                  { name: v.name, assetId: v.assetId, assetName: a.name, kind: a.kind, headVersion: a.headVersion, mimeType: a.versions[0]?.mimeType ?? null },
                ];
              }),
              usageNotes: e.usageNotes,
              expiresAt: e.expiresAt?.toISOString() ?? null,
              withdrawnAt: e.withdrawnAt?.toISOString() ?? null,
              withdrawnReason: e.withdrawnReason,
              state: this.stateOf(e, e.asset),
            }),
          )
          .filter((e) => e.variants.length > 0 && (includeUnavailable || e.state === 'available')),
      })),
    };
  }
}

function notAKit(collectionId: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'This collection is not a brand kit. A manager can mark it as one in the dashboard.', { collectionId });
}

function unavailable(name: string, state: BrandEntryState, reason: string, expiresAt: Date | null): StockroomError {
  const why =
    state === 'expired'
      ? `“${name}” expired on ${expiresAt?.toISOString().slice(0, 10)} and may no longer be used.`
      : `“${name}” was withdrawn from the brand kit${reason ? `: ${reason}` : ''}.`;
  return new StockroomError('ASSET_UNAVAILABLE', `${why} Choose another asset, or ask the brand kit’s manager.`, { state });
}
