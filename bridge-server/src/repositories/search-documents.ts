import type { Db } from './db.ts';

/**
 * What a search document is, defined once for every backend: one row per live
 * asset, from the asset, its head version and its lock. `scope` is a condition on
 * `a` (the asset) such as `a.id = ANY($1::uuid[])`.
 *
 * metadataText is every string and number inside the asset's custom metadata and
 * the head version's extracted metadata (EXIF, IPTC keywords, captions...).
 */
export function documentSourceSql(scope: string): string {
  return `
    SELECT a.id AS "assetId",
           a."collectionId",
           a.kind::text AS kind,
           a.name,
           a.description,
           coalesce(a.tags, '{}') AS tags,
           v."mimeType",
           CASE
             WHEN dims.w IS NULL OR dims.h IS NULL OR dims.w <= 0 OR dims.h <= 0 THEN NULL
             WHEN dims.w > dims.h THEN 'landscape'
             WHEN dims.h > dims.w THEN 'portrait'
             ELSE 'square'
           END AS orientation,
           l."holderId" AS "lockedById",
           a."createdById",
           a."headVersion",
           (SELECT vr.status::text FROM version_reviews vr WHERE vr."assetId" = a.id AND vr."versionNumber" = a."headVersion") AS "reviewStatus",
           a."createdAt",
           a."updatedAt",
           coalesce((
             SELECT left(string_agg(item #>> '{}', ' '), 20000)
               FROM jsonb_path_query(jsonb_build_array(a.metadata, coalesce(v.metadata, '{}'::jsonb)), 'strict $.**') AS item
              WHERE jsonb_typeof(item) IN ('string', 'number')
           ), '') AS "metadataText"
      FROM assets a
      LEFT JOIN versions v ON v."assetId" = a.id AND v.number = a."headVersion"
      LEFT JOIN locks l ON l."assetId" = a.id
      CROSS JOIN LATERAL (
        SELECT CASE WHEN jsonb_typeof(v.metadata -> 'width') = 'number' THEN (v.metadata ->> 'width')::float8 END AS w,
               CASE WHEN jsonb_typeof(v.metadata -> 'height') = 'number' THEN (v.metadata ->> 'height')::float8 END AS h
      ) dims
     WHERE a."deletedAt" IS NULL AND (${scope})`;
}

/** A document as read by `documentSourceSql`. */
export interface SourceDocument {
  assetId: string;
  collectionId: string | null;
  kind: string;
  name: string;
  description: string;
  tags: string[];
  mimeType: string | null;
  orientation: 'landscape' | 'portrait' | 'square' | null;
  lockedById: string | null;
  /** Who uploaded the asset. */
  createdById?: string | null;
  headVersion: number;
  /** The head version's review status, null when it is not in review. */
  reviewStatus?: string | null;
  createdAt: Date;
  updatedAt: Date;
  metadataText: string;
}

/** The search documents of these live assets (absent: deleted or unknown). */
export async function readSearchDocuments(db: Db, assetIds: readonly string[]): Promise<SourceDocument[]> {
  return db.$queryRawUnsafe<SourceDocument[]>(documentSourceSql('a.id = ANY($1::uuid[])'), assetIds);
}

/** The next `limit` search documents after an asset id, in id order (a rebuild reads them all, a batch at a time). */
export async function readSearchDocumentsAfter(db: Db, afterAssetId: string, limit: number): Promise<SourceDocument[]> {
  return db.$queryRawUnsafe<SourceDocument[]>(documentSourceSql(`a.id > $1::uuid ORDER BY a.id LIMIT ${Math.trunc(limit)}`), afterAssetId);
}

/** Runs `work` in a transaction holding an advisory lock named `name`, so that processes doing the same take turns. */
export async function underAdvisoryLock<T>(db: Db, name: string, work: () => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
    return work();
  });
}
