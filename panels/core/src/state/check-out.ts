import type { Asset } from '@stockroom/shared-types';
import type { DocumentOrigins } from './document-origins.ts';
import type { PanelParts } from './panel-parts.ts';

/** Check-out (lock, download, open) and releasing it; check-in is CheckInFlow. */
export class CheckOut {
  constructor(
    private readonly panel: PanelParts,
    private readonly origins: DocumentOrigins,
  ) {}

  async checkOut(asset: Asset): Promise<void> {
    await this.panel.run(`checkout:${asset.id}`, 'Checking out…', async () => {
      const locked = await this.panel.bridge().call('assets.checkout', { id: asset.id });
      this.panel.replaceAsset(locked);
      if (!locked.head) return;
      const path = await this.panel.cached(locked.id, locked.head);
      await this.panel.host.openFile(path);
      const opened = await this.panel.host.getActiveDocument();
      if (opened) this.origins.remember(opened, { assetId: locked.id, version: locked.head.number, source: 'download' });
      this.panel.toast(`${locked.name} is checked out to you and open.`, 'success');
      await this.panel.refreshPlacements();
    });
  }

  async release(asset: Asset): Promise<void> {
    await this.panel.run(`release:${asset.id}`, 'Releasing…', async () => {
      this.panel.replaceAsset(await this.panel.bridge().call('assets.releaseCheckout', { id: asset.id }));
      this.panel.toast(`Released ${asset.name}; others can check it out now.`, 'success');
    });
  }
}
