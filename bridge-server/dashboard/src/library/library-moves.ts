import { useState } from 'react';
import { BULK_LIMIT, type BulkResult } from '@stockroom/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { useCall } from '../data/methods.ts';
import { formatNumber } from '../ui/format.ts';
import type { DraggedAsset } from './asset-drag.ts';

export interface MoveToast {
  message: string;
  failures: string[];
  error: boolean;
  /** Puts things back where they were; absent when there is nothing to undo. */
  undo?: () => void;
}

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * Moves started by dragging in the library (assets onto a collection, a collection onto
 * another), each answered by a toast; an asset move offers Undo, which moves every moved
 * asset back to the collection it came from.
 */
export function useLibraryMoves(collectionName: (id: string) => string) {
  const call = useCall();
  const queries = useQueryClient();
  const [toast, setToast] = useState<MoveToast | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () => {
    for (const key of ['assets.search', 'collections.list', 'library.trash', 'admin.stats']) void queries.invalidateQueries({ queryKey: [key] });
    // The counts come from the search index, which applies a move a moment after it commits: ask once more then.
    setTimeout(() => void queries.invalidateQueries({ queryKey: ['assets.search'] }), 1500);
  };
  const failed = (error: unknown) => setToast({ message: (error as Error)?.message ?? String(error), failures: [], error: true });
  const failures = (result: BulkResult) => result.failed.slice(0, 5).map((f) => `${f.name || f.assetId}: ${f.message}`);

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    try {
      return await work();
    } catch (error) {
      failed(error);
      return undefined;
    } finally {
      setBusy(false);
      refresh();
    }
  }

  function moveAssets(collectionId: string, assets: DraggedAsset[]) {
    const moving = assets.filter((a) => a.collectionId !== collectionId).slice(0, BULK_LIMIT);
    if (moving.length === 0) return;
    void run(async () => {
      const result = await call('library.bulk', { selection: { ids: moving.map((a) => a.id) }, action: { type: 'move', collectionId } });
      const notMoved = new Set(result.failed.map((f) => f.assetId));
      const moved = moving.filter((a) => !notMoved.has(a.id));
      setToast({
        message: `Moved ${plural(result.done, 'asset', 'assets')} to “${collectionName(collectionId)}”${result.failed.length ? `; ${formatNumber(result.failed.length)} could not move` : ''}.`,
        failures: failures(result),
        error: result.failed.length > 0,
        ...(moved.length ? { undo: () => undoMove(moved) } : {}),
      });
    });
  }

  function undoMove(moved: DraggedAsset[]) {
    const back = new Map<string | null, string[]>();
    for (const a of moved) back.set(a.collectionId, [...(back.get(a.collectionId) ?? []), a.id]);
    void run(async () => {
      const results = [];
      for (const [collectionId, ids] of back) results.push(await call('library.bulk', { selection: { ids }, action: { type: 'move', collectionId } }));
      const done = results.reduce((n, r) => n + r.done, 0);
      const all = results.flatMap((r) => r.failed);
      setToast({
        message: `Moved ${plural(done, 'asset', 'assets')} back${all.length ? `; ${formatNumber(all.length)} could not move back` : ''}.`,
        failures: failures({ matched: moved.length, done, failed: all }),
        error: all.length > 0,
      });
    });
  }

  function moveCollection(id: string, parentId: string | null) {
    void run(async () => {
      await call('collections.move', { id, parentId });
      setToast({
        message: `Moved “${collectionName(id)}” ${parentId ? `into “${collectionName(parentId)}”` : 'to the top level'}.`,
        failures: [],
        error: false,
      });
    });
  }

  return { toast, busy, dismiss: () => setToast(null), moveAssets, moveCollection };
}
