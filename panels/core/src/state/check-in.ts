import type { BridgeClient, CheckInRequest } from '@stockroom/bridge-client';
import type { Asset, MethodResult, Version } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { HostAdapter, NotifyLevel } from '../host/types.ts';
import type { DocumentOrigin, DocumentOrigins, DocumentRef } from './document-origins.ts';
import type { CheckInOutcome, PanelState } from './panel-state.ts';
import { hashAndUpload, isConflict, loadConflict, replacedVersions, sendCheckIn, uploadProgress } from './resumable-check-in.ts';
import type { Store } from './store.ts';

/** What the check-in needs from the panel around it. */
export interface CheckInContext {
  readonly store: Store<PanelState>;
  readonly host: HostAdapter;
  readonly origins: DocumentOrigins;
  bridge(): BridgeClient;
  /** Runs work under a busy key (the button shows `label`); a failure becomes an error toast. */
  run(key: string, label: string, work: () => Promise<void>): Promise<void>;
  toast(message: string, level: NotifyLevel): void;
  /** The local path of asset@version, downloading it into the cache first when needed. */
  cached(assetId: string, version: Version): Promise<string>;
  replaceAsset(asset: Asset): void;
  refreshPlacements(): Promise<void>;
}

/** Uploaded bytes waiting for the person's choice in the conflict dialog (an upload can be used once). */
interface PendingCheckIn {
  document: DocumentRef;
  origin: DocumentOrigin;
  asset: Asset;
  uploadId: string;
  sha256: string;
  comment: string;
  keepLocked: boolean;
}

/**
 * Check-in from the active document, always against the version the document came
 * from. When somebody else's change came first the bridge refuses, and the person
 * chooses in the conflict dialog: open the latest version, check in anyway on top of it
 * (a second, explicit step that names what is replaced, recorded as an override), or
 * save their copy as a new asset. A refused check-in never looks like a success.
 */
export class CheckInFlow {
  private pending: PendingCheckIn | null = null;

  constructor(private readonly panel: CheckInContext) {}

  private get state(): PanelState {
    return this.panel.store.get();
  }

  /**
   * Saves the active document, uploads it resumably and checks it in. A dropped
   * connection (the server restarting, a network blip) is waited out and the upload
   * resumes where the server stopped.
   */
  async checkIn(comment: string, keepLocked: boolean): Promise<void> {
    const doc = await this.panel.host.getActiveDocument();
    const origin = doc ? this.panel.origins.resolve(doc) : null;
    if (!doc || !origin) {
      this.panel.toast('This document did not come from Stockroom. Check out an asset to edit and check in.', 'warning');
      return;
    }
    const assetId = origin.assetId;
    await this.panel.run(`checkin:${assetId}`, 'Checking in…', async () => {
      const bridge = this.panel.bridge();
      const asset = await bridge.call('assets.get', { id: assetId });
      const { progress, show } = uploadProgress(this.panel.store, asset, 'saving');
      show({});
      this.panel.store.set({ conflict: null, lastCheckIn: null });
      const snapshot = await this.panel.host.snapshotActiveDocument();
      try {
        const { uploadId, sha256 } = await hashAndUpload(
          bridge,
          snapshot,
          { fileName: asset.head?.originalName ?? `${asset.name}.psd`, mimeType: asset.head?.mimeType ?? 'image/vnd.adobe.photoshop' },
          show,
        );
        show({ phase: 'finishing', sent: snapshot.size });
        this.pending = { document: doc, origin, asset, uploadId, sha256, comment, keepLocked };
        if (await this.submit(this.pending, { baseVersion: origin.version })) this.panel.store.set({ lastUpload: { ...progress } });
      } finally {
        await snapshot.close();
        this.panel.store.set({ upload: null });
      }
    });
  }

  /** The first step of "check in anyway": the dialog names what would be replaced. */
  checkInAnyway(): void {
    const conflict = this.state.conflict;
    if (conflict?.kind !== 'changed' || conflict.headVersion <= conflict.startedFrom) return;
    this.panel.store.set({ conflict: { ...conflict, step: 'confirm' } });
  }

  backToChoices(): void {
    const conflict = this.state.conflict;
    if (conflict) this.panel.store.set({ conflict: { ...conflict, step: 'choose' } });
  }

  /** The second step: the same bytes as a new version on top of the head the dialog named, recorded as an override. */
  async confirmCheckInAnyway(): Promise<void> {
    const conflict = this.state.conflict;
    const pending = this.pending;
    if (!conflict || conflict.step !== 'confirm' || !pending || pending.asset.id !== conflict.assetId) return;
    await this.panel.run(`checkin:${conflict.assetId}`, 'Checking in…', async () => {
      await this.submit(pending, { baseVersion: conflict.headVersion, override: { startedFrom: pending.origin.version } });
    });
  }

  /** Downloads (or finds in the cache) the latest version and opens it; the changed document stays open. */
  async openLatest(): Promise<void> {
    const conflict = this.state.conflict;
    if (!conflict) return;
    await this.panel.run(`latest:${conflict.assetId}`, 'Opening…', async () => {
      const asset = await this.panel.bridge().call('assets.get', { id: conflict.assetId });
      if (!asset.head) throw new StockroomError('NOT_FOUND', 'The asset has no versions.');
      await this.panel.host.openFile(await this.panel.cached(asset.id, asset.head));
      const opened = await this.panel.host.getActiveDocument();
      if (opened) this.panel.origins.remember(opened, { assetId: asset.id, version: asset.head.number, source: 'download' });
      this.panel.replaceAsset(asset);
      this.closeConflict();
      this.panel.toast(
        `Opened version ${asset.head.number} of ${asset.name}. Your changed document is still open: bring your changes over, then check in from the new one.`,
        'info',
      );
      await this.panel.refreshPlacements();
    });
  }

  /** Keeps the person's work as a new asset (the bytes are uploaded already); the asset in conflict is left as it is. */
  async saveCopyElsewhere(): Promise<void> {
    const conflict = this.state.conflict;
    const pending = this.pending;
    if (!conflict || !pending) return;
    await this.panel.run(`copy:${conflict.assetId}`, 'Saving your copy…', async () => {
      const name = `${pending.asset.name} (my copy from v${pending.origin.version})`;
      const created = await this.panel.bridge().call('assets.create', {
        uploadId: pending.uploadId,
        name,
        collectionId: pending.asset.collectionId,
        tags: pending.asset.tags,
        comment: pending.comment || `Changes to version ${pending.origin.version} of ${pending.asset.name}, kept apart after a conflict.`,
      });
      // From now on this document checks in to its own asset.
      this.panel.origins.remember(pending.document, { assetId: created.id, version: 1, source: 'checkin' });
      this.pending = null;
      this.panel.store.set({
        conflict: null,
        lastCheckIn: { documentId: pending.document.id, assetId: created.id, assetName: created.name, version: 1, lock: 'none', replaced: [], newAsset: true },
      });
      this.panel.toast(`Saved your copy as a new asset, ${created.name}. ${pending.asset.name} is unchanged.`, 'info');
      await this.panel.refreshPlacements();
    });
  }

  /** Closes the dialog without doing anything: the document stays as it is, nothing is checked in. */
  closeConflict(): void {
    this.pending = null;
    this.panel.store.set({ conflict: null });
  }

  /** Back to the check-in form after a finished check-in. */
  startAnother(): void {
    this.panel.store.set({ lastCheckIn: null });
  }

  /** Sends the check-in; a refusal because somebody else's change came first opens the dialog. True when a version was made. */
  private async submit(pending: PendingCheckIn, basis: Pick<CheckInRequest, 'baseVersion' | 'override'> & { baseVersion: number }): Promise<boolean> {
    const { asset, origin } = pending;
    let result: MethodResult<'assets.checkin'>;
    try {
      result = await sendCheckIn(
        this.panel.bridge(),
        asset,
        { id: asset.id, uploadId: pending.uploadId, comment: pending.comment, keepLocked: pending.keepLocked, ...basis },
        pending.sha256,
      );
    } catch (error) {
      if (isConflict(error)) {
        await this.showConflict(pending, error.code);
        return false;
      }
      throw error;
    }
    const { asset: updated, version } = result;
    this.pending = null;
    this.panel.origins.remember(pending.document, { assetId: updated.id, version: version.number, source: 'checkin' });
    this.panel.replaceAsset(updated);
    const replaced = basis.override ? replacedVersions(origin.version, basis.baseVersion) : [];
    const outcome: CheckInOutcome = {
      documentId: pending.document.id,
      assetId: updated.id,
      assetName: updated.name,
      version: version.number,
      lock: updated.lock?.holder.id === this.state.user?.id ? 'kept' : asset.lock?.holder.id === this.state.user?.id ? 'released' : 'none',
      replaced,
      newAsset: false,
    };
    this.panel.store.set({ conflict: null, lastCheckIn: outcome, documentOrigin: { assetId: updated.id, version: version.number, source: 'checkin' } });
    this.panel.toast(`Checked in ${updated.name} as version ${version.number}.`, 'success');
    return true;
  }

  private async showConflict(pending: PendingCheckIn, code: 'VERSION_CONFLICT' | 'ASSET_LOCKED'): Promise<void> {
    const { asset, conflict } = await loadConflict(this.panel.bridge(), {
      assetId: pending.asset.id,
      documentId: pending.document.id,
      startedFrom: pending.origin.version,
      code,
    });
    this.panel.replaceAsset(asset);
    this.panel.store.set({ conflict, lastCheckIn: null });
  }
}
