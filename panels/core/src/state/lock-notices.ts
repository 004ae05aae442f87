import type { EventData } from '@stockroom/shared-types';
import type { LockNotice, PanelState } from './panel-state.ts';

/**
 * The notice for an `asset.unlocked` event when it removed the signed-in person's own
 * lock by somebody else's hand (a force-unlock); null for every other unlock. The asset's
 * name comes from what the panel shows, or is left empty to be looked up.
 */
export function lockNoticeFor(state: PanelState, data: EventData<'asset.unlocked'>, id: number): LockNotice | null {
  const me = state.user?.id;
  if (!me || !data.forced || data.previousHolder.id !== me || data.by.id === me) return null;
  const known = [state.documentAsset, state.selected, ...state.hits].find((asset) => asset?.id === data.assetId);
  return {
    id,
    assetId: data.assetId,
    assetName: known?.name ?? '',
    by: data.by,
    at: data.at ?? new Date().toISOString(),
    reason: data.reason?.trim() ? data.reason.trim() : null,
  };
}
