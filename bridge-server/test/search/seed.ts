import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '@stockroom/prisma';
import type { AssetKind } from '@stockroom/shared-types';

export interface SeedAsset {
  id?: string;
  name: string;
  kind?: AssetKind;
  description?: string;
  tags?: string[];
  collectionId?: string | null;
  metadata?: Record<string, unknown>;
  versionMetadata?: Record<string, unknown>;
  mimeType?: string;
  createdAt?: Date;
  updatedAt?: Date;
  deleted?: boolean;
  lockedBy?: string;
}

/** Writes assets straight into the core tables (asset + version 1 + blob), as the core would. */
export class SearchSeeder {
  constructor(
    readonly db: PrismaClient,
    readonly userId: string,
  ) {}

  static async create(db: PrismaClient): Promise<SearchSeeder> {
    const user = await db.user.create({ data: { email: `u${randomUUID()}@example.com`, name: 'Seeder' } });
    return new SearchSeeder(db, user.id);
  }

  async user(name: string): Promise<string> {
    const user = await this.db.user.create({ data: { email: `u${randomUUID()}@example.com`, name } });
    return user.id;
  }

  async collection(name: string): Promise<string> {
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 8)}`;
    return (await this.db.collection.create({ data: { name, slug } })).id;
  }

  async assets(specs: SeedAsset[]): Promise<string[]> {
    const rows = specs.map((spec) => ({ spec, id: spec.id ?? randomUUID(), sha: sha(spec.name + randomUUID()) }));
    await this.db.blob.createMany({ data: rows.map((r) => ({ sha256: r.sha, size: 100n, storageKey: r.sha })) });
    await this.db.asset.createMany({
      data: rows.map(({ spec, id }) => ({
        id,
        name: spec.name,
        kind: spec.kind ?? 'image',
        description: spec.description ?? '',
        tags: spec.tags ?? [],
        collectionId: spec.collectionId ?? null,
        metadata: (spec.metadata ?? {}) as object,
        headVersion: 1,
        createdById: this.userId,
        createdAt: spec.createdAt ?? new Date(),
        updatedAt: spec.updatedAt ?? spec.createdAt ?? new Date(),
        deletedAt: spec.deleted ? new Date() : null,
      })),
    });
    await this.db.version.createMany({
      data: rows.map(({ spec, id, sha: blob }) => ({
        assetId: id,
        number: 1,
        blobSha256: blob,
        size: 100n,
        mimeType: spec.mimeType ?? 'image/png',
        originalName: `${spec.name}.png`,
        authorId: this.userId,
        metadata: (spec.versionMetadata ?? {}) as object,
      })),
    });
    const locks = rows.filter((r) => r.spec.lockedBy);
    if (locks.length) {
      await this.db.lock.createMany({ data: locks.map((r) => ({ assetId: r.id, holderId: r.spec.lockedBy!, clientApp: 'photoshop' })) });
    }
    return rows.map((r) => r.id);
  }

  async asset(spec: SeedAsset): Promise<string> {
    return (await this.assets([spec]))[0]!;
  }
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
