import { BridgeClient, MemoryUrlStorage } from '@stockroom/bridge-client';
import { humanError, runDeviceSignIn, ThumbnailLoader, type DeviceSignInState } from '@stockroom/panels-core';
import {
  isStockroomError,
  type AssetKind,
  type BrandEntry,
  type BrandKit,
  type BrandKitSummary,
  type EventData,
  type Placement,
} from '@stockroom/shared-types';
import { TOKEN_STORAGE_KEY, type PlacedNode } from '../src/protocol.ts';
import { PLUGIN_VERSION, SERVER_URL } from './config.ts';
import { fetchContent } from './content.ts';
import { MainThread, MainThreadError } from './main-thread.ts';
import { Store } from './store.ts';

interface PlacedStatus extends PlacedNode {
  latest: number;
  updateAvailable: boolean;
}

export interface UiState {
  phase: 'starting' | 'signed-out' | 'signed-in';
  device: DeviceSignInState;
  user: string;
  connection: string;
  kits: BrandKitSummary[];
  kit: BrandKit | null;
  query: string;
  /** Entry ids in search order, or null when no search is typed. */
  matches: string[] | null;
  searching: boolean;
  kind: AssetKind | null;
  tag: string | null;
  variants: Record<string, string>;
  thumbs: Record<string, string>;
  placed: PlacedStatus[];
  scope: 'page' | 'file';
  busy: string | null;
  message: { kind: 'info' | 'error' | 'success'; text: string } | null;
}

const initial: UiState = {
  phase: 'starting',
  device: { phase: 'idle' },
  user: '',
  connection: 'idle',
  kits: [],
  kit: null,
  query: '',
  matches: null,
  searching: false,
  kind: null,
  tag: null,
  variants: {},
  thumbs: {},
  placed: [],
  scope: 'page',
  busy: null,
  message: null,
};

/**
 * Everything the plugin's UI does: sign-in, brand kits and search over the bridge client,
 * and document work through the main thread.
 */
export class Controller {
  readonly store = new Store<UiState>(initial);
  private client: BridgeClient | null = null;
  private token = '';
  private signIn: AbortController | null = null;
  private searchSeq = 0;
  /** Nodes of a relaunch ("Update to latest") that arrived before the sign-in finished. */
  private relaunched: string[] | null = null;
  private readonly thumbnails = new ThumbnailLoader(
    () => ({ url: SERVER_URL, token: this.token }),
    (key, url) => this.store.set((s) => ({ thumbs: { ...s.thumbs, [key]: url } })),
  );

  constructor(readonly main: MainThread = new MainThread()) {
    main.onEvent((event) => {
      if (event.event === 'drop') void this.insert(event.data.kit, event.data.entry, event.data.variant, event.data.at);
      if (event.event === 'relaunch' && event.data.command === 'update') {
        if (this.client) void this.updateNodes(event.data.nodeIds);
        else this.relaunched = event.data.nodeIds;
      }
    });
  }

  async start(): Promise<void> {
    this.main.ready();
    const token = await this.main.request('storage.get', { key: TOKEN_STORAGE_KEY });
    if (token) await this.connect(token);
    else this.store.set({ phase: 'signed-out' });
  }

  // ---- sign-in ---------------------------------------------------------------

  async signInWithBrowser(): Promise<void> {
    this.signIn?.abort();
    const signIn = (this.signIn = new AbortController());
    let opened = false;
    const grant = await runDeviceSignIn({
      serverUrl: SERVER_URL,
      clientApp: 'figma',
      machine: 'Figma',
      signal: signIn.signal,
      onState: (device) => {
        this.store.set({ device });
        if (device.phase === 'waiting' && !opened) {
          opened = true;
          void this.main.request('openExternal', { url: device.verificationUriComplete });
        }
      },
    });
    if (!grant) return;
    await this.main.request('storage.set', { key: TOKEN_STORAGE_KEY, value: grant.token });
    await this.connect(grant.token);
  }

  openSignInPage(): void {
    const device = this.store.get().device;
    if (device.phase === 'waiting') void this.main.request('openExternal', { url: device.verificationUriComplete });
  }

  cancelSignIn(): void {
    this.signIn?.abort();
    this.store.set({ device: { phase: 'idle' } });
  }

  async signOut(): Promise<void> {
    this.client?.close();
    this.client = null;
    this.token = '';
    await this.main.request('storage.delete', { key: TOKEN_STORAGE_KEY });
    this.store.set({ ...initial, phase: 'signed-out' });
  }

  private async connect(token: string): Promise<void> {
    this.token = token;
    const client = new BridgeClient({
      serverUrl: SERVER_URL,
      token,
      client: { app: 'figma', appVersion: 'figma', pluginVersion: PLUGIN_VERSION, machine: 'Figma' },
      // localStorage throws in Figma's sandboxed iframe.
      upload: { urlStorage: new MemoryUrlStorage() },
    });
    client.onStateChange((connection) => this.store.set({ connection }));
    client.onReconnected(() => void this.refreshPlacements());
    try {
      const hello = await client.connect();
      this.client = client;
      this.store.set({ phase: 'signed-in', user: hello.user.name, device: { phase: 'idle' }, message: null });
    } catch (error) {
      client.close();
      if (isStockroomError(error) && error.code === 'UNAUTHENTICATED') {
        await this.main.request('storage.delete', { key: TOKEN_STORAGE_KEY });
        this.store.set({ phase: 'signed-out', message: { kind: 'error', text: 'Your sign-in has ended. Sign in again.' } });
        return;
      }
      this.store.set({ phase: 'signed-out', message: { kind: 'error', text: humanError(error) } });
      return;
    }
    client.on('version.created', (data) => {
      const { placed, kit } = this.store.get();
      if (placed.some((p) => p.asset === data.assetId)) void this.refreshPlacements();
      // New thumbnails and head versions for the grid, keeping what is typed and filtered.
      if (kit?.sections.some((s) => s.entries.some((e) => e.variants.some((v) => v.assetId === data.assetId)))) void this.reloadKit(kit.collectionId);
    });
    client.on('derivative.ready', (data) => {
      if (data.derivative.preset === 'thumbnail')
        this.thumbnails.ready(
          data.assetId,
          data.derivative.versionNumber,
          `/api/assets/${data.assetId}/versions/${data.derivative.versionNumber}/derivatives/thumbnail/content`,
        );
    });
    client.on('brandKit.changed', (data) => void this.kitChanged(data));
    await client.subscribe(['version.created', 'asset.updated', 'derivative.ready', 'brandKit.changed']);
    await this.loadKits();
    await this.refreshPlacements();
    const relaunched = this.relaunched;
    this.relaunched = null;
    if (relaunched) await this.updateNodes(relaunched);
  }

  // ---- browsing --------------------------------------------------------------

  private async loadKits(): Promise<void> {
    const { kits } = await this.client!.call('brandKits.list');
    this.store.set({ kits });
    if (kits[0]) await this.openKit(kits[0].collectionId);
  }

  async openKit(collectionId: string): Promise<void> {
    const kit = await this.client!.call('brandKits.get', { collectionId });
    this.store.set({ kit, matches: null, query: '', kind: null, tag: null });
    for (const entry of kit.sections.flatMap((s) => s.entries)) this.thumbnails.request(entry.assetId, entry.headVersion);
  }

  /** A manager saved or removed a kit: the list follows, and the kit on screen shows its new sections (or says it is gone). */
  private async kitChanged(data: EventData<'brandKit.changed'>): Promise<void> {
    const open = this.store.get().kit?.collectionId === data.collectionId;
    try {
      const { kits } = await this.client!.call('brandKits.list');
      this.store.set({ kits });
    } catch {
      // The list stays as it was; signing in again loads it.
    }
    if (!open) return;
    if (!data.removed) return this.reloadKit(data.collectionId);
    const name = this.store.get().kit?.name ?? 'This brand kit';
    this.store.set({ kit: null, matches: null, message: { kind: 'info', text: `${data.by.name} removed the brand kit ${name}.` } });
    const next = this.store.get().kits[0];
    if (next) await this.openKit(next.collectionId).catch(() => {});
  }

  private async reloadKit(collectionId: string): Promise<void> {
    try {
      const kit = await this.client!.call('brandKits.get', { collectionId });
      if (this.store.get().kit?.collectionId !== collectionId) return;
      this.store.set({ kit });
      for (const entry of kit.sections.flatMap((s) => s.entries)) this.thumbnails.request(entry.assetId, entry.headVersion);
    } catch {
      // The grid keeps what it showed; the next search or reopening loads it again.
    }
  }

  /** Search as you type: the bridge's search forgives typos; results keep only this kit's entries. */
  async search(query: string): Promise<void> {
    const seq = ++this.searchSeq;
    this.store.set({ query, searching: query.trim() !== '' });
    const kit = this.store.get().kit;
    if (!kit || query.trim() === '') {
      this.store.set({ matches: null, searching: false });
      return;
    }
    try {
      const result = await this.client!.call('assets.search', { q: query, filters: { collectionId: kit.collectionId }, limit: 200 });
      if (seq !== this.searchSeq) return;
      const byAsset = new Map<string, BrandEntry>();
      for (const entry of kit.sections.flatMap((s) => s.entries)) for (const v of entry.variants) if (!byAsset.has(v.assetId)) byAsset.set(v.assetId, entry);
      const ids: string[] = [];
      for (const hit of result.hits) {
        const entry = byAsset.get(hit.asset.id);
        if (entry && !ids.includes(entry.id)) ids.push(entry.id);
      }
      this.store.set({ matches: ids, searching: false });
    } catch (error) {
      if (seq === this.searchSeq) this.store.set({ searching: false, message: { kind: 'error', text: humanError(error) } });
    }
  }

  setFilter(filter: { kind?: AssetKind | null; tag?: string | null }): void {
    this.store.set(filter);
  }

  chooseVariant(entryId: string, variant: string): void {
    this.store.set((s) => ({ variants: { ...s.variants, [entryId]: variant } }));
  }

  variantOf(entry: BrandEntry): string {
    return this.store.get().variants[entry.id] ?? entry.variants[0]!.name;
  }

  // ---- inserting and updating -------------------------------------------------

  async insert(kit: string, entry: string, variant: string, at?: { x: number; y: number }): Promise<void> {
    this.store.set({ busy: entry, message: null });
    try {
      const content = await fetchContent({ url: SERVER_URL, token: this.token }, kit, entry, variant);
      const name = this.entryName(entry) ?? 'Brand asset';
      if (content.insertAs === 'vector') {
        await this.main.request('insert.vector', { svg: content.svg!, name, tag: content.tag, ...(at ? { at } : {}) });
      } else {
        const placed = await this.main.request('insert.image', { bytes: content.bytes!, name, tag: content.tag, ...(at ? { at } : {}) });
        if (placed.intoSelection)
          this.say('success', `Filled ${placed.nodeIds.length} selected layer${placed.nodeIds.length === 1 ? '' : 's'} with “${name}”.`);
      }
      if (content.removed.length > 0) {
        this.say('info', `Placed “${name}”. Stockroom removed unsafe parts of the SVG: ${content.removed.join('; ')}.`);
      } else if (content.insertAs === 'vector') {
        this.say('success', `Placed “${name}” as editable vectors.`);
      } else if (this.store.get().message === null) {
        this.say('success', `Placed “${name}” as an image fill.`);
      }
      await this.refreshPlacements();
    } catch (error) {
      this.say('error', this.sentence(error));
    } finally {
      this.store.set({ busy: null });
    }
  }

  /** Updates placed nodes to the latest version of their asset, in place. */
  async updateNodes(nodeIds: string[]): Promise<void> {
    if (this.store.get().placed.length === 0) await this.refreshPlacements();
    const targets = this.store.get().placed.filter((p) => nodeIds.includes(p.nodeId));
    let updated = 0;
    for (const placed of targets) {
      try {
        this.store.set({ busy: placed.nodeId });
        const content = await fetchContent({ url: SERVER_URL, token: this.token }, placed.kit, placed.entry, placed.variant);
        if (content.insertAs === 'vector') await this.main.request('update.vector', { nodeId: placed.nodeId, svg: content.svg!, tag: content.tag });
        else await this.main.request('update.image', { nodeId: placed.nodeId, bytes: content.bytes!, tag: content.tag });
        updated++;
      } catch (error) {
        this.say('error', `“${placed.name}”: ${this.sentence(error)}`);
      }
    }
    this.store.set({ busy: null });
    if (updated > 0) this.say('success', `Updated ${updated} layer${updated === 1 ? '' : 's'} to the latest version.`);
    await this.refreshPlacements();
  }

  setScope(scope: 'page' | 'file'): void {
    this.store.set({ scope });
    void this.refreshPlacements();
  }

  /** Reads the tagged nodes, reports them to the bridge (where-used) and learns which are outdated. */
  async refreshPlacements(): Promise<void> {
    if (!this.client) return;
    try {
      const wholeFile = this.store.get().scope === 'file';
      const scan = await this.main.request('placements.scan', { wholeFile });
      const placements = scan.placements;
      const reports = await Promise.all(
        scan.pages.map((page) =>
          this.client!.call('placements.report', {
            documentId: `figma:${scan.documentId}:${page.id}`,
            documentName: `${scan.documentName} › ${page.name}`,
            placements: placements
              .filter((p) => p.pageId === page.id)
              .map((p) => ({ assetId: p.asset, versionNumber: p.version, itemId: p.nodeId, linked: true })),
          }),
        ),
      );
      const reported = { placements: reports.flatMap((r) => r.placements) };
      const byItem = new Map<string, Placement>(reported.placements.map((r) => [`${r.assetId}/${r.itemId}`, r]));
      const placed: PlacedStatus[] = placements.map((p) => {
        const r = byItem.get(`${p.asset}/${p.nodeId}`);
        return { ...p, latest: r?.headVersion ?? p.version, updateAvailable: r?.updateAvailable ?? false };
      });
      this.store.set({ placed });
      await this.main.request('placements.mark', {
        outdated: placed.filter((p) => p.updateAvailable).map((p) => ({ nodeId: p.nodeId, latest: p.latest })),
        current: placed.filter((p) => !p.updateAvailable).map((p) => p.nodeId),
      });
    } catch (error) {
      this.say('error', this.sentence(error));
    }
  }

  thumbnailOf(entry: BrandEntry): string | undefined {
    return this.store.get().thumbs[ThumbnailLoader.key(entry.assetId, entry.headVersion)];
  }

  dismiss(): void {
    this.store.set({ message: null });
  }

  private entryName(entryId: string): string | undefined {
    return this.store
      .get()
      .kit?.sections.flatMap((s) => s.entries)
      .find((e) => e.id === entryId)?.name;
  }

  private say(kind: 'info' | 'error' | 'success', text: string): void {
    this.store.set({ message: { kind, text } });
    if (kind === 'error') void this.main.request('notify', { message: text, error: true }).catch(() => undefined);
  }

  private sentence(error: unknown): string {
    if (error instanceof MainThreadError) return error.message;
    // The bridge's own message says exactly what happened (withdrawn, expired, unsafe SVG).
    if (isStockroomError(error) && ['ASSET_UNAVAILABLE', 'UNSAFE_CONTENT', 'NOT_FOUND'].includes(error.code)) return error.message;
    return humanError(error);
  }
}
