import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset, Version } from '@stockroom/shared-types';
import { downloadToCache } from '../bridge/download-to-cache.ts';
import { humanError } from '../errors/human-error.ts';
import type { HostAdapter, NotifyLevel } from '../host/types.ts';
import { CheckInFlow } from './check-in.ts';
import { CheckOut } from './check-out.ts';
import { DocumentOrigins } from './document-origins.ts';
import { LiveUpdates } from './live-updates.ts';
import { PanelLibrary } from './library.ts';
import { MediaActions } from './media-actions.ts';
import type { PanelParts } from './panel-parts.ts';
import { initialState, type BrowseView, type PanelState, type SearchFiltersState, type Shelf } from './panel-state.ts';
import { placeRefusal } from './placeability.ts';
import { PanelPlacements } from './placements.ts';
import { commentsToMarkers } from './review-markers.ts';
import { patchAsset } from './live-events.ts';
import { PanelSearch } from './search.ts';
import { PanelSession, SERVER_KEY } from './session.ts';
import { Store } from './store.ts';

export type {
  BrowseView,
  CheckInConflict,
  CheckInOutcome,
  CollectionEntry,
  LockNotice,
  PanelState,
  PlacementStatus,
  SearchFiltersState,
  Shelf,
  Toast,
  UploadProgress,
} from './panel-state.ts';
export type { DeviceSignInState } from './device-sign-in.ts';
export { COMMENT_EVENTS } from './session.ts';

export interface PanelOptions {
  host: HostAdapter;
  pluginVersion: string;
  /** Where the server URL is remembered (not secret); localStorage in UXP and browsers. */
  settings?: Pick<Storage, 'getItem' | 'setItem'>;
  defaultServerUrl?: string;
  /** How often the active document is looked at (UXP has no cheap "document switched" event). */
  documentPollMs?: number;
  /**
   * Quiet time after a keystroke before the search goes out. Short enough to fit the whole way
   * from the last key to the first row of thumbnails (< 150 ms, docs/benchmarks.md), long enough
   * to merge bursts (key repeat, a paste, a fast pair of keys); stale answers are dropped anyway.
   */
  searchDebounceMs?: number;
  pageSize?: number;
  /** Bytes per upload request (the most an interrupted upload loses); the client's default otherwise. */
  uploadChunkBytes?: number;
  /** Names this computer on the device sign-in approval page and in the token's name. */
  machineName?: string;
}

/**
 * Everything the panel does, independent of React and of the host app. It puts the
 * parts together — session (sign-in), search, placements, check-out and check-in — and
 * is what components call; every failure ends up as a sentence in a toast.
 */
export class PanelController {
  readonly store: Store<PanelState>;
  readonly host: HostAdapter;
  /** Which version each open document came from (kept in `settings`, so a reloaded panel knows). */
  readonly origins: DocumentOrigins;
  /** Import, proxies, relink and markers, for hosts that import media into projects (Premiere Pro). */
  readonly media: MediaActions | null;
  private readonly session: PanelSession;
  private readonly browse: PanelSearch;
  private readonly placements: PanelPlacements;
  private readonly checkOutFlow: CheckOut;
  private readonly checkInFlow: CheckInFlow;
  private readonly live: LiveUpdates;
  private readonly library: PanelLibrary;
  private toastSeq = 0;

  constructor(options: PanelOptions) {
    this.host = options.host;
    this.store = new Store<PanelState>(initialState(options.settings?.getItem(SERVER_KEY) ?? options.defaultServerUrl ?? ''));
    this.origins = new DocumentOrigins(options.settings ?? null);
    const parts: PanelParts = {
      store: this.store,
      host: this.host,
      bridge: () => this.session.bridge(),
      client: () => this.session.connection,
      auth: () => ({ serverUrl: this.state.serverUrl, token: this.session.accessToken }),
      run: (key, label, work) => this.run(key, label, work),
      toast: (message, level) => this.toast(message, level),
      cached: (assetId, version) => this.cached(assetId, version),
      replaceAsset: (asset) => this.replaceAsset(asset),
      refreshPlacements: () => this.refreshPlacements(),
    };
    this.browse = new PanelSearch(parts, {
      searchDebounceMs: options.searchDebounceMs ?? 75,
      pageSize: options.pageSize ?? 40,
      onOpened: (assetId) => this.library.noteRecent(assetId),
    });
    this.library = new PanelLibrary(parts, options.settings ?? null, () => this.browse.search());
    this.placements = new PanelPlacements(
      parts,
      this.origins,
      () => this.media,
      options.documentPollMs ?? 1500,
      (assetId) => this.library.noteRecent(assetId),
    );
    this.live = new LiveUpdates(parts, this.browse.thumbnails, (delayMs) => this.browse.schedule(delayMs));
    this.session = new PanelSession({
      store: this.store,
      host: this.host,
      pluginVersion: options.pluginVersion,
      settings: options.settings,
      uploadChunkBytes: options.uploadChunkBytes,
      machineName: options.machineName ?? defaultMachineName(),
      onReady: () => {
        void this.library.loadLists();
        this.placements.startDocumentWatch();
        this.browse.search();
      },
      onDisconnect: () => this.placements.stopDocumentWatch(),
      onReconnected: (awaySince) => void this.refreshAfterReconnect(awaySince),
      onEvent: (event, data) => this.live.onEvent(event, data),
    });
    this.checkOutFlow = new CheckOut(parts, this.origins);
    this.checkInFlow = new CheckInFlow({ ...parts, origins: this.origins });
    const media = options.host.media;
    this.media = media
      ? new MediaActions({
          media,
          store: this.store,
          bridge: parts.bridge,
          download: (target, onProgress) => downloadToCache(this.host.cache, target, { ...parts.auth(), onProgress }),
          run: parts.run,
          toast: parts.toast,
          refreshPlacements: parts.refreshPlacements,
          importFile: async (path, asset, version, binName) => {
            await this.host.placeAsset({ path, linked: true, assetId: asset.id, version, binName });
            this.library.noteRecent(asset.id);
          },
          relink: async (itemId, path, version) => {
            await this.host.updatePlacement(itemId, path, version);
          },
          comments: async (assetId, version) => commentsToMarkers((await parts.bridge().call('comments.list', { assetId, version })).comments),
          replaceAsset: parts.replaceAsset,
          cachePath: (assetId, version, fileName) => this.host.cache.pathFor(assetId, version, fileName),
        })
      : null;
  }

  private get state(): PanelState {
    return this.store.get();
  }

  // --- sign-in (session.ts) ------------------------------------------------------------

  start(): Promise<void> {
    return this.session.start();
  }

  signIn(serverUrl: string, token: string): Promise<void> {
    return this.session.signIn(serverUrl, token);
  }

  signInWithBrowser(serverUrl: string): Promise<void> {
    return this.session.signInWithBrowser(serverUrl);
  }

  openSignInPage(): Promise<void> {
    return this.session.openSignInPage();
  }

  cancelDeviceSignIn(): void {
    this.session.cancelDeviceSignIn();
  }

  signOut(): Promise<void> {
    return this.session.signOut();
  }

  dispose(): void {
    this.session.dispose();
    this.browse.dispose();
  }

  /** The signed-in bridge connection (null when signed out), for features kept in their own files. */
  get connection(): BridgeClient | null {
    return this.session.connection;
  }

  private async refreshAfterReconnect(awaySince: string | null): Promise<void> {
    // Events may have been missed while away: fetch again what is on screen, and tell of locks removed meanwhile.
    if (awaySince) void this.live.catchUpLockNotices(awaySince);
    void this.library.loadLists();
    this.search();
    await this.refreshPlacements();
    const selected = this.state.selected;
    if (selected) await this.openAsset(selected.id);
  }

  // --- search and browse (search.ts) ---------------------------------------------------

  setTab(tab: PanelState['tab']): void {
    const leftShelf = this.state.shelf !== null;
    // Collections always opens on its list (an asset left open stays on Search, as before).
    this.store.set(tab === 'collections' ? { tab, shelf: null, selected: null, versions: null, derivatives: null } : { tab, shelf: null });
    if (leftShelf) this.search();
    if (tab === 'document') void this.refreshPlacements();
    if (tab === 'document') void this.media?.refresh().catch((error) => this.toast(humanError(error), 'error'));
    if (tab === 'collections') void this.library.loadCollections();
  }

  // --- collections, favourites, recents, grid or list (library.ts) ---------------------

  setView(view: Partial<BrowseView>): void {
    this.library.setView(view);
  }

  openShelf(shelf: Shelf): void {
    this.library.openShelf(shelf);
  }

  leaveShelf(): void {
    this.library.leaveShelf();
  }

  toggleFavourite(assetId: string): void {
    void this.library.toggleFavourite(assetId);
  }

  /** Escape: out of the asset, then out of the shelf. Returns false when there was nowhere to go back to. */
  back(): boolean {
    if (this.state.conflict) return false;
    if (this.state.selected && this.state.tab !== 'document') {
      this.closeAsset();
      return true;
    }
    if (this.state.shelf) {
      this.leaveShelf();
      return true;
    }
    return false;
  }

  setQuery(query: string): void {
    this.browse.setQuery(query);
  }

  setFilters(filters: Partial<SearchFiltersState>): void {
    this.browse.setFilters(filters);
  }

  /** Runs the current query from the first page; answers to older queries are dropped. */
  search(): void {
    this.browse.search();
  }

  loadMore(): void {
    this.browse.loadMore();
  }

  openAsset(id: string): Promise<void> {
    return this.browse.openAsset(id);
  }

  previewUrl(assetId: string, version: Version): Promise<string | null> {
    return this.browse.previewUrl(assetId, version);
  }

  requestThumbnail(asset: Asset): void {
    this.browse.requestThumbnail(asset);
  }

  requestPlacedThumbnail(assetId: string, version: number, fileName: string): void {
    this.browse.requestPlacedThumbnail(assetId, version, fileName);
  }

  /** Why the place or import action is not offered for this asset (null when it is). */
  placeRefusal(asset: Asset): string | null {
    return placeRefusal(asset, this.state.selected?.id === asset.id ? this.state.derivatives : null, this.host);
  }

  closeAsset(): void {
    this.browse.closeAsset();
  }

  // --- place and update (placements.ts) ------------------------------------------------

  place(asset: Asset, linked: boolean): Promise<void> {
    return this.placements.place(asset, linked);
  }

  refreshPlacements(): Promise<void> {
    return this.placements.refresh();
  }

  updatePlacement(itemId: string): Promise<void> {
    return this.placements.update(itemId);
  }

  updateAll(): Promise<void> {
    return this.placements.updateAll();
  }

  // --- check out (check-out.ts) / check in (check-in.ts) -------------------------------

  checkOut(asset: Asset): Promise<void> {
    return this.checkOutFlow.checkOut(asset);
  }

  release(asset: Asset): Promise<void> {
    return this.checkOutFlow.release(asset);
  }

  /** The asset the active document came from (checked out, or opened from the cache). */
  checkedOutAssetId(): string | null {
    return this.state.documentOrigin?.assetId ?? null;
  }

  /** Checks the active document in against the version it came from (see CheckInFlow). */
  checkIn(comment: string, keepLocked: boolean): Promise<void> {
    return this.checkInFlow.checkIn(comment, keepLocked);
  }

  /** Conflict dialog: "Check in anyway…" (first step), back, and the explicit second step. */
  checkInAnyway(): void {
    this.checkInFlow.checkInAnyway();
  }

  backToConflictChoices(): void {
    this.checkInFlow.backToChoices();
  }

  /** The conflict is a clip's (Premiere Pro media check-in) rather than the active document's: MediaActions answers it. */
  private clipConflict(): MediaActions | null {
    return this.state.conflict?.clipItemId ? this.media : null;
  }

  confirmCheckInAnyway(): Promise<void> {
    return this.clipConflict()?.confirmClipCheckInAnyway() ?? this.checkInFlow.confirmCheckInAnyway();
  }

  /** Conflict dialog: "Open the latest version" (for a clip: relink it to the latest version). */
  openLatestVersion(): Promise<void> {
    return this.clipConflict()?.useLatestForClip() ?? this.checkInFlow.openLatest();
  }

  /** Conflict dialog: "Save my copy elsewhere" (as a new asset). */
  saveCopyElsewhere(): Promise<void> {
    return this.clipConflict()?.saveClipCopyElsewhere() ?? this.checkInFlow.saveCopyElsewhere();
  }

  closeConflict(): void {
    const clip = this.clipConflict();
    if (clip) clip.closeConflict();
    else this.checkInFlow.closeConflict();
  }

  /** After a check-in: back to the form for the next one. */
  startAnotherCheckIn(): void {
    this.checkInFlow.startAnother();
  }

  dismissLockNotice(id: number): void {
    this.store.set((state) => ({ lockNotices: state.lockNotices.filter((notice) => notice.id !== id) }));
  }

  // --- shared helpers ------------------------------------------------------------------

  private replaceAsset(asset: Asset): void {
    this.store.set((state) => patchAsset(state, asset.id, () => asset));
  }

  /** The local path of asset@version, downloading it into the cache first when needed. */
  private async cached(assetId: string, version: Version): Promise<string> {
    return downloadToCache(
      this.host.cache,
      { assetId, version: version.number, fileName: version.originalName, contentUrl: version.contentUrl, size: version.size, sha256: version.sha256 },
      { serverUrl: this.state.serverUrl, token: this.session.accessToken },
    );
  }

  private async run(key: string, label: string, work: () => Promise<void>): Promise<void> {
    if (this.state.busy[key]) return;
    this.store.set((state) => ({ busy: { ...state.busy, [key]: label } }));
    try {
      await work();
    } catch (error) {
      this.toast(humanError(error), 'error');
    } finally {
      this.store.set((state) => {
        const { [key]: _done, ...busy } = state.busy;
        return { busy };
      });
    }
  }

  toast(message: string, level: NotifyLevel): void {
    const id = ++this.toastSeq;
    this.store.set((state) => ({ toasts: [...state.toasts.slice(-3), { id, message, level }] }));
    if (level === 'error') void this.host.notify(message, level).catch(() => {});
    setTimeout(() => this.dismissToast(id), level === 'error' ? 10_000 : 5000);
  }

  dismissToast(id: number): void {
    this.store.set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  }
}

/** A readable name for this computer (browsers and UXP do not reveal the host name). */
function defaultMachineName(): string {
  const platform = (globalThis.navigator as { platform?: string } | undefined)?.platform ?? '';
  if (/^mac/i.test(platform)) return 'a Mac';
  if (/^win/i.test(platform)) return 'a Windows computer';
  if (/linux/i.test(platform)) return 'a Linux computer';
  return 'this computer';
}
