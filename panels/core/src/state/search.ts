import type { Asset, Version } from '@stockroom/shared-types';
import { downloadVersion } from '../bridge/download.ts';
import { ThumbnailLoader, thumbnailPath, thumbnailPresetFor, toBase64 } from '../bridge/thumbnails.ts';
import { humanError } from '../errors/human-error.ts';
import type { PanelParts } from './panel-parts.ts';
import type { PanelState, SearchFiltersState } from './panel-state.ts';

export interface SearchOptions {
  searchDebounceMs: number;
  pageSize: number;
  /** An asset was opened (it goes to the recents). */
  onOpened(assetId: string): void;
}

/** Search and browse: the query, filters and pages of results, the open asset and thumbnails. */
export class PanelSearch {
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private readonly previews = new Map<string, string>();
  readonly thumbnails: ThumbnailLoader;

  constructor(
    private readonly panel: PanelParts,
    private readonly options: SearchOptions,
  ) {
    this.thumbnails = new ThumbnailLoader(
      () => {
        const { serverUrl, token } = panel.auth();
        return { url: serverUrl, token };
      },
      (key, url) => panel.store.set((state) => ({ thumbnails: { ...state.thumbnails, [key]: url } })),
    );
  }

  private get state(): PanelState {
    return this.panel.store.get();
  }

  setQuery(query: string): void {
    this.panel.store.set({ query });
    this.schedule(this.options.searchDebounceMs);
  }

  setFilters(filters: Partial<SearchFiltersState>): void {
    this.panel.store.set((state) => ({ filters: { ...state.filters, ...filters } }));
    this.schedule(this.options.searchDebounceMs);
  }

  /** Runs the search after `delayMs`, replacing one already waiting. */
  schedule(delayMs: number): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.search(), delayMs);
  }

  /** Runs the current query from the first page; answers to older queries are dropped. */
  search(): void {
    void this.fetchPage(false);
  }

  loadMore(): void {
    if (this.state.searching || !this.state.nextCursor) return;
    void this.fetchPage(true);
  }

  private async fetchPage(more: boolean): Promise<void> {
    const client = this.panel.client();
    if (!client) return;
    const seq = ++this.searchSeq;
    const { query, filters, nextCursor, shelf } = this.state;
    this.panel.store.set({ searching: true, searchError: null });
    try {
      if (shelf?.type === 'favourites' || shelf?.type === 'recent') {
        const assets = await this.listed(shelf.type === 'favourites' ? this.state.favourites : this.state.recents);
        if (seq !== this.searchSeq) return;
        const shown = assets.filter((asset) => filters.kind.length === 0 || filters.kind.includes(asset.kind));
        this.showThumbnailsFirst(shown);
        this.panel.store.set({ hits: shown, total: shown.length, totalIsEstimate: false, nextCursor: null, searching: false });
        return;
      }
      const result = await client.call('assets.search', {
        q: query,
        filters: {
          ...(filters.kind.length > 0 ? { kind: filters.kind } : {}),
          ...(filters.lockedOnly ? { locked: true } : {}),
          ...(filters.checkedOutByMe ? { checkedOutByMe: true } : {}),
          ...(shelf?.type === 'collection' ? { collectionId: shelf.id } : {}),
        },
        sort: filters.sort,
        limit: this.options.pageSize,
        ...(more && nextCursor ? { cursor: nextCursor } : {}),
      });
      if (seq !== this.searchSeq) return;
      const assets = result.hits.map((hit) => hit.asset);
      if (!more) this.showThumbnailsFirst(assets);
      this.panel.store.set((state) => ({
        hits: more ? [...state.hits, ...assets.filter((a) => !state.hits.some((h) => h.id === a.id))] : assets,
        total: result.total,
        totalIsEstimate: result.totalIsEstimate,
        nextCursor: result.nextCursor,
        searching: false,
      }));
    } catch (error) {
      if (seq !== this.searchSeq) return;
      this.panel.store.set({ searching: false, searchError: humanError(error) });
    }
  }

  /** The assets of a favourites or recents list, in its order; deleted or no longer visible ones are left out. */
  private async listed(ids: string[]): Promise<Asset[]> {
    const bridge = this.panel.bridge();
    const assets = await Promise.all(ids.map((id) => bridge.call('assets.get', { id }).catch(() => null)));
    return assets.filter((asset): asset is Asset => asset !== null && asset.deletedAt === null);
  }

  async openAsset(id: string): Promise<void> {
    try {
      const cached = this.state.hits.find((asset) => asset.id === id) ?? null;
      this.panel.store.set({ selected: cached ?? this.state.selected, versions: null, derivatives: null });
      this.options.onOpened(id);
      const bridge = this.panel.bridge();
      const [asset, { versions }, derivatives] = await Promise.all([
        bridge.call('assets.get', { id }),
        bridge.call('versions.list', { assetId: id }),
        // A failed derivative says the server could not read the file: the place action says so.
        bridge.call('derivatives.list', { assetId: id }).then(
          (result) => result.derivatives,
          () => [],
        ),
      ]);
      this.panel.store.set({ selected: asset, versions, derivatives });
    } catch (error) {
      this.panel.toast(humanError(error), 'error');
    }
  }

  closeAsset(): void {
    this.panel.store.set({ selected: null, versions: null, derivatives: null });
  }

  /** A data: URL for previewing image versions (data URLs work in UXP's <img> as in browsers). */
  async previewUrl(assetId: string, version: Version): Promise<string | null> {
    const key = `${assetId}@${version.number}`;
    if (this.previews.has(key)) return this.previews.get(key) ?? null;
    if (!PREVIEWABLE.test(version.mimeType) || version.size > MAX_PREVIEW_BYTES) return null;
    try {
      const { serverUrl, token } = this.panel.auth();
      const bytes = await downloadVersion(serverUrl, token, version);
      const url = `data:${version.mimeType};base64,${toBase64(bytes)}`;
      this.previews.set(key, url);
      return url;
    } catch {
      return null; // the placeholder stays; the preview is a nicety
    }
  }

  /** A new list of results: its thumbnails load first, in its order, starting before its cards are drawn. */
  private showThumbnailsFirst(assets: Asset[]): void {
    this.thumbnails.showFirst(
      assets.flatMap((asset) => {
        const preset = asset.head ? thumbnailPresetFor(asset.head) : null;
        return asset.head && preset ? [{ assetId: asset.id, version: asset.head.number, path: thumbnailPath(asset.id, asset.head.number, preset) }] : [];
      }),
    );
  }

  /** Starts loading the thumbnail of the asset's head version (cards call this when shown). */
  requestThumbnail(asset: Asset): void {
    const preset = asset.head ? thumbnailPresetFor(asset.head) : null;
    if (asset.head && preset) this.thumbnails.request(asset.id, asset.head.number, thumbnailPath(asset.id, asset.head.number, preset));
  }

  /** The thumbnail of a placed item (its version, which may be older than the head). */
  requestPlacedThumbnail(assetId: string, version: number, fileName: string): void {
    const preset = thumbnailPresetFor({ originalName: fileName, mimeType: '', size: 1 });
    if (preset) this.thumbnails.request(assetId, version, thumbnailPath(assetId, version, preset));
  }

  dispose(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
  }
}

const PREVIEWABLE = /^image\/(png|jpeg|gif|webp|svg\+xml)$/;
const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;
