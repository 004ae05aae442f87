import { BridgeClient } from '@stockroom/bridge-client';
import type { Asset, EventData, Placement, Version } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import { downloadVersion } from '../bridge/download.ts';
import { downloadToCache } from '../bridge/download-to-cache.ts';
import { ThumbnailLoader, toBase64 } from '../bridge/thumbnails.ts';
import { humanError, signInError } from '../errors/human-error.ts';
import type { HostAdapter, NotifyLevel, PlacedItem } from '../host/types.ts';
import { CheckInFlow } from './check-in.ts';
import { runDeviceSignIn } from './device-sign-in.ts';
import { DocumentOrigins } from './document-origins.ts';
import { MediaActions } from './media-actions.ts';
import { commentsToMarkers } from './review-markers.ts';
import { applyLiveEvent, patchAsset } from './live-events.ts';
import { lockNoticeFor } from './lock-notices.ts';
import { initialState, type PanelState, type PlacementStatus, type SearchFiltersState } from './panel-state.ts';
import { Store } from './store.ts';

export type { CheckInConflict, CheckInOutcome, LockNotice, PanelState, PlacementStatus, SearchFiltersState, Toast, UploadProgress } from './panel-state.ts';
export type { DeviceSignInState } from './device-sign-in.ts';

export interface PanelOptions {
  host: HostAdapter;
  pluginVersion: string;
  /** Where the server URL is remembered (not secret); localStorage in UXP and browsers. */
  settings?: Pick<Storage, 'getItem' | 'setItem'>;
  defaultServerUrl?: string;
  /** How often the active document is looked at (UXP has no cheap "document switched" event). */
  documentPollMs?: number;
  searchDebounceMs?: number;
  pageSize?: number;
  /** Bytes per upload request (the most an interrupted upload loses); the client's default otherwise. */
  uploadChunkBytes?: number;
  /** Names this computer on the device sign-in approval page and in the token's name. */
  machineName?: string;
}

const SERVER_KEY = 'stockroom.serverUrl';
const LIVE_EVENTS = ['asset.created', 'asset.updated', 'asset.deleted', 'asset.locked', 'asset.unlocked', 'version.created', 'derivative.ready'] as const;
/** Review comment events: the comment list of the open asset listens to them itself (ui/CommentsView). */
export const COMMENT_EVENTS = ['comment.created', 'comment.updated', 'comment.resolved', 'comment.deleted'] as const;

/**
 * Everything the panel does, independent of React and of the host app: signs in,
 * searches, places, tracks updates, checks out and in. Components read `store` and
 * call these methods; every failure ends up as a sentence in a toast.
 */
export class PanelController {
  readonly store: Store<PanelState>;
  readonly host: HostAdapter;
  /** Which version each open document came from (kept in `settings`, so a reloaded panel knows). */
  readonly origins: DocumentOrigins;
  private readonly checkInFlow: CheckInFlow;
  /** Import, proxies, relink and markers, for hosts that import media into projects (Premiere Pro). */
  readonly media: MediaActions | null;
  private client: BridgeClient | null = null;
  private token = '';
  private deviceSignIn: AbortController | null = null;
  private readonly options: Required<Omit<PanelOptions, 'settings' | 'defaultServerUrl' | 'uploadChunkBytes'>> &
    Pick<PanelOptions, 'settings' | 'uploadChunkBytes'>;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private documentTimer: ReturnType<typeof setInterval> | null = null;
  private toastSeq = 0;
  private noticeSeq = 0;
  private stopListening: Array<() => void> = [];
  private readonly previews = new Map<string, string>();
  private readonly thumbnailLoader = new ThumbnailLoader(
    () => ({ url: this.state.serverUrl, token: this.token }),
    (key, url) => this.store.set((state) => ({ thumbnails: { ...state.thumbnails, [key]: url } })),
  );

  constructor(options: PanelOptions) {
    this.host = options.host;
    this.options = {
      host: options.host,
      pluginVersion: options.pluginVersion,
      settings: options.settings,
      documentPollMs: options.documentPollMs ?? 1500,
      searchDebounceMs: options.searchDebounceMs ?? 150,
      pageSize: options.pageSize ?? 40,
      uploadChunkBytes: options.uploadChunkBytes,
      machineName: options.machineName ?? defaultMachineName(),
    };
    this.store = new Store<PanelState>(initialState(options.settings?.getItem(SERVER_KEY) ?? options.defaultServerUrl ?? ''));
    this.origins = new DocumentOrigins(options.settings ?? null);
    this.checkInFlow = new CheckInFlow({
      store: this.store,
      host: this.host,
      origins: this.origins,
      bridge: () => this.bridge,
      run: (key, label, work) => this.run(key, label, work),
      toast: (message, level) => this.toast(message, level),
      cached: (assetId, version) => this.cached(assetId, version),
      replaceAsset: (asset) => this.replaceAsset(asset),
      refreshPlacements: () => this.refreshPlacements(),
    });
    const media = options.host.media;
    this.media = media
      ? new MediaActions({
          media,
          store: this.store,
          bridge: () => this.bridge,
          download: (target, onProgress) => downloadToCache(this.host.cache, target, { serverUrl: this.state.serverUrl, token: this.token, onProgress }),
          run: (key, label, work) => this.run(key, label, work),
          toast: (message, level) => this.toast(message, level),
          refreshPlacements: () => this.refreshPlacements(),
          importFile: async (path, asset, version, binName) => {
            await this.host.placeAsset({ path, linked: true, assetId: asset.id, version, binName });
          },
          relink: async (itemId, path, version) => {
            await this.host.updatePlacement(itemId, path, version);
          },
          comments: async (assetId, version) => commentsToMarkers((await this.bridge.call('comments.list', { assetId, version })).comments),
          replaceAsset: (asset) => this.replaceAsset(asset),
          cachePath: (assetId, version, fileName) => this.host.cache.pathFor(assetId, version, fileName),
        })
      : null;
  }

  private get state(): PanelState {
    return this.store.get();
  }

  // --- sign-in -------------------------------------------------------------------------

  /** Signs in with the stored token, if there is one. */
  async start(): Promise<void> {
    const token = await this.host.token.get();
    if (!token || !this.state.serverUrl) {
      this.store.set({ phase: 'signedOut' });
      return;
    }
    await this.connect(this.state.serverUrl, token, true);
  }

  /** Signs in with a pasted access token (the fallback to signing in with the browser). */
  async signIn(serverUrl: string, token: string): Promise<void> {
    const url = this.serverAddress(serverUrl);
    if (!url) return;
    if (token.trim().length === 0) {
      this.store.set({ signInError: 'Paste the access token from your Stockroom profile page.' });
      return;
    }
    this.cancelDeviceSignIn();
    this.options.settings?.setItem(SERVER_KEY, url);
    await this.connect(url, token.trim(), false);
  }

  /**
   * Device sign-in: shows a code, the person approves it in the browser (where the
   * password or single sign-on stays), and the panel receives a token of its own.
   */
  async signInWithBrowser(serverUrl: string): Promise<void> {
    const url = this.serverAddress(serverUrl);
    if (!url) return;
    this.cancelDeviceSignIn();
    this.options.settings?.setItem(SERVER_KEY, url);
    const run = new AbortController();
    this.deviceSignIn = run;
    this.store.set({ serverUrl: url, signInError: null });
    const grant = await runDeviceSignIn({
      serverUrl: url,
      clientApp: this.host.app,
      machine: this.options.machineName,
      signal: run.signal,
      onState: (device) => this.store.set({ device }),
    });
    if (this.deviceSignIn !== run) return;
    this.deviceSignIn = null;
    if (grant) await this.connect(url, grant.token, false);
  }

  /** Opens the approval page (with the code filled in) in the system browser. */
  async openSignInPage(): Promise<void> {
    const device = this.state.device;
    if (device.phase !== 'waiting') return;
    try {
      await this.host.openExternal(device.verificationUriComplete);
    } catch (error) {
      this.store.set({ signInError: error instanceof Error ? error.message : `Open ${device.verificationUriComplete} in your browser.` });
    }
  }

  /** Stops a running device sign-in and goes back to the start of the sign-in screen. */
  cancelDeviceSignIn(): void {
    this.deviceSignIn?.abort();
    this.deviceSignIn = null;
    this.store.set({ device: { phase: 'idle' } });
  }

  private serverAddress(input: string): string | null {
    const url = input.trim().replace(/\/+$/, '');
    if (/^https?:\/\/[^/]+/.test(url)) return url;
    this.store.set({ signInError: 'Enter the server address, for example https://stockroom.example.com.' });
    return null;
  }

  async signOut(): Promise<void> {
    this.disconnect();
    await this.host.token.clear();
    this.store.set({ phase: 'signedOut', user: null, hits: [], selected: null, placements: [], signInError: null, device: { phase: 'idle' } });
  }

  private async connect(serverUrl: string, token: string, remembered: boolean): Promise<void> {
    this.disconnect();
    this.store.set({ phase: 'signingIn', serverUrl, signInError: null });
    const client = new BridgeClient({
      serverUrl,
      token,
      client: { app: this.host.app, appVersion: this.host.appVersion, pluginVersion: this.options.pluginVersion },
      // Short backoff: after a server restart the panel should be back within seconds.
      reconnect: { initialDelayMs: 250, maxDelayMs: 4000 },
      ...(this.options.uploadChunkBytes ? { upload: { chunkSize: this.options.uploadChunkBytes } } : {}),
    });
    this.client = client;
    this.token = token;
    this.stopListening.push(client.onStateChange((connection) => this.store.set({ connection })));
    this.stopListening.push(client.onReconnected(() => void this.refreshAfterReconnect()));
    this.stopListening.push(
      client.onError((error) => {
        if (error.code === 'UNAUTHENTICATED') void this.signOutBecause(error);
      }),
    );
    for (const event of LIVE_EVENTS) this.stopListening.push(client.on(event, (data) => this.onEvent(event, data)));
    try {
      // A remembered sign-in keeps retrying while the server is away (the banner says so).
      const hello = await client.connect({ retry: remembered });
      await client.subscribe([...LIVE_EVENTS, ...COMMENT_EVENTS]);
      if (!remembered) await this.host.token.set(token);
      this.store.set({ phase: 'ready', user: hello.user, device: { phase: 'idle' } });
      this.startDocumentWatch();
      this.search();
    } catch (error) {
      if (this.client !== client) return;
      this.disconnect();
      this.store.set({ phase: 'signedOut', signInError: signInError(error, serverUrl), device: { phase: 'idle' } });
    }
  }

  private async signOutBecause(error: StockroomError): Promise<void> {
    this.disconnect();
    await this.host.token.clear();
    this.store.set({ phase: 'signedOut', user: null, signInError: humanError(error) });
  }

  private disconnect(): void {
    for (const stop of this.stopListening.splice(0)) stop();
    if (this.documentTimer) clearInterval(this.documentTimer);
    this.documentTimer = null;
    this.client?.close();
    this.client = null;
  }

  dispose(): void {
    this.deviceSignIn?.abort();
    this.disconnect();
    if (this.searchTimer) clearTimeout(this.searchTimer);
  }

  /** The signed-in bridge connection (null when signed out), for features kept in their own files. */
  get connection(): BridgeClient | null {
    return this.client;
  }

  private get bridge(): BridgeClient {
    if (!this.client) throw new StockroomError('UNAUTHENTICATED', 'Not signed in.');
    return this.client;
  }

  private async refreshAfterReconnect(): Promise<void> {
    // Events may have been missed while away: fetch again what is on screen.
    this.search();
    await this.refreshPlacements();
    const selected = this.state.selected;
    if (selected) await this.openAsset(selected.id);
  }

  // --- search --------------------------------------------------------------------------

  setTab(tab: PanelState['tab']): void {
    this.store.set({ tab });
    if (tab === 'document') void this.refreshPlacements();
    if (tab === 'document') void this.media?.refresh().catch((error) => this.toast(humanError(error), 'error'));
  }

  setQuery(query: string): void {
    this.store.set({ query });
    this.scheduleSearch();
  }

  setFilters(filters: Partial<SearchFiltersState>): void {
    this.store.set((state) => ({ filters: { ...state.filters, ...filters } }));
    this.scheduleSearch();
  }

  private scheduleSearch(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.search(), this.options.searchDebounceMs);
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
    if (!this.client) return;
    const seq = ++this.searchSeq;
    const { query, filters, nextCursor } = this.state;
    this.store.set({ searching: true, searchError: null });
    try {
      const result = await this.bridge.call('assets.search', {
        q: query,
        filters: {
          ...(filters.kind.length > 0 ? { kind: filters.kind } : {}),
          ...(filters.lockedOnly ? { locked: true } : {}),
          ...(filters.checkedOutByMe ? { checkedOutByMe: true } : {}),
        },
        sort: filters.sort,
        limit: this.options.pageSize,
        ...(more && nextCursor ? { cursor: nextCursor } : {}),
      });
      if (seq !== this.searchSeq) return;
      const assets = result.hits.map((hit) => hit.asset);
      this.store.set((state) => ({
        hits: more ? [...state.hits, ...assets.filter((a) => !state.hits.some((h) => h.id === a.id))] : assets,
        total: result.total,
        nextCursor: result.nextCursor,
        searching: false,
      }));
    } catch (error) {
      if (seq !== this.searchSeq) return;
      this.store.set({ searching: false, searchError: humanError(error) });
    }
  }

  // --- asset view ----------------------------------------------------------------------

  async openAsset(id: string): Promise<void> {
    try {
      const cached = this.state.hits.find((asset) => asset.id === id) ?? null;
      this.store.set({ selected: cached ?? this.state.selected, versions: null });
      const [asset, { versions }] = await Promise.all([
        this.bridge.call('assets.get', { id }),
        this.bridge.call('versions.list', { assetId: id }),
      ]);
      this.store.set({ selected: asset, versions });
    } catch (error) {
      this.toast(humanError(error), 'error');
    }
  }

  /** A data: URL for previewing image versions (data URLs work in UXP's <img> as in browsers). */
  async previewUrl(assetId: string, version: Version): Promise<string | null> {
    const key = `${assetId}@${version.number}`;
    if (this.previews.has(key)) return this.previews.get(key) ?? null;
    if (!PREVIEWABLE.test(version.mimeType) || version.size > MAX_PREVIEW_BYTES) return null;
    try {
      const bytes = await downloadVersion(this.state.serverUrl, this.token, version);
      const url = `data:${version.mimeType};base64,${toBase64(bytes)}`;
      this.previews.set(key, url);
      return url;
    } catch {
      return null; // the placeholder stays; the preview is a nicety
    }
  }

  /** Starts loading the thumbnail of the asset's head version (cards call this when shown). */
  requestThumbnail(asset: Asset): void {
    if (asset.headVersion > 0) this.thumbnailLoader.request(asset.id, asset.headVersion);
  }

  closeAsset(): void {
    this.store.set({ selected: null, versions: null });
  }

  // --- place and update ----------------------------------------------------------------

  async place(asset: Asset, linked: boolean): Promise<void> {
    const head = asset.head;
    if (!head) {
      this.toast(`${asset.name} has no version to place yet.`, 'warning');
      return;
    }
    await this.run(`place:${asset.id}`, linked ? 'Placing linked…' : 'Placing…', async () => {
      if (!(await this.host.getActiveDocument())) {
        this.toast('Open a document in Photoshop first, then place the asset into it.', 'warning');
        return;
      }
      const path = await this.cached(asset.id, head);
      await this.host.placeAsset({ path, linked, assetId: asset.id, version: head.number });
      this.toast(`Placed ${asset.name} (version ${head.number}${linked ? ', linked' : ''}).`, 'success');
      await this.refreshPlacements();
    });
  }

  /** Tells the bridge what the active document holds; its answer says which placements are stale. */
  async refreshPlacements(): Promise<void> {
    if (!this.client) return;
    try {
      const doc = await this.host.getActiveDocument();
      this.store.set({ activeDocument: doc });
      if (!doc) {
        this.store.set({ placements: [], documentAsset: null });
        return;
      }
      const origin = this.origins.resolve(doc);
      this.store.set({ documentOrigin: origin });
      if (origin?.assetId !== this.state.documentAsset?.id) {
        this.store.set({ documentAsset: origin ? await this.bridge.call('assets.get', { id: origin.assetId }) : null });
      }
      const items = await this.host.listPlacedAssets();
      const { placements } = await this.bridge.call('placements.report', {
        documentId: doc.id,
        documentName: doc.name,
        placements: items.map((item) => ({ assetId: item.assetId, versionNumber: item.version, itemId: item.itemId, linked: item.linked })),
      });
      this.store.set({ placements: items.map((item) => this.statusFor(item, placements)) });
    } catch (error) {
      this.toast(humanError(error), 'error');
    }
  }

  private statusFor(item: PlacedItem, placements: Placement[]): PlacementStatus {
    const known = placements.find((p) => p.itemId === item.itemId && p.assetId === item.assetId);
    const hit = this.state.hits.find((asset) => asset.id === item.assetId);
    return {
      item,
      assetName: hit?.name ?? known?.documentName ?? item.path.substring(item.path.lastIndexOf('/') + 1),
      headVersion: Math.max(known?.headVersion ?? item.version, item.version),
    };
  }

  async updatePlacement(itemId: string): Promise<void> {
    // Media hosts keep proxies and originals apart (a clip imported as its proxy follows the new proxy).
    if (this.media) return this.media.updateClip(itemId);
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    await this.run(`update:${itemId}`, 'Updating…', async () => {
      const asset = await this.bridge.call('assets.get', { id: status.item.assetId });
      if (!asset.head) throw new StockroomError('NOT_FOUND', 'The asset has no versions.');
      const path = await this.cached(asset.id, asset.head);
      await this.host.updatePlacement(itemId, path, asset.head.number);
      this.toast(`Updated ${asset.name} to version ${asset.head.number}.`, 'success');
      await this.refreshPlacements();
    });
  }

  async updateAll(): Promise<void> {
    const stale = this.state.placements.filter((p) => p.headVersion > p.item.version);
    for (const status of stale) await this.updatePlacement(status.item.itemId);
  }

  // --- check out / check in ------------------------------------------------------------

  async checkOut(asset: Asset): Promise<void> {
    await this.run(`checkout:${asset.id}`, 'Checking out…', async () => {
      const locked = await this.bridge.call('assets.checkout', { id: asset.id });
      this.replaceAsset(locked);
      if (!locked.head) return;
      const path = await this.cached(locked.id, locked.head);
      await this.host.openFile(path);
      const opened = await this.host.getActiveDocument();
      if (opened) this.origins.remember(opened, { assetId: locked.id, version: locked.head.number, source: 'download' });
      this.toast(`${locked.name} is checked out to you and open.`, 'success');
      await this.refreshPlacements();
    });
  }

  async release(asset: Asset): Promise<void> {
    await this.run(`release:${asset.id}`, 'Releasing…', async () => {
      this.replaceAsset(await this.bridge.call('assets.releaseCheckout', { id: asset.id }));
      this.toast(`Released ${asset.name}; others can check it out now.`, 'success');
    });
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

  confirmCheckInAnyway(): Promise<void> {
    return this.checkInFlow.confirmCheckInAnyway();
  }

  /** Conflict dialog: "Open the latest version". */
  openLatestVersion(): Promise<void> {
    return this.checkInFlow.openLatest();
  }

  /** Conflict dialog: "Save my copy elsewhere" (as a new asset). */
  saveCopyElsewhere(): Promise<void> {
    return this.checkInFlow.saveCopyElsewhere();
  }

  closeConflict(): void {
    this.checkInFlow.closeConflict();
  }

  /** After a check-in: back to the form for the next one. */
  startAnotherCheckIn(): void {
    this.checkInFlow.startAnother();
  }

  dismissLockNotice(id: number): void {
    this.store.set((state) => ({ lockNotices: state.lockNotices.filter((notice) => notice.id !== id) }));
  }

  // --- live events ---------------------------------------------------------------------

  private onEvent(event: (typeof LIVE_EVENTS)[number], data: unknown): void {
    if (event === 'derivative.ready') {
      const { derivative } = data as EventData<'derivative.ready'>;
      if (derivative.preset === 'thumbnail' && derivative.status === 'ready' && derivative.contentUrl) {
        this.thumbnailLoader.ready(derivative.assetId, derivative.versionNumber, derivative.contentUrl);
      }
      return;
    }
    if (event === 'asset.unlocked') this.noticeLockRemoved(data as EventData<'asset.unlocked'>);
    this.store.set((state) => applyLiveEvent(state, event, data));
    if (event === 'asset.created' && this.state.query === '') {
      // The search index catches up a moment after the event: fetch the list again then.
      if (this.searchTimer) clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.search(), INDEX_SETTLE_MS);
    }
  }

  /** Tells the person when somebody else removed their lock (force-unlock), with who, when and why. */
  private noticeLockRemoved(data: EventData<'asset.unlocked'>): void {
    const notice = lockNoticeFor(this.state, data, ++this.noticeSeq);
    if (!notice) return;
    this.store.set((state) => ({ lockNotices: [...state.lockNotices, notice] }));
    if (notice.assetName) return;
    void this.bridge
      .call('assets.get', { id: data.assetId })
      .then((asset) =>
        this.store.set((state) => ({ lockNotices: state.lockNotices.map((n) => (n.id === notice.id ? { ...n, assetName: asset.name } : n)) })),
      )
      .catch(() => {});
  }

  private replaceAsset(asset: Asset): void {
    this.store.set((state) => patchAsset(state, asset.id, () => asset));
  }

  // --- active document -----------------------------------------------------------------

  private startDocumentWatch(): void {
    void this.refreshPlacements();
    this.documentTimer = setInterval(() => void this.watchDocument(), this.options.documentPollMs);
  }

  private async watchDocument(): Promise<void> {
    try {
      const doc = await this.host.getActiveDocument();
      const previous = this.state.activeDocument;
      if (doc?.id !== previous?.id || doc?.path !== previous?.path) await this.refreshPlacements();
      else if (doc && doc.saved !== previous?.saved) this.store.set({ activeDocument: doc });
    } catch {
      // The host may be busy (a modal dialog); the next tick looks again.
    }
  }

  // --- helpers -------------------------------------------------------------------------

  /** The local path of asset@version, downloading it into the cache first when needed. */
  private async cached(assetId: string, version: Version): Promise<string> {
    return downloadToCache(
      this.host.cache,
      { assetId, version: version.number, fileName: version.originalName, contentUrl: version.contentUrl, size: version.size, sha256: version.sha256 },
      { serverUrl: this.state.serverUrl, token: this.token },
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

/** How long after a change event the search index is expected to reflect it. */
const INDEX_SETTLE_MS = 800;
const PREVIEWABLE = /^image\/(png|jpeg|gif|webp|svg\+xml)$/;
const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

/** A readable name for this computer (browsers and UXP do not reveal the host name). */
function defaultMachineName(): string {
  const platform = (globalThis.navigator as { platform?: string } | undefined)?.platform ?? '';
  if (/^mac/i.test(platform)) return 'a Mac';
  if (/^win/i.test(platform)) return 'a Windows computer';
  if (/linux/i.test(platform)) return 'a Linux computer';
  return 'this computer';
}
