import { FAVOURITES_LIMIT, isStockroomError, type Collection } from '@stockroom/shared-types';
import { humanError } from '../errors/human-error.ts';
import type { PanelParts } from './panel-parts.ts';
import type { BrowseView, CollectionEntry, PanelState, Shelf } from './panel-state.ts';
import { clampSize, PersonalLists, pushFront } from './personal-lists.ts';

/**
 * Browsing beyond search: collections (with how many assets each holds), favourites
 * and recents, and the grid/list choice.
 */
export class PanelLibrary {
  private readonly lists: PersonalLists;
  /** The server and person whose favourites the server keeps (set once it answered favourites.list or .import). */
  private keptFor: string | null = null;

  constructor(
    private readonly panel: PanelParts,
    settings: Pick<Storage, 'getItem' | 'setItem'> | null,
    /** Runs the search for what is on screen now (a shelf or the query). */
    private readonly searchAgain: () => void,
  ) {
    this.lists = new PersonalLists(settings);
    const view = this.lists.view();
    if (view) panel.store.set({ browseView: view });
  }

  private get state(): PanelState {
    return this.panel.store.get();
  }

  private get serverKeepsFavourites(): boolean {
    return this.keptFor === `${this.state.serverUrl} ${this.state.user?.id}`;
  }

  /**
   * After sign-in (and after a reconnect): this person's recents on this computer, and their
   * favourites from the server. Stars an earlier panel kept on this computer are handed to
   * the server once, then forgotten here. A server without favourites (an older version)
   * leaves them on this computer as before.
   */
  async loadLists(): Promise<void> {
    const user = this.state.user;
    if (!user) return;
    const { serverUrl } = this.state;
    const local = this.lists.lists(serverUrl, user.id);
    this.panel.store.set(local);
    try {
      const bridge = this.panel.bridge();
      const { assetIds } = local.favourites.length
        ? await bridge.call('favourites.import', { assetIds: local.favourites.slice(0, FAVOURITES_LIMIT) })
        : await bridge.call('favourites.list', {});
      if (this.state.user?.id !== user.id) return;
      this.keptFor = `${serverUrl} ${user.id}`;
      this.panel.store.set({ favourites: assetIds });
      if (local.favourites.length) this.lists.saveLists(serverUrl, user.id, { favourites: [], recents: this.state.recents });
    } catch (error) {
      if (isStockroomError(error) && error.code === 'UNKNOWN_METHOD') return;
      this.panel.toast(`Your favourites could not be loaded: ${humanError(error)}`, 'error');
    }
  }

  setView(view: Partial<BrowseView>): void {
    const next = { ...this.state.browseView, ...view };
    next.size = clampSize(next.size);
    this.panel.store.set({ browseView: next });
    this.lists.saveView(next);
  }

  async loadCollections(): Promise<void> {
    try {
      const bridge = this.panel.bridge();
      const [{ collections }, counts] = await Promise.all([
        bridge.call('collections.list', {}),
        // The search's facet counts: assets per collection that this person may see.
        bridge.call('assets.search', { q: '', facets: ['collectionId'], limit: 1 }),
      ]);
      const byId = new Map((counts.facets.collectionId ?? []).map((facet) => [facet.value, facet.count]));
      this.panel.store.set({
        collections: tree(collections).map((entry) => ({ ...entry, count: byId.get(entry.collection.id) ?? 0, countIsEstimate: counts.facetsAreEstimate })),
      });
    } catch (error) {
      this.panel.store.set({ collections: [] });
      this.panel.toast(humanError(error), 'error');
    }
  }

  openShelf(shelf: Shelf): void {
    this.panel.store.set({ shelf, tab: 'collections', selected: null, versions: null, hits: [], total: 0, totalIsEstimate: false, nextCursor: null });
    this.searchAgain();
  }

  /** Back from a shelf to where it was opened (the collections list). */
  leaveShelf(): void {
    if (!this.state.shelf) return;
    this.panel.store.set({ shelf: null, tab: 'collections', hits: [], total: 0, totalIsEstimate: false, nextCursor: null });
    this.searchAgain();
    void this.loadCollections();
  }

  /** Stars or unstars at once on screen; the server keeps it (and tells the person's other panels), or it is undone with the reason. */
  async toggleFavourite(assetId: string): Promise<void> {
    const starred = !this.state.favourites.includes(assetId);
    this.save({ favourites: withStar(this.state.favourites, assetId, starred) });
    if (!this.serverKeepsFavourites) return;
    try {
      await this.panel.bridge().call('favourites.set', { assetId, starred });
    } catch (error) {
      this.save({ favourites: withStar(this.state.favourites, assetId, !starred) });
      this.panel.toast(humanError(error), 'error');
    }
  }

  /** An asset was opened or placed: it goes to the front of the recents. */
  noteRecent(assetId: string): void {
    this.save({ recents: pushFront(this.state.recents, assetId) });
  }

  private save(patch: Partial<Pick<PanelState, 'favourites' | 'recents'>>): void {
    this.panel.store.set(patch);
    const { user, serverUrl, favourites, recents } = this.state;
    // Favourites the server keeps are not kept here too: a stale copy would bring back stars removed elsewhere.
    if (user) this.lists.saveLists(serverUrl, user.id, { favourites: this.serverKeepsFavourites ? [] : favourites, recents });
  }
}

function withStar(favourites: string[], assetId: string, starred: boolean): string[] {
  return starred ? pushFront(favourites, assetId, Number.MAX_SAFE_INTEGER) : favourites.filter((id) => id !== assetId);
}

/** Collections in tree order (parents before their children, names alphabetical), with their depth. */
function tree(collections: Collection[]): Array<Pick<CollectionEntry, 'collection' | 'depth'>> {
  const children = new Map<string | null, Collection[]>();
  const ids = new Set(collections.map((c) => c.id));
  for (const collection of collections) {
    const parent = collection.parentId && ids.has(collection.parentId) ? collection.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), collection]);
  }
  const out: Array<Pick<CollectionEntry, 'collection' | 'depth'>> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const collection of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ collection, depth });
      walk(collection.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
