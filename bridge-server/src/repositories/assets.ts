import { randomUUID } from 'node:crypto';
import type { AssetKind, Prisma } from '@stockroom/prisma';
import type { Tx } from './db.ts';
import { assetInclude, type AssetRow, type LockRow, type VersionRow } from './rows.ts';

/** What the rules need of a live or deleted asset row while it is locked. */
export interface AssetFacts {
  id: string;
  collectionId: string | null;
  headVersion: number;
  deletedAt: Date | null;
  createdById: string;
}

export interface NewVersionRow {
  blobSha256: string;
  size: number;
  mimeType: string;
  originalName: string;
  comment: string;
  authorId: string;
  clientApp: string;
  restoredFrom: number | null;
}

export interface NewAssetRow {
  name: string;
  description: string;
  kind: AssetKind;
  tags: string[];
  metadata: object;
  collectionId: string | null;
  createdById: string;
  /** Version 1. */
  version: NewVersionRow;
}

export interface AssetChanges {
  name?: string;
  description?: string;
  tags?: string[];
  metadata?: object;
  collectionId?: string | null;
}

export type PlainVersionRow = Prisma.VersionGetPayload<object>;

/** A user as asset rows name one (creator, lock holder, author). */
export interface UserRefRow {
  id: string;
  name: string;
  email: string;
}

/** A lock with its holder. */
export interface LockFacts {
  assetId: string;
  holderId: string;
  clientApp: string;
  createdAt: Date;
  holder: UserRefRow;
}

/** An asset row locked for a new version: its columns, its creator and its lock (what its DTO shows, but the head). */
export interface AssetForVersion extends Omit<AssetRow, 'createdBy' | 'lock' | 'versions'> {
  createdBy: UserRefRow;
  lock: LockFacts | null;
}

/** The version written by appendVersion, and the asset's new `updatedAt`. */
export interface AppendedVersion {
  version: PlainVersionRow;
  assetUpdatedAt: Date;
}
export type VersionWithPlace = PlainVersionRow & { asset: { collectionId: string | null; deletedAt: Date | null } };

/**
 * Assets, their versions and their locks: one aggregate, one repository. Rows in, rows
 * or null out; the services decide what a missing row or a lost race means.
 * Every method takes the transaction (or the client itself, for reads outside one).
 */
export interface AssetsRepository {
  /** Reads an asset and locks its row until the transaction ends: check-ins and edits of one asset queue up here. */
  lockRow(tx: Tx, id: string): Promise<AssetFacts | null>;
  find(tx: Tx, id: string): Promise<AssetRow | null>;
  findMany(tx: Tx, ids: string[]): Promise<AssetRow[]>;
  /** Where an asset lives and whether it is in the trash, without locking it. */
  place(tx: Tx, id: string): Promise<{ collectionId: string | null; deletedAt: Date | null } | null>;
  collectionExists(tx: Tx, id: string): Promise<boolean>;
  create(tx: Tx, row: NewAssetRow): Promise<AssetRow>;
  update(tx: Tx, id: string, changes: AssetChanges): Promise<AssetRow>;
  markDeleted(tx: Tx, id: string, at: Date): Promise<{ collectionId: string | null }>;
  /**
   * Locks the asset row like lockRow and reads it whole, with its creator and its lock; null
   * when there is no such asset.
   */
  lockForVersion(tx: Tx, id: string): Promise<AssetForVersion | null>;
  /** head := head + 1 and writes that version, in one statement; `releaseLock` also deletes the asset's lock. */
  appendVersion(tx: Tx, assetId: string, row: NewVersionRow, options: { releaseLock: boolean }): Promise<AppendedVersion>;
  version(tx: Tx, assetId: string, number: number): Promise<PlainVersionRow | null>;
  versionWithPlace(tx: Tx, assetId: string, number: number): Promise<VersionWithPlace | null>;
  /** Newest first, with authors. */
  versions(tx: Tx, assetId: string): Promise<VersionRow[]>;
  lock(tx: Tx, assetId: string): Promise<LockRow | null>;
  /** Inserts a lock unless the asset has one; true when this call made it. */
  insertLock(tx: Tx, lock: { assetId: string; holderId: string; clientApp: string }): Promise<boolean>;
  deleteLock(tx: Tx, assetId: string): Promise<void>;
}

export class PrismaAssetsRepository implements AssetsRepository {
  async lockRow(tx: Tx, id: string): Promise<AssetFacts | null> {
    const rows = await tx.$queryRaw<AssetFacts[]>`
      SELECT id, "collectionId", "headVersion", "deletedAt", "createdById" FROM assets WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  async find(tx: Tx, id: string): Promise<AssetRow | null> {
    return tx.asset.findUnique({ where: { id }, include: assetInclude });
  }

  async findMany(tx: Tx, ids: string[]): Promise<AssetRow[]> {
    return tx.asset.findMany({ where: { id: { in: ids } }, include: assetInclude });
  }

  async place(tx: Tx, id: string) {
    return tx.asset.findUnique({ where: { id }, select: { collectionId: true, deletedAt: true } });
  }

  async collectionExists(tx: Tx, id: string): Promise<boolean> {
    return (await tx.collection.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  async create(tx: Tx, row: NewAssetRow): Promise<AssetRow> {
    const { version, ...asset } = row;
    return tx.asset.create({
      data: { ...asset, headVersion: 1, versions: { create: { ...version, number: 1 } } },
      include: assetInclude,
    });
  }

  async update(tx: Tx, id: string, changes: AssetChanges): Promise<AssetRow> {
    return tx.asset.update({ where: { id }, data: changes, include: assetInclude });
  }

  async markDeleted(tx: Tx, id: string, at: Date) {
    return tx.asset.update({ where: { id }, data: { deletedAt: at }, select: { collectionId: true } });
  }

  async lockForVersion(tx: Tx, id: string): Promise<AssetForVersion | null> {
    const [asset] = await tx.$queryRaw<Array<Omit<AssetForVersion, 'createdBy' | 'lock'>>>`
      SELECT id, "collectionId", name, description, kind::text AS kind, tags, metadata, "headVersion", "createdById", "createdAt", "updatedAt", "deletedAt"
        FROM assets WHERE id = ${id}::uuid FOR UPDATE`;
    if (!asset) return null;
    // A second statement, not a join in the first: a statement sees the rows committed when it
    // began, and the first may have waited on a check-out that was inserting a lock (the
    // insert's foreign key holds the asset row until it commits). Read after that wait, the new
    // lock is seen.
    const [people] = await tx.$queryRaw<LockAndCreator[]>`
      SELECT c.name AS "creatorName", c.email AS "creatorEmail",
             l."holderId", l."clientApp", l."createdAt" AS "lockedAt", h.name AS "holderName", h.email AS "holderEmail"
        FROM users c
        LEFT JOIN locks l ON l."assetId" = ${id}::uuid
        LEFT JOIN users h ON h.id = l."holderId"
       WHERE c.id = ${asset.createdById}::uuid`;
    if (!people) throw new Error(`asset ${id} names a creator that does not exist`);
    return {
      ...asset,
      createdBy: { id: asset.createdById, name: people.creatorName, email: people.creatorEmail },
      lock: people.holderId
        ? {
            assetId: id,
            holderId: people.holderId,
            clientApp: people.clientApp!,
            createdAt: people.lockedAt!,
            holder: { id: people.holderId, name: people.holderName!, email: people.holderEmail! },
          }
        : null,
    };
  }

  async appendVersion(tx: Tx, assetId: string, row: NewVersionRow, options: { releaseLock: boolean }): Promise<AppendedVersion> {
    const at = new Date();
    const [written] = await tx.$queryRaw<Array<PlainVersionRow & { assetUpdatedAt: Date }>>`
      WITH head AS (
        UPDATE assets SET "headVersion" = "headVersion" + 1, "updatedAt" = ${at}::timestamptz WHERE id = ${assetId}::uuid RETURNING "headVersion", "updatedAt"
      ), released AS (
        DELETE FROM locks WHERE "assetId" = ${assetId}::uuid AND ${options.releaseLock}::boolean
      )
      INSERT INTO versions (id, "assetId", number, "blobSha256", size, "mimeType", "originalName", comment, "authorId", "clientApp", "restoredFrom", "createdAt")
      SELECT ${randomUUID()}::uuid, ${assetId}::uuid, head."headVersion", ${row.blobSha256}, ${row.size}::bigint, ${row.mimeType}, ${row.originalName},
             ${row.comment}, ${row.authorId}::uuid, ${row.clientApp}, ${row.restoredFrom}::int, ${at}::timestamptz
        FROM head
      RETURNING id, "assetId", number, "blobSha256", size, "mimeType", "originalName", comment, "authorId", "clientApp", "restoredFrom", metadata, "createdAt",
                (SELECT "updatedAt" FROM head) AS "assetUpdatedAt"`;
    if (!written) throw new Error(`no asset ${assetId} to add a version to`);
    const { assetUpdatedAt, ...version } = written;
    return { version, assetUpdatedAt };
  }

  async version(tx: Tx, assetId: string, number: number): Promise<PlainVersionRow | null> {
    return tx.version.findUnique({ where: { assetId_number: { assetId, number } } });
  }

  async versionWithPlace(tx: Tx, assetId: string, number: number): Promise<VersionWithPlace | null> {
    return tx.version.findUnique({
      where: { assetId_number: { assetId, number } },
      include: { asset: { select: { collectionId: true, deletedAt: true } } },
    });
  }

  async versions(tx: Tx, assetId: string): Promise<VersionRow[]> {
    return tx.version.findMany({ where: { assetId }, orderBy: { number: 'desc' }, include: { author: true } });
  }

  async lock(tx: Tx, assetId: string): Promise<LockRow | null> {
    return tx.lock.findUnique({ where: { assetId }, include: { holder: true } });
  }

  async insertLock(tx: Tx, lock: { assetId: string; holderId: string; clientApp: string }): Promise<boolean> {
    const inserted = await tx.$queryRaw<{ assetId: string }[]>`
      INSERT INTO locks ("assetId", "holderId", "clientApp", "createdAt")
      VALUES (${lock.assetId}::uuid, ${lock.holderId}::uuid, ${lock.clientApp}, now())
      ON CONFLICT ("assetId") DO NOTHING
      RETURNING "assetId"`;
    return inserted.length > 0;
  }

  async deleteLock(tx: Tx, assetId: string): Promise<void> {
    await tx.lock.delete({ where: { assetId } });
  }
}

interface LockAndCreator {
  creatorName: string;
  creatorEmail: string;
  holderId: string | null;
  clientApp: string | null;
  lockedAt: Date | null;
  holderName: string | null;
  holderEmail: string | null;
}

/** What the access rules need of one asset, and its name; without locking it. */
export async function assetAccessFacts(tx: Tx, id: string) {
  return tx.asset.findUnique({ where: { id }, select: { id: true, name: true, collectionId: true, createdById: true, headVersion: true, deletedAt: true } });
}

/** A live asset with everything its DTO shows: its creator, its lock and its head version (the only one in `versions`, if any). */
export type AssetWithHead = AssetForVersion & { versions: Array<PlainVersionRow & { author: UserRefRow }> };

/**
 * Live assets among these ids, with everything an Asset DTO shows. Plain SQL, one statement:
 * every search answer reads its page of 40 through this, and through Prisma's query compiler
 * it took 3–4 ms of the main thread per page.
 */
export async function liveAssets(tx: Tx, ids: string[]): Promise<AssetWithHead[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<LiveAssetRow[]>`
    SELECT a.id::text, a."collectionId"::text AS "collectionId", a.name, a.description, a.kind::text AS kind, a.tags, a.metadata,
           a."headVersion", a."createdById"::text AS "createdById", a."createdAt", a."updatedAt", a."deletedAt",
           c.name AS "creatorName", c.email AS "creatorEmail",
           l."holderId"::text AS "holderId", l."clientApp" AS "lockClientApp", l."createdAt" AS "lockedAt", h.name AS "holderName", h.email AS "holderEmail",
           v.id::text AS "versionId", v.number AS "versionNumber", v."blobSha256", v.size, v."mimeType", v."originalName", v.comment,
           v."authorId"::text AS "authorId", v."clientApp" AS "versionClientApp", v."restoredFrom", v.metadata AS "versionMetadata",
           v."createdAt" AS "versionCreatedAt", v."authorName", v."authorEmail"
      FROM assets a
      JOIN users c ON c.id = a."createdById"
      LEFT JOIN locks l ON l."assetId" = a.id
      LEFT JOIN users h ON h.id = l."holderId"
      LEFT JOIN LATERAL (
        SELECT v.*, u.name AS "authorName", u.email AS "authorEmail"
          FROM versions v JOIN users u ON u.id = v."authorId"
         WHERE v."assetId" = a.id ORDER BY v.number DESC LIMIT 1
      ) v ON TRUE
     WHERE a.id = ANY(${ids}::uuid[]) AND a."deletedAt" IS NULL`;
  return rows.map((r) => ({
    id: r.id,
    collectionId: r.collectionId,
    name: r.name,
    description: r.description,
    kind: r.kind,
    tags: r.tags,
    metadata: r.metadata,
    headVersion: r.headVersion,
    createdById: r.createdById,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
    createdBy: { id: r.createdById, name: r.creatorName, email: r.creatorEmail },
    lock: r.holderId
      ? {
          assetId: r.id,
          holderId: r.holderId,
          clientApp: r.lockClientApp!,
          createdAt: r.lockedAt!,
          holder: { id: r.holderId, name: r.holderName!, email: r.holderEmail! },
        }
      : null,
    versions:
      r.versionId === null
        ? []
        : [
            {
              id: r.versionId,
              assetId: r.id,
              number: r.versionNumber!,
              blobSha256: r.blobSha256!,
              size: r.size!,
              mimeType: r.mimeType!,
              originalName: r.originalName!,
              comment: r.comment!,
              authorId: r.authorId!,
              clientApp: r.versionClientApp!,
              restoredFrom: r.restoredFrom,
              metadata: r.versionMetadata!,
              createdAt: r.versionCreatedAt!,
              author: { id: r.authorId!, name: r.authorName!, email: r.authorEmail! },
            },
          ],
  }));
}

/** One row of liveAssets' statement: the asset, its creator, its lock and its head version side by side. */
interface LiveAssetRow extends Omit<AssetForVersion, 'createdBy' | 'lock'> {
  creatorName: string;
  creatorEmail: string;
  holderId: string | null;
  lockClientApp: string | null;
  lockedAt: Date | null;
  holderName: string | null;
  holderEmail: string | null;
  versionId: string | null;
  versionNumber: number | null;
  blobSha256: string | null;
  size: bigint | null;
  mimeType: string | null;
  originalName: string | null;
  comment: string | null;
  authorId: string | null;
  versionClientApp: string | null;
  restoredFrom: number | null;
  versionMetadata: Prisma.JsonValue | null;
  versionCreatedAt: Date | null;
  authorName: string | null;
  authorEmail: string | null;
}

/** Where each of these live assets lives. */
export async function livePlaces(tx: Tx, ids: string[]): Promise<Array<{ id: string; collectionId: string | null }>> {
  return tx.asset.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true, collectionId: true } });
}

export async function versionMetadata(tx: Tx, assetId: string, number: number): Promise<{ metadata: Prisma.JsonValue } | null> {
  return tx.version.findUnique({ where: { assetId_number: { assetId, number } }, select: { metadata: true } });
}
