import path from 'node:path';
import mime from 'mime-types';
import type { Stockroom } from '../../src/compose.ts';
import type { Actor } from '../../src/services/actor.ts';
import { LocalFilesService } from '../../src/services/local-files.ts';

export async function adminActor(stockroom: Stockroom): Promise<Actor> {
  const admin = await stockroom.database.prisma.user.findFirstOrThrow({ where: { role: 'admin' } });
  return { user: { id: admin.id, name: admin.name, email: admin.email, role: 'admin' }, clientApp: 'script' };
}

/** Adds a local file as a new asset, the way the bulk import does. */
export async function addAsset(stockroom: Stockroom, actor: Actor, file: string, options: { collectionId?: string | null } = {}) {
  const files = new LocalFilesService(stockroom.database.prisma, stockroom.blobStore, path.join(stockroom.config.dataDir, 'staging'));
  const known = await files.hash(file);
  const uploadId = await files.store(actor.user.id, file, known, mime.lookup(file) || 'application/octet-stream');
  return stockroom.services.assets.create(actor, { uploadId, collectionId: options.collectionId ?? null });
}

export type DerivativeRow = Awaited<ReturnType<Stockroom['database']['prisma']['derivative']['findMany']>>[number];

/** Waits until every derivative of these assets' head versions is ready or failed. */
export async function settled(stockroom: Stockroom, assetIds: string[], timeoutMs = 120_000): Promise<Map<string, DerivativeRow[]>> {
  const db = stockroom.database.prisma;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.derivative.findMany({ where: { version: { assetId: { in: assetIds } } }, include: { version: { select: { assetId: true } } } });
    const open = rows.filter((r) => r.status === 'pending' || r.status === 'processing');
    if (rows.length > 0 && open.length === 0) {
      const byAsset = new Map<string, DerivativeRow[]>();
      for (const row of rows) byAsset.set(row.version.assetId, [...(byAsset.get(row.version.assetId) ?? []), row]);
      return byAsset;
    }
    if (Date.now() > deadline) throw new Error(`derivatives still open after ${timeoutMs} ms: ${open.map((r) => `${r.preset}:${r.status}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
