import {
  StockroomError,
  type AssetFields,
  type FieldError,
  type FieldValue,
  type MetadataField,
  type MetadataSchemaDto,
  type MethodParsedParams,
} from '@stockroom/shared-types';
import { metadataFieldSchema } from '@stockroom/shared-types';
import type { MetadataRepository } from '../repositories/metadata.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db } from '../repositories/db.ts';
import { checkFieldValues, rightsExpired } from './metadata-values.ts';

const PEOPLE_TO_CHOOSE_FROM = 500;
const TAG_SUGGESTIONS = 12;

/**
 * Structured metadata: each collection's schema of typed fields (managers edit it), and
 * each asset's values for them (editors of the asset), checked field by field so a form
 * can show every problem at once (docs/metadata.md).
 */
export class MetadataFieldsService {
  constructor(
    private readonly db: Db,
    private readonly repo: MetadataRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  async getSchema(actor: Actor, collectionId: string): Promise<MetadataSchemaDto> {
    this.access.assert(actor, 'collection.read', { collectionId });
    if (!(await this.repo.collection(collectionId))) throw collectionNotFound(collectionId);
    const row = await this.repo.schema(collectionId);
    return { collectionId, fields: row ? fieldsOf(row.fields) : [], updatedAt: row?.updatedAt.toISOString() ?? null };
  }

  async saveSchema(actor: Actor, params: MethodParsedParams<'metadata.saveSchema'>): Promise<MetadataSchemaDto> {
    this.access.assert(actor, 'collection.manage', { collectionId: params.collectionId });
    await this.db.$transaction(async (tx) => {
      if (!(await this.repo.collection(params.collectionId, tx))) throw collectionNotFound(params.collectionId);
      const current = await this.repo.lockSchema(tx, params.collectionId);
      const base = current?.updatedAt.toISOString() ?? null;
      if (base !== params.baseUpdatedAt) {
        throw new StockroomError(
          'VERSION_CONFLICT',
          'Somebody changed this metadata schema after you opened it. Reload it, make your change again, and save.',
          {
            updatedAt: base,
          },
        );
      }
      await this.repo.saveSchema(tx, params.collectionId, params.fields);
      await this.changes.record(
        tx,
        actor,
        { action: 'metadataSchema.save', targetType: 'collection', targetId: params.collectionId, data: { fields: params.fields.map((f) => f.key) } },
        [],
      );
    });
    return this.getSchema(actor, params.collectionId);
  }

  async getFields(actor: Actor, assetId: string): Promise<AssetFields> {
    const asset = await this.repo.asset(assetId);
    if (!asset || asset.deletedAt) throw assetNotFound(assetId);
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId, hiddenAs: assetNotFound(assetId) });
    const fields = asset.collectionId ? fieldsOf((await this.repo.schema(asset.collectionId))?.fields) : [];
    const stored = await this.repo.values(assetId);
    const values = shownValues(fields, (stored?.values ?? {}) as Record<string, unknown>);
    const canEdit = this.access.can(actor, 'asset.edit', { collectionId: asset.collectionId, createdById: asset.createdById });
    const named = Object.entries(values).flatMap(([key, v]) => (fields.find((f) => f.key === key)?.type === 'people' ? (v as string[]) : []));
    const people = new Map((await this.repo.users(named)).map((u) => [u.id, { id: u.id, name: u.name, email: u.email }]));
    if (canEdit && fields.some((f) => f.type === 'people')) {
      for (const u of await this.repo.activeUsers(PEOPLE_TO_CHOOSE_FROM)) people.set(u.id, u);
    }
    return {
      assetId,
      collectionId: asset.collectionId,
      fields,
      values,
      people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name)),
      canEdit,
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      rightsExpired: rightsExpired(fields, values, this.today()),
    };
  }

  async saveFields(actor: Actor, params: MethodParsedParams<'metadata.saveFields'>): Promise<AssetFields> {
    await this.db.$transaction(async (tx) => {
      const asset = await this.repo.lockAsset(tx, params.assetId);
      if (!asset || asset.deletedAt) throw assetNotFound(params.assetId);
      const full = await this.repo.asset(params.assetId, tx);
      this.access.assert(actor, 'asset.edit', { collectionId: asset.collectionId, createdById: full?.createdById, hiddenAs: assetNotFound(params.assetId) });
      const fields = asset.collectionId ? fieldsOf((await this.repo.schema(asset.collectionId, tx))?.fields) : [];
      const stored = await this.repo.values(params.assetId, tx);
      const base = stored?.updatedAt.toISOString() ?? null;
      if (base !== params.baseUpdatedAt) {
        throw new StockroomError(
          'VERSION_CONFLICT',
          "Somebody changed this asset's metadata after you opened it. Reload the page, make your change again, and save.",
          {
            updatedAt: base,
          },
        );
      }
      const { values, errors, people } = checkFieldValues(fields, params.values);
      const known = new Set((await this.repo.users(people, tx)).filter((u) => !u.disabledAt).map((u) => u.id));
      for (const field of fields.filter((f) => f.type === 'people')) {
        const missing = ((values[field.key] as string[] | undefined) ?? []).filter((id) => !known.has(id));
        if (missing.length > 0) errors.push({ field: field.key, code: 'unknown-person', message: `${field.label}: choose people who have an active account.` });
      }
      if (errors.length > 0) throw invalidValues(errors);
      // Values of fields no longer in the schema are kept: a field put back shows them again.
      const kept = Object.fromEntries(Object.entries((stored?.values ?? {}) as Record<string, unknown>).filter(([key]) => !fields.some((f) => f.key === key)));
      await this.repo.saveValues(tx, params.assetId, { ...kept, ...values });
      await this.changes.record(
        tx,
        actor,
        { action: 'asset.fields', targetType: 'asset', targetId: params.assetId, data: { changed: Object.keys(values) } },
        [],
      );
    });
    return this.getFields(actor, params.assetId);
  }

  async suggestTags(actor: Actor, prefix: string): Promise<{ tags: Array<{ tag: string; count: number }> }> {
    const pattern = prefix.replace(/[\\%_]/g, '\\$&');
    const rows = await this.repo.tagCounts(this.access.readableCollectionIds(actor), pattern, TAG_SUGGESTIONS);
    return { tags: rows.map((r) => ({ tag: r.tag, count: Number(r.count) })) };
  }
}

/** A stored schema's fields, parsed again so defaults of later contract versions apply. */
function fieldsOf(json: unknown): MetadataField[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((f) => {
    const parsed = metadataFieldSchema.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
}

function shownValues(fields: MetadataField[], stored: Record<string, unknown>): Record<string, FieldValue> {
  return Object.fromEntries(fields.filter((f) => stored[f.key] !== undefined).map((f) => [f.key, stored[f.key] as FieldValue]));
}

function invalidValues(errors: FieldError[]): StockroomError {
  const list = errors.map((e) => e.message).join(' ');
  return new StockroomError('VALIDATION_FAILED', `Some values were not saved: ${list}`, { fields: errors });
}

function collectionNotFound(collectionId: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'This collection does not exist. Reload the list of collections.', { collectionId });
}

function assetNotFound(assetId: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'This asset does not exist or was deleted. Search again to find it.', { assetId });
}
