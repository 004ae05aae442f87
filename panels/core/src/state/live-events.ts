import type { Asset, EventData, EventName } from '@stockroom/shared-types';
import type { PanelState } from './panel-state.ts';
import { pushFront } from './personal-lists.ts';

/** Applies `change` to the asset wherever the panel shows it. */
export function patchAsset(state: PanelState, id: string, change: (asset: Asset) => Asset): Partial<PanelState> {
  return {
    hits: state.hits.map((asset) => (asset.id === id ? change(asset) : asset)),
    selected: state.selected?.id === id ? change(state.selected) : state.selected,
    documentAsset: state.documentAsset?.id === id ? change(state.documentAsset) : state.documentAsset,
  };
}

/**
 * What a live event changes in what the panel shows: lock badges and holders, new head
 * versions (and so "update available"), new and deleted assets. Pure: state in, patch out.
 */
export function applyLiveEvent(state: PanelState, event: EventName, data: unknown): Partial<PanelState> {
  switch (event) {
    case 'asset.created': {
      // While browsing (no text), a new asset appears at once, if the kind filter lets it.
      const { asset } = data as EventData<'asset.created'>;
      const { query, filters } = state;
      if (query !== '' || state.hits.some((hit) => hit.id === asset.id)) return {};
      if (filters.kind.length > 0 && !filters.kind.includes(asset.kind)) return {};
      // In a collection only its own new assets; favourites and recents are the person's lists.
      if (state.shelf && (state.shelf.type !== 'collection' || asset.collectionId !== state.shelf.id)) return {};
      return { hits: [asset, ...state.hits], total: state.total + 1 };
    }
    case 'asset.updated': {
      const { asset } = data as EventData<'asset.updated'>;
      return patchAsset(state, asset.id, () => asset);
    }
    case 'asset.deleted': {
      const { assetId } = data as EventData<'asset.deleted'>;
      return {
        hits: state.hits.filter((asset) => asset.id !== assetId),
        total: state.hits.some((asset) => asset.id === assetId) ? Math.max(0, state.total - 1) : state.total,
        selected: state.selected?.id === assetId ? null : state.selected,
      };
    }
    case 'asset.locked': {
      const { assetId, lock } = data as EventData<'asset.locked'>;
      return patchAsset(state, assetId, (asset) => ({ ...asset, lock }));
    }
    case 'asset.unlocked': {
      const { assetId } = data as EventData<'asset.unlocked'>;
      return patchAsset(state, assetId, (asset) => ({ ...asset, lock: null }));
    }
    case 'version.created': {
      const { assetId, version } = data as EventData<'version.created'>;
      return {
        ...patchAsset(state, assetId, (asset) => (version.number > asset.headVersion ? { ...asset, head: version, headVersion: version.number } : asset)),
        placements: state.placements.map((p) => (p.item.assetId === assetId ? { ...p, headVersion: Math.max(p.headVersion, version.number) } : p)),
        versions:
          state.selected?.id === assetId && state.versions && !state.versions.some((v) => v.number === version.number)
            ? [version, ...state.versions]
            : state.versions,
      };
    }
    case 'favourites.changed': {
      // The person starred or unstarred in another app or on another computer.
      const { userId, assetId, starred } = data as EventData<'favourites.changed'>;
      if (state.user?.id !== userId) return {};
      const without = state.favourites.filter((id) => id !== assetId);
      return { favourites: starred ? pushFront(without, assetId, Number.MAX_SAFE_INTEGER) : without };
    }
    default:
      return {};
  }
}
