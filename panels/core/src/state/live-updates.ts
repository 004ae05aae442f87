import type { EventData } from '@stockroom/shared-types';
import type { ThumbnailLoader } from '../bridge/thumbnails.ts';
import { applyLiveEvent } from './live-events.ts';
import { lockNoticeFor } from './lock-notices.ts';
import type { PanelParts } from './panel-parts.ts';
import type { LiveEvent } from './session.ts';

/** How long after a change event the search index is expected to reflect it. */
const INDEX_SETTLE_MS = 800;

/** Applies the bridge's live events to what the panel shows (badges, new versions, thumbnails, lock notices). */
export class LiveUpdates {
  private noticeSeq = 0;

  constructor(
    private readonly panel: PanelParts,
    private readonly thumbnails: ThumbnailLoader,
    /** Runs the search again after `delayMs` (replacing one already waiting). */
    private readonly searchAgain: (delayMs: number) => void,
  ) {}

  onEvent(event: LiveEvent, data: unknown): void {
    if (event === 'derivative.ready') {
      const { derivative } = data as EventData<'derivative.ready'>;
      if ((derivative.preset === 'thumbnail' || derivative.preset === 'waveform') && derivative.status === 'ready' && derivative.contentUrl) {
        this.thumbnails.ready(derivative.assetId, derivative.versionNumber, derivative.contentUrl);
      }
      return;
    }
    if (event === 'asset.unlocked') this.noticeLockRemoved(data as EventData<'asset.unlocked'>);
    this.panel.store.set((state) => applyLiveEvent(state, event, data));
    // The search index catches up a moment after the event: fetch the list again then.
    if (event === 'asset.created' && this.panel.store.get().query === '') this.searchAgain(INDEX_SETTLE_MS);
  }

  /** Tells the person when somebody else removed their lock (force-unlock), with who, when and why. */
  private noticeLockRemoved(data: EventData<'asset.unlocked'>): void {
    const notice = lockNoticeFor(this.panel.store.get(), data, ++this.noticeSeq);
    if (!notice) return;
    this.panel.store.set((state) => ({ lockNotices: [...state.lockNotices, notice] }));
    if (notice.assetName) return;
    void this.panel
      .bridge()
      .call('assets.get', { id: data.assetId })
      .then((asset) =>
        this.panel.store.set((state) => ({ lockNotices: state.lockNotices.map((n) => (n.id === notice.id ? { ...n, assetName: asset.name } : n)) })),
      )
      .catch(() => {});
  }
}
