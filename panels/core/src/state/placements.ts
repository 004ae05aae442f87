import type { Asset, Placement } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import { humanError } from '../errors/human-error.ts';
import type { PlacedItem } from '../host/types.ts';
import type { DocumentOrigins } from './document-origins.ts';
import type { MediaActions } from './media-actions.ts';
import { placeRefusal } from './placeability.ts';
import type { PanelParts } from './panel-parts.ts';
import type { PanelState, PlacementStatus } from './panel-state.ts';

/**
 * Placing assets into the active document, and what the document holds: which
 * placements are stale (the bridge says), updating them, and noticing when the person
 * switches documents.
 */
export class PanelPlacements {
  private documentTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly panel: PanelParts,
    private readonly origins: DocumentOrigins,
    private readonly media: () => MediaActions | null,
    private readonly documentPollMs: number,
    /** An asset was placed (it goes to the recents). */
    private readonly onPlaced: (assetId: string) => void,
  ) {}

  private get state(): PanelState {
    return this.panel.store.get();
  }

  async place(asset: Asset, linked: boolean): Promise<void> {
    const head = asset.head;
    if (!head) {
      this.panel.toast(`${asset.name} has no version to place yet.`, 'warning');
      return;
    }
    // The UI offers no place action then; this guards every other way in (never a success toast).
    const refusal = placeRefusal(asset, this.state.selected?.id === asset.id ? this.state.derivatives : null, this.panel.host);
    if (refusal) {
      this.panel.toast(refusal, 'warning');
      return;
    }
    await this.panel.run(`place:${asset.id}`, linked ? 'Placing linked…' : 'Placing…', async () => {
      if (!(await this.panel.host.getActiveDocument())) {
        this.panel.toast('Open a document in Photoshop first, then place the asset into it.', 'warning');
        return;
      }
      const path = await this.panel.cached(asset.id, head);
      await this.panel.host.placeAsset({ path, linked, assetId: asset.id, version: head.number });
      this.panel.toast(`Placed ${asset.name} (version ${head.number}${linked ? ', linked' : ''}).`, 'success');
      this.onPlaced(asset.id);
      await this.refresh();
    });
  }

  /** Tells the bridge what the active document holds; its answer says which placements are stale. */
  async refresh(): Promise<void> {
    const client = this.panel.client();
    if (!client) return;
    try {
      const doc = await this.panel.host.getActiveDocument();
      this.panel.store.set({ activeDocument: doc });
      if (!doc) {
        this.panel.store.set({ placements: [], documentAsset: null });
        return;
      }
      const origin = this.origins.resolve(doc);
      this.panel.store.set({ documentOrigin: origin });
      if (origin?.assetId !== this.state.documentAsset?.id) {
        this.panel.store.set({ documentAsset: origin ? await client.call('assets.get', { id: origin.assetId }) : null });
      }
      const items = await this.panel.host.listPlacedAssets();
      const { placements } = await client.call('placements.report', {
        documentId: doc.id,
        documentName: doc.name,
        placements: items.map((item) => ({ assetId: item.assetId, versionNumber: item.version, itemId: item.itemId, linked: item.linked })),
      });
      this.panel.store.set({ placements: items.map((item) => this.statusFor(item, placements)) });
    } catch (error) {
      this.panel.toast(humanError(error), 'error');
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

  async update(itemId: string): Promise<void> {
    // Media hosts keep proxies and originals apart (a clip imported as its proxy follows the new proxy).
    const media = this.media();
    if (media) return media.updateClip(itemId);
    const status = this.state.placements.find((p) => p.item.itemId === itemId);
    if (!status) return;
    await this.panel.run(`update:${itemId}`, 'Updating…', async () => {
      const asset = await this.panel.bridge().call('assets.get', { id: status.item.assetId });
      if (!asset.head) throw new StockroomError('NOT_FOUND', 'The asset has no versions.');
      const path = await this.panel.cached(asset.id, asset.head);
      await this.panel.host.updatePlacement(itemId, path, asset.head.number);
      this.panel.toast(`Updated ${asset.name} to version ${asset.head.number}.`, 'success');
      await this.refresh();
    });
  }

  async updateAll(): Promise<void> {
    const stale = this.state.placements.filter((p) => p.headVersion > p.item.version);
    for (const status of stale) await this.update(status.item.itemId);
  }

  startDocumentWatch(): void {
    void this.refresh();
    this.documentTimer = setInterval(() => void this.watchDocument(), this.documentPollMs);
  }

  stopDocumentWatch(): void {
    if (this.documentTimer) clearInterval(this.documentTimer);
    this.documentTimer = null;
  }

  private async watchDocument(): Promise<void> {
    try {
      const doc = await this.panel.host.getActiveDocument();
      const previous = this.state.activeDocument;
      if (doc?.id !== previous?.id || doc?.path !== previous?.path) await this.refresh();
      else if (doc && doc.saved !== previous?.saved) this.panel.store.set({ activeDocument: doc });
    } catch {
      // The host may be busy (a modal dialog); the next tick looks again.
    }
  }
}
