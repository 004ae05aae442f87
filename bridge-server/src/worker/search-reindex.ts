import type { Db } from '../repositories/db.ts';
import { outbox } from '../repositories/outbox.ts';
import type { SearchIndex } from '../ports/search-index.ts';
import { indexedAssetIdOf } from './search-indexer.ts';

export interface ReindexResult {
  indexed: number;
  /** Assets changed while the rebuild ran, synced again afterwards. */
  caughtUp: number;
  seconds: number;
}

/**
 * Rebuilds the whole index from the database without downtime: searches keep being
 * answered by the current index while the new one fills. Changes that happen
 * meanwhile may land only in the old one (Typesense swaps collections), so every
 * asset named by an outbox event since the start is synced again at the end.
 */
export async function reindexSearch(
  db: Db,
  index: SearchIndex,
  options: { batchSize?: number; onProgress?: (indexed: number) => void } = {},
): Promise<ReindexResult> {
  const started = performance.now();
  const since = await outbox.lastIdOf(db);
  await index.prepare();
  const { indexed } = await index.rebuild(options);
  let caughtUp = 0;
  let after = since;
  for (;;) {
    const rows = await outbox.pageOf(db, after, 1000);
    if (rows.length === 0) break;
    const ids = [...new Set(rows.map((r) => indexedAssetIdOf(r.event, r.data)).filter((id): id is string => id !== null))];
    await index.sync(ids);
    caughtUp += ids.length;
    after = rows[rows.length - 1]!.id;
  }
  return { indexed, caughtUp, seconds: (performance.now() - started) / 1000 };
}
