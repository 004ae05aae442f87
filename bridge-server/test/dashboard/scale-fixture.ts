import type { Page } from 'playwright-core';
import { PostgresSearchIndex } from '../../src/adapters/search/postgres.ts';
import type { Stockroom } from '../../src/index.ts';

// The dashboard at scale: shared by the test (every page shows its data and asks for pages
// only) and by bench/dashboard/page-load.ts (how long each page takes to load).
export const SCALE_ASSETS = 100_000;
export const SCALE_AUDIT_ROWS = 10_000;
export const SCALE_LOCKS = 250;

/** Each dashboard page and what shows it has loaded with its data. */
export const DASHBOARD_PAGES: Array<{ path: string; ready: (page: Page, scale: { assets: string; locks: number }) => Promise<unknown> }> = [
  { path: '/', ready: (p, s) => p.getByTestId('stat-assets').getByText(s.assets, { exact: true }).waitFor() },
  {
    path: '/assets',
    ready: (p) =>
      p
        .getByRole('link', { name: /^seeded asset \d+$/ })
        .first()
        .waitFor(),
  },
  { path: '/locks', ready: (p, s) => p.getByText(`${s.locks} locks`).waitFor() },
  {
    path: '/audit',
    ready: (p) =>
      p
        .getByRole('row', { name: /asset\.(create|checkout|release|update)/ })
        .first()
        .waitFor(),
  },
  { path: '/users', ready: (p) => p.getByRole('heading', { level: 1, name: 'Users & tokens' }).waitFor() },
  { path: '/collections', ready: (p) => p.getByRole('heading', { level: 1, name: 'Collections & grants' }).waitFor() },
  { path: '/settings', ready: (p) => p.getByRole('row', { name: /MAX_UPLOAD_SIZE/ }).waitFor() },
];

/**
 * Fills a fresh server's database with `assets` assets (a version each), `locks` locks and
 * `auditRows` audit rows by generate_series: seconds instead of 100,000 uploads.
 */
export async function seedDashboardScale(
  stockroom: Stockroom,
  { assets = SCALE_ASSETS, auditRows = SCALE_AUDIT_ROWS, locks = SCALE_LOCKS } = {},
): Promise<void> {
  const db = stockroom.database.prisma;
  const admin = await db.user.findFirstOrThrow({ where: { role: 'admin' } });
  const holder = await stockroom.services.users.create({ email: `lock-holder-${Date.now()}@example.test`, name: 'Lock Holder', role: 'member' });
  await db.$executeRawUnsafe(`INSERT INTO blobs (sha256, size, "storageKey") VALUES (repeat('a', 64), 1048576, 'seeded') ON CONFLICT DO NOTHING`);
  await db.$executeRawUnsafe(
    `INSERT INTO assets (id, name, kind, tags, "headVersion", "createdById", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), 'seeded asset ' || i, (ARRAY['image','video','audio','document','design','font','other'])[1 + i % 7]::"AssetKind",
            ARRAY['seeded'], 1, $1::uuid, now() - i * interval '1 minute', now() - i * interval '1 minute'
     FROM generate_series(1, ${assets}) i`,
    admin.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO versions (id, "assetId", number, "blobSha256", size, "mimeType", "originalName", "authorId", "createdAt")
     SELECT gen_random_uuid(), id, 1, repeat('a', 64), 1048576, 'application/octet-stream', name, "createdById", "createdAt" FROM assets`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO locks ("assetId", "holderId", "clientApp", "createdAt")
     SELECT id, $1::uuid, 'premiere', "createdAt" FROM assets ORDER BY "createdAt" DESC LIMIT ${locks}`,
    holder.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO audit_events ("actorId", action, "targetType", "targetId", "clientApp", data, "createdAt")
     SELECT $1::uuid, (ARRAY['asset.create','asset.checkout','asset.release','asset.update'])[1 + i % 4], 'asset',
            gen_random_uuid()::text, 'photoshop', '{}', now() - i * interval '1 second'
     FROM generate_series(1, ${auditRows}) i`,
    admin.id,
  );
  await db.$executeRawUnsafe('ANALYZE');
  // The search index is normally filled from the outbox; rows inserted by SQL are indexed in one rebuild.
  if (stockroom.registry.get('assets.search')) await new PostgresSearchIndex(db).rebuild();
}
