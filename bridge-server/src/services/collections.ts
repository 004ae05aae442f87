import type { Collection, MethodParsedParams } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import { collectionRows } from '../repositories/collections.ts';
import type { Db } from '../repositories/db.ts';
import { grantRows } from '../repositories/groups.ts';
import { PG_UNIQUE_VIOLATION } from '../repositories/db.ts';
import { toCollection } from './mappers.ts';

export class CollectionsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(actor: Actor, parentId?: string | null): Promise<Collection[]> {
    const rows = await collectionRows.list(this.db, parentId);
    return rows.filter((r) => this.access.can(actor, 'collection.read', { collectionId: r.id })).map(toCollection);
  }

  async create(actor: Actor, params: MethodParsedParams<'collections.create'>): Promise<Collection> {
    this.access.assert(actor, 'collection.create', { collectionId: params.parentId ?? null, hiddenAs: parentNotFound(params.parentId) });
    const slug = params.slug ?? slugify(params.name);
    try {
      return await this.db.$transaction(async (tx) => {
        if (params.parentId) {
          if (!(await collectionRows.find(tx, params.parentId))) throw parentNotFound(params.parentId);
        }
        const row = await collectionRows.create(tx, { name: params.name, slug, description: params.description ?? '', parentId: params.parentId ?? null });
        // The creator manages the new collection (grants do not inherit from the parent).
        await grantRows.create(tx, row.id, { userId: actor.user.id }, 'manager');
        await this.changes.record(tx, actor, { action: 'collection.create', targetType: 'collection', targetId: row.id, data: { name: row.name } }, [
          { event: 'grants.changed', data: { collectionId: row.id } },
        ]);
        return toCollection(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new StockroomError('CONFLICT', `A collection with the address “${slug}” exists already. Choose another name or slug.`, { slug });
      }
      throw error;
    }
  }
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return slug || `collection-${Date.now().toString(36)}`;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string }; cause?: { code?: string } };
  return e?.code === 'P2002' || e?.code === PG_UNIQUE_VIOLATION || e?.meta?.code === PG_UNIQUE_VIOLATION;
}

function parentNotFound(parentId: string | null | undefined): StockroomError {
  return new StockroomError('NOT_FOUND', 'The parent collection does not exist.', { parentId });
}
