import { z } from 'zod';

/** The drag type of assets dragged from the grid: a JSON list of the assets and the collection each was in (for Undo). */
export const ASSETS_DRAG = 'application/x-stockroom-assets';

const draggedSchema = z.array(z.object({ id: z.string(), collectionId: z.string().nullable() })).max(10_000);
export type DraggedAsset = z.infer<typeof draggedSchema>[number];

export function writeDraggedAssets(transfer: DataTransfer, assets: DraggedAsset[]): void {
  transfer.setData(ASSETS_DRAG, JSON.stringify(assets));
  transfer.effectAllowed = 'move';
}

/** What was dropped, or nothing when it is not a drag from the grid (another page's or a crafted drop). */
export function readDraggedAssets(transfer: DataTransfer): DraggedAsset[] {
  try {
    const parsed = draggedSchema.safeParse(JSON.parse(transfer.getData(ASSETS_DRAG) || '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
