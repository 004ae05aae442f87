import type { BridgeClient, CheckInRequest } from '@stockroom/bridge-client';
import type { Asset, Derivative, MethodResult, Version } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { DownloadTarget } from '../bridge/download-to-cache.ts';
import { humanError } from '../errors/human-error.ts';
import type { MarkerSpec, MediaProjectHost, NotifyLevel } from '../host/types.ts';
import type { PanelState, PlacementStatus } from './panel-state.ts';
import { hashAndUpload, isConflict, loadConflict, replacedVersions, sendCheckIn, uploadProgress } from './resumable-check-in.ts';
import type { Store } from './store.ts';

/** What the media features need from the panel controller. */
export interface MediaContext {
  media: MediaProjectHost;
  store: Store<PanelState>;
  bridge(): BridgeClient;
  download(target: DownloadTarget, onProgress: (received: number, total: number) => void): Promise<string>;
  run(key: string, label: string, work: () => Promise<void>): Promise<void>;
  toast(message: string, level: NotifyLevel): void;
  refreshPlacements(): Promise<void>;
  importFile(path: string, asset: Asset, version: number, binName: string): Promise<void>;
  relink(itemId: string, path: string, version: number): Promise<void>;
  /** The review comments of asset@version, as markers. */
  comments: CommentSource;
  /** Where asset@version is kept in the media folder. */
  cachePath(assetId: string, version: number, fileName: string): Promise<string>;
  /** Puts a changed asset into the panel's lists (lock badges, head versions). */
  replaceAsset(asset: Asset): void;
}

export type ImportVariant = 'original' | 'proxy';

/** A proxy's file name in the media folder: the original's name with this ending. */
const PROXY_SUFFIX = '.proxy.mp4';
const isProxyFile = (path: string) => path.endsWith(PROXY_SUFFIX);

/** A clip's uploaded file waiting for the person's choice in the conflict dialog (an upload can be used once). */
interface PendingClipCheckIn {
  itemId: string;
  /** The clip's file, which moves to its new version's place once checked in. */
  path: string;
  fileName: string;
  asset: Asset;
  /** The version the clip's file came from. */
  startedFrom: number;
  uploadId: string;
  sha256: string;
  comment: string;
  keepLocked: boolean;
}

/** Reads review comments for an asset version; present when the server offers them. */
export type CommentSource = (assetId: string, version: number) => Promise<MarkerSpec[]>;

/**
 * The features of apps that import media into projects (Premiere Pro): import an
 * original or its proxy into the collection's bin, attach or detach proxies, relink to
 * a newer version or to this machine's copy of a missing file, review markers.
 */
export class MediaActions {
  private pending: PendingClipCheckIn | null = null;

  constructor(private readonly context: MediaContext) {}

  private get state(): PanelState {
    return this.context.store.get();
  }

  /** Reads the media folder and the ingest warning for the open project (the project tab shows both). */
  async refresh(): Promise<void> {
    const [folder, warning] = await Promise.all([this.context.media.mediaFolder(), this.context.media.ingestWarning().catch(() => null)]);
    this.context.store.set({ mediaFolder: folder, ingestWarning: warning });
  }

  async chooseFolder(): Promise<string | null> {
    const folder = await this.context.media.chooseMediaFolder();
    this.context.store.set({ mediaFolder: folder });
    return folder;
  }

  /** The media folder, asking for one first when none was chosen. */
  private async folder(): Promise<string | null> {
    const current = await this.context.media.mediaFolder();
    if (current) return current;
    const chosen = await this.chooseFolder();
    if (!chosen) this.context.toast('Choose a media folder first: Stockroom downloads media there for Premiere Pro.', 'warning');
    return chosen;
  }

  /** Imports the head version's original or proxy into the bin named after the asset's collection. */
  async importAsset(asset: Asset, variant: ImportVariant): Promise<void> {
    const head = asset.head;
    if (!head) {
      this.context.toast(`${asset.name} has no version to import yet.`, 'warning');
      return;
    }
    await this.context.run(`import-${variant}:${asset.id}`, variant === 'proxy' ? 'Importing proxy…' : 'Importing…', async () => {
      if (!(await this.folder())) return;
      const binName = await this.binFor(asset);
      const path = variant === 'proxy' ? await this.proxyFile(asset, head) : await this.original(asset.id, head);
      await this.context.importFile(path, asset, head.number, binName);
      this.context.toast(`Imported ${asset.name} (version ${head.number}${variant === 'proxy' ? ', proxy' : ''}) into the ${binName} bin.`, 'success');
      if (variant === 'proxy') {
        const warning = await this.context.media.ingestWarning();
        if (warning) this.context.toast(warning, 'warning');
      }
      await this.context.refreshPlacements();
    });
  }

  /** Attaches the Stockroom proxy of the clip's version to an imported original. */
  async attachProxy(itemId: string): Promise<void> {
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    await this.context.run(`proxy:${itemId}`, 'Attaching proxy…', async () => {
      const asset = await this.context.bridge().call('assets.get', { id: status.item.assetId });
      const { versions } = await this.context.bridge().call('versions.list', { assetId: asset.id });
      const version = versions.find((v) => v.number === status.item.version);
      if (!version) throw new StockroomError('NOT_FOUND', `Version ${status.item.version} of ${asset.name} is gone.`);
      const path = await this.proxyFile(asset, version);
      await this.context.media.attachProxy(itemId, path);
      this.context.toast(`Attached the Stockroom proxy to ${asset.name}. Toggle proxies in the Program Monitor to use it.`, 'success');
      await this.context.refreshPlacements();
    });
  }

  /**
   * Moves an outdated clip to the head version: a clip imported as its proxy to the new
   * proxy; an original to the new original, with the new proxy attached again when the
   * clip had one (or a word that it is still being made).
   */
  async updateClip(itemId: string): Promise<void> {
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    await this.context.run(`update:${itemId}`, 'Updating…', async () => {
      const asset = await this.context.bridge().call('assets.get', { id: status.item.assetId });
      await this.moveToHead(status, asset);
      await this.context.refreshPlacements();
    });
  }

  private async moveToHead(status: PlacementStatus, asset: Asset): Promise<Version> {
    const { itemId } = status.item;
    const head = asset.head;
    if (!head) throw new StockroomError('NOT_FOUND', `${asset.name} has no versions.`);
    if (isProxyFile(status.item.path)) {
      await this.context.relink(itemId, await this.proxyFile(asset, head), head.number);
      this.context.toast(`Updated ${asset.name} to version ${head.number} (proxy).`, 'success');
      return head;
    }
    await this.context.relink(itemId, await this.original(asset.id, head), head.number);
    this.context.toast(`Updated ${asset.name} to version ${head.number}.`, 'success');
    if (status.item.proxy) {
      try {
        await this.context.media.attachProxy(itemId, await this.proxyFile(asset, head));
      } catch (error) {
        this.context.toast(`${asset.name} plays version ${head.number} without a proxy for now: ${humanError(error)}`, 'warning');
      }
    }
    return head;
  }

  /** Points a clip that was imported as a proxy at its full-resolution original. */
  async reconnectFullResolution(itemId: string): Promise<void> {
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    await this.context.run(`fullres:${itemId}`, 'Downloading the original…', async () => {
      const { versions } = await this.context.bridge().call('versions.list', { assetId: status.item.assetId });
      const version = versions.find((v) => v.number === status.item.version);
      if (!version) throw new StockroomError('NOT_FOUND', `Version ${status.item.version} is gone.`);
      const path = await this.original(status.item.assetId, version);
      await this.context.media.reconnectFullResolution(itemId, path);
      this.context.toast(`${status.assetName} plays its full-resolution original again.`, 'success');
      await this.context.refreshPlacements();
    });
  }

  /**
   * Offline clips whose file was a Stockroom download on another computer: downloads the
   * same version into this computer's media folder and relinks to it.
   */
  async resolveMissing(): Promise<void> {
    const missing = this.state.placements.filter((p) => p.item.offline);
    if (missing.length === 0) return;
    await this.context.run('resolve-missing', 'Resolving…', async () => {
      if (!(await this.folder())) return;
      let fixed = 0;
      for (const status of missing) {
        try {
          const { versions } = await this.context.bridge().call('versions.list', { assetId: status.item.assetId });
          const version = versions.find((v) => v.number === status.item.version);
          if (!version) continue;
          const asset = await this.context.bridge().call('assets.get', { id: status.item.assetId });
          const path = status.item.proxy ? await this.proxyFile(asset, version) : await this.original(asset.id, version);
          await this.context.relink(status.item.itemId, path, version.number);
          fixed++;
        } catch (error) {
          this.context.toast(`${status.assetName}: ${humanError(error)}`, 'error');
        }
      }
      this.context.toast(
        `Relinked ${fixed} of ${missing.length} missing clip${missing.length === 1 ? '' : 's'} to this computer’s media folder.`,
        fixed === missing.length ? 'success' : 'warning',
      );
      await this.context.refreshPlacements();
    });
  }

  /** Adds the version's review comments as markers on the clip (once each). */
  async syncMarkers(itemId: string): Promise<void> {
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    await this.context.run(`markers:${itemId}`, 'Syncing markers…', async () => {
      const specs = await this.context.comments(status.item.assetId, status.item.version);
      const added = await this.context.media.syncMarkers(itemId, specs);
      this.context.toast(
        added === 0 ? `The markers of ${status.assetName} are up to date.` : `Added ${added} review marker${added === 1 ? '' : 's'} to ${status.assetName}.`,
        'success',
      );
    });
  }

  /**
   * Checks in the file a clip plays (a media file the editor changed) as a new version,
   * against the version the file came from, so a newer check-in elsewhere is a conflict
   * instead of being overwritten: the conflict dialog then offers the latest version,
   * checking in anyway (an explicit, recorded override) or keeping the file as a new asset.
   * The upload resumes after a dropped connection. Once checked in, the file moves to its
   * new version's place in the media folder and the clip follows.
   */
  async checkInClip(itemId: string, comment: string, keepLocked: boolean): Promise<void> {
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    const { item } = status;
    await this.context.run(`checkin:${item.assetId}`, 'Checking in…', async () => {
      const bridge = this.context.bridge();
      const asset = await bridge.call('assets.get', { id: item.assetId });
      const { show } = uploadProgress(this.context.store, asset, 'hashing');
      this.context.store.set({ conflict: null });
      try {
        const file = await this.context.media.openMediaFile(item.path);
        let uploaded: { uploadId: string; sha256: string };
        try {
          uploaded = await hashAndUpload(bridge, file, { fileName: file.name, mimeType: asset.head?.mimeType ?? 'application/octet-stream' }, show);
          show({ phase: 'finishing', sent: file.size });
        } finally {
          await file.close();
        }
        this.pending = { itemId, path: item.path, fileName: file.name, asset, startedFrom: item.version, comment, keepLocked, ...uploaded };
        await this.submitClip(this.pending, { baseVersion: item.version });
      } finally {
        this.context.store.set({ upload: null });
      }
    });
  }

  /** Conflict dialog, second step of "check in anyway": the same bytes on top of the head the dialog named, recorded as an override. */
  async confirmClipCheckInAnyway(): Promise<void> {
    const conflict = this.state.conflict;
    const pending = this.pending;
    if (!conflict || conflict.step !== 'confirm' || !pending || conflict.clipItemId !== pending.itemId) return;
    await this.context.run(`checkin:${conflict.assetId}`, 'Checking in…', async () => {
      await this.submitClip(pending, { baseVersion: conflict.headVersion, override: { startedFrom: pending.startedFrom } });
    });
  }

  /**
   * Conflict dialog, "Use the latest version": the clip plays the head version, relinked as
   * an update would; the changed file is left where it is, unchecked-in.
   */
  async useLatestForClip(): Promise<void> {
    const conflict = this.state.conflict;
    const pending = this.pending;
    const status = this.state.placements.find((p) => p.item.itemId === conflict?.clipItemId);
    if (!conflict || !pending || !status) return;
    await this.context.run(`latest:${conflict.assetId}`, 'Relinking…', async () => {
      const asset = await this.context.bridge().call('assets.get', { id: conflict.assetId });
      const head = await this.moveToHead(status, asset);
      this.context.replaceAsset(asset);
      this.closeConflict();
      this.context.toast(
        `${asset.name} plays version ${head.number} now. Your changed file was not checked in; it is still at ${pending.path}: bring your changes over, then check in from the new version.`,
        'info',
      );
      await this.context.refreshPlacements();
    });
  }

  /** Conflict dialog, "Save my copy elsewhere": the uploaded file becomes a new asset and the clip plays it; the asset in conflict stays as it is. */
  async saveClipCopyElsewhere(): Promise<void> {
    const conflict = this.state.conflict;
    const pending = this.pending;
    if (!conflict || !pending || conflict.clipItemId !== pending.itemId) return;
    await this.context.run(`copy:${conflict.assetId}`, 'Saving your copy…', async () => {
      const { asset, startedFrom } = pending;
      const created = await this.context.bridge().call('assets.create', {
        uploadId: pending.uploadId,
        name: `${asset.name} (my copy from v${startedFrom})`,
        collectionId: asset.collectionId,
        tags: asset.tags,
        comment: pending.comment || `Changes to version ${startedFrom} of ${asset.name}, kept apart after a conflict.`,
      });
      const target = await this.context.cachePath(created.id, 1, pending.fileName);
      await this.context.media.moveMediaFile(pending.path, target);
      await this.context.relink(pending.itemId, target, 1);
      this.closeConflict();
      this.context.toast(`Saved your copy as a new asset, ${created.name}; the clip plays it now. ${asset.name} is unchanged.`, 'info');
      await this.context.refreshPlacements();
    });
  }

  /** Closes the conflict dialog: nothing is checked in, the clip stays as it is. */
  closeConflict(): void {
    this.pending = null;
    this.context.store.set({ conflict: null });
  }

  /** Sends the clip's check-in; a refusal because somebody else's change came first opens the conflict dialog. */
  private async submitClip(pending: PendingClipCheckIn, basis: Pick<CheckInRequest, 'override'> & { baseVersion: number }): Promise<void> {
    const { asset } = pending;
    let result: MethodResult<'assets.checkin'>;
    try {
      result = await sendCheckIn(
        this.context.bridge(),
        asset,
        { id: asset.id, uploadId: pending.uploadId, comment: pending.comment, keepLocked: pending.keepLocked, ...basis },
        pending.sha256,
      );
    } catch (error) {
      if (!isConflict(error)) throw error;
      const shown = await loadConflict(this.context.bridge(), {
        assetId: asset.id,
        documentId: this.state.activeDocument?.id ?? '',
        startedFrom: pending.startedFrom,
        code: error.code,
        clipItemId: pending.itemId,
      });
      this.context.replaceAsset(shown.asset);
      this.context.store.set({ conflict: shown.conflict });
      return;
    }
    const { asset: updated, version } = result;
    this.pending = null;
    const target = await this.context.cachePath(asset.id, version.number, pending.fileName);
    await this.context.media.moveMediaFile(pending.path, target);
    await this.context.relink(pending.itemId, target, version.number);
    this.context.replaceAsset(updated);
    this.context.store.set({ conflict: null });
    const replaced = basis.override ? replacedVersions(pending.startedFrom, basis.baseVersion) : [];
    this.context.toast(
      `Checked in ${updated.name} as version ${version.number}${replaced.length > 0 ? `, replacing ${replaced.map((n) => `v${n}`).join(', ')} (recorded)` : ''}.`,
      'success',
    );
    await this.context.refreshPlacements();
  }

  /**
   * Sequence markers from the review of each sequence's checked-in export: the export is
   * the asset whose file is named after the sequence (Premiere names exports so), and
   * its head version's time-coded comments become markers on the sequence.
   */
  async syncSequenceMarkers(): Promise<void> {
    await this.context.run('sequence-markers', 'Updating sequence markers…', async () => {
      const sequences = await this.context.media.listSequences();
      let added = 0;
      let linked = 0;
      for (const sequence of sequences) {
        const { hits } = await this.context.bridge().call('assets.search', { q: sequence.name, limit: 20 });
        const wanted = sequence.name.trim().toLowerCase();
        const asset = hits
          .map((hit) => hit.asset)
          .find(
            (candidate) =>
              candidate.head?.originalName
                .replace(/\.[^.]+$/, '')
                .trim()
                .toLowerCase() === wanted,
          );
        if (!asset?.head) continue;
        linked++;
        added += await this.context.media.syncSequenceMarkers(sequence.id, await this.context.comments(asset.id, asset.head.number));
      }
      if (linked === 0) {
        this.context.toast('No sequence of this project has a checked-in export yet (an asset whose file is named after the sequence).', 'info');
        return;
      }
      this.context.toast(
        added === 0
          ? 'The sequence markers are up to date.'
          : `Added ${added} review marker${added === 1 ? '' : 's'} to ${linked === 1 ? 'the sequence' : `${linked} sequences`}.`,
        'success',
      );
    });
  }

  private async binFor(asset: Asset): Promise<string> {
    if (!asset.collectionId) return 'Stockroom';
    const { collections } = await this.context.bridge().call('collections.list', {});
    return collections.find((c) => c.id === asset.collectionId)?.name ?? 'Stockroom';
  }

  private original(assetId: string, version: Version): Promise<string> {
    return this.context.download(
      { assetId, version: version.number, fileName: version.originalName, contentUrl: version.contentUrl, size: version.size, sha256: version.sha256 },
      (received, total) => this.progress(assetId, version.originalName, received, total),
    );
  }

  private async proxyFile(asset: Asset, version: Version): Promise<string> {
    const { derivatives } = await this.context.bridge().call('derivatives.list', { assetId: asset.id, number: version.number });
    const proxy = derivatives.find((d: Derivative) => d.preset === 'proxy');
    if (!proxy || proxy.status !== 'ready' || !proxy.contentUrl || proxy.size === null) {
      throw new StockroomError(
        'NOT_FOUND',
        proxy && proxy.status !== 'failed'
          ? `The proxy of ${asset.name} is still being made. Try again in a moment.`
          : `${asset.name} has no proxy. Import the original instead.`,
      );
    }
    const fileName = `${version.originalName.replace(/\.[^.]+$/, '')}${PROXY_SUFFIX}`;
    return this.context.download(
      { assetId: asset.id, version: version.number, fileName, contentUrl: proxy.contentUrl, size: proxy.size, sha256: proxy.sha256 },
      (received, total) => this.progress(asset.id, fileName, received, total),
    );
  }

  private progress(assetId: string, fileName: string, received: number, total: number): void {
    this.context.store.set({ download: received >= total ? null : { assetId, fileName, received, total } });
  }
}
