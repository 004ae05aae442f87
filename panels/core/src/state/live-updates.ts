import type { EventData } from '@stockroom/shared-types';
import type { ThumbnailLoader } from '../bridge/thumbnails.ts';
import { applyLiveEvent } from './live-events.ts';
import { lockNoticeFor } from './lock-notices.ts';
import type { LockNotice } from './panel-state.ts';
import type { PanelParts } from './panel-parts.ts';
import type { LiveEvent } from './session.ts';

/** How long after a change event the search index is expected to reflect it. */
const INDEX_SETTLE_MS = 800;
/**
 * The live event's time and the audit row's are taken apart (the event's when it is
 * built, the row's when its transaction began), so one removal is recognised within this.
 */
const SAME_REMOVAL_MS = 10_000;
/** Removals remembered so that a catch-up after a reconnect does not tell one twice. */
const REMEMBERED_REMOVALS = 200;

interface Removal {
  assetId: string;
  byId: string;
  atMs: number;
}

/** Applies the bridge's live events to what the panel shows (badges, new versions, thumbnails, lock notices). */
export class LiveUpdates {
  private noticeSeq = 0;
  private readonly told: Removal[] = [];

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
    if (!notice || !this.firstTelling(notice)) return;
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

  /**
   * After a reconnect: the person's locks that somebody removed while the panel was away
   * (the live event went out then), told like a live one, oldest first, each once.
   */
  async catchUpLockNotices(since: string): Promise<void> {
    const { unlocks } = await this.panel
      .bridge()
      .call('assets.forcedUnlocks', { since })
      // A server from before this method answers METHOD_NOT_FOUND: nothing to tell then.
      .catch(() => ({ unlocks: [] }));
    const fresh = [...unlocks]
      .reverse()
      .map((unlock) => ({ id: ++this.noticeSeq, assetId: unlock.assetId, assetName: unlock.assetName, by: unlock.by, at: unlock.at, reason: unlock.reason }))
      .filter((notice) => this.firstTelling(notice));
    if (fresh.length > 0) this.panel.store.set((state) => ({ lockNotices: [...state.lockNotices, ...fresh] }));
  }

  /** True the first time a removal is told (live or caught up), false for the same removal again. */
  private firstTelling(notice: LockNotice): boolean {
    const atMs = Date.parse(notice.at);
    const same = (r: Removal) => r.assetId === notice.assetId && r.byId === notice.by.id && Math.abs(r.atMs - atMs) < SAME_REMOVAL_MS;
    if (this.told.some(same)) return false;
    this.told.push({ assetId: notice.assetId, byId: notice.by.id, atMs });
    if (this.told.length > REMEMBERED_REMOVALS) this.told.shift();
    return true;
  }
}
