import type { BrowseView } from './panel-state.ts';

type Settings = Pick<Storage, 'getItem' | 'setItem'>;

const VIEW_KEY = 'stockroom.browseView';
const MAX_RECENTS = 30;
const MAX_FAVOURITES = 500;

/**
 * The person's recents, and the panel's grid/list choice, kept in the panel's own storage
 * (UXP's localStorage: per plugin, kept across restarts) under a key per server and person.
 * Favourites live on the server (favourites.*), so they follow the person to their other
 * apps and computers; this storage keeps them only when the server is too old to, and until
 * a newer one has taken them over (PanelLibrary.loadLists). Storage that refuses (full, or
 * missing as in sandboxed frames) only loses the memory, never the panel.
 */
export class PersonalLists {
  constructor(private readonly settings: Settings | null) {}

  view(): BrowseView | null {
    const value = this.read(VIEW_KEY) as Partial<BrowseView> | null;
    if (!value || (value.layout !== 'grid' && value.layout !== 'list') || typeof value.size !== 'number') return null;
    return { layout: value.layout, size: clampSize(value.size) };
  }

  saveView(view: BrowseView): void {
    this.write(VIEW_KEY, view);
  }

  lists(serverUrl: string, userId: string): { favourites: string[]; recents: string[] } {
    const value = this.read(listsKey(serverUrl, userId)) as { favourites?: unknown; recents?: unknown } | null;
    return { favourites: ids(value?.favourites), recents: ids(value?.recents) };
  }

  saveLists(serverUrl: string, userId: string, lists: { favourites: string[]; recents: string[] }): void {
    this.write(listsKey(serverUrl, userId), { favourites: lists.favourites.slice(0, MAX_FAVOURITES), recents: lists.recents.slice(0, MAX_RECENTS) });
  }

  private read(key: string): unknown {
    try {
      const raw = this.settings?.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      this.settings?.setItem(key, JSON.stringify(value));
    } catch {
      // Full or unavailable storage: the choice lasts until the panel closes.
    }
  }
}

export const MIN_THUMB = 64;
export const MAX_THUMB = 192;

export function clampSize(size: number): number {
  return Math.min(MAX_THUMB, Math.max(MIN_THUMB, Math.round(size)));
}

/** Newest first, no duplicates, at most `max`. */
export function pushFront(list: string[], id: string, max: number = MAX_RECENTS): string[] {
  return [id, ...list.filter((other) => other !== id)].slice(0, max);
}

function listsKey(serverUrl: string, userId: string): string {
  return `stockroom.lists.${serverUrl}.${userId}`;
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}
