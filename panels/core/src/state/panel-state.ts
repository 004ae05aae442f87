import type { ConnectionState } from '@stockroom/bridge-client';
import type { Asset, AssetKind, Collection, Derivative, Lock, SearchSort, User, UserRef, Version } from '@stockroom/shared-types';
import type { ActiveDocument, NotifyLevel, PlacedItem } from '../host/types.ts';
import type { DeviceSignInState } from './device-sign-in.ts';
import type { DocumentOrigin } from './document-origins.ts';

export interface SearchFiltersState {
  kind: AssetKind[];
  lockedOnly: boolean;
  checkedOutByMe: boolean;
  sort: SearchSort;
}

export interface PlacementStatus {
  item: PlacedItem;
  assetName: string;
  headVersion: number;
}

export interface UploadProgress {
  assetId: string;
  assetName: string;
  phase: 'saving' | 'hashing' | 'uploading' | 'resuming' | 'finishing';
  sent: number;
  total: number;
  /** Bytes the server already had when the current attempt started. */
  resumedFrom: number;
  attempts: number;
}

/**
 * A check-in the bridge refused because somebody else's change came first: what the
 * conflict dialog shows. The uploaded bytes wait (unused) for the person's choice.
 */
export interface CheckInConflict {
  assetId: string;
  assetName: string;
  documentId: string;
  /** `changed`: newer versions since the document's (VERSION_CONFLICT); `locked`: somebody holds the lock (ASSET_LOCKED). */
  kind: 'changed' | 'locked';
  /** The version the document came from. */
  startedFrom: number;
  headVersion: number;
  /** Versions checked in since the document's version, newest first (who, when, comment). */
  newer: Version[];
  lock: Lock | null;
  /** `confirm`: the second step of "check in anyway", naming what will be replaced. */
  step: 'choose' | 'confirm';
  /** Set when the refused check-in was a clip's media file (Premiere Pro), not the active document. */
  clipItemId?: string;
}

/** What the last check-in of a document made, shown instead of the form until the person starts another. */
export interface CheckInOutcome {
  documentId: string;
  assetId: string;
  assetName: string;
  version: number;
  /** The person's lock after the check-in: kept, released with it, or there was none. */
  lock: 'kept' | 'released' | 'none';
  /** Set when it was checked in anyway: the versions it replaced. */
  replaced: number[];
  /** True when the document was saved as a new asset instead ("save my copy elsewhere"). */
  newAsset: boolean;
}

/** The person's lock was removed by somebody else: shown until dismissed. */
export interface LockNotice {
  id: number;
  assetId: string;
  assetName: string;
  by: UserRef;
  at: string;
  reason: string | null;
}

/** How results are laid out: a grid of thumbnails of `size` px, or a list; remembered per panel. */
export interface BrowseView {
  layout: 'grid' | 'list';
  size: number;
}

/** What the results show besides a search: one collection, the person's favourites or recents. */
export type Shelf = { type: 'collection'; id: string; name: string } | { type: 'favourites' } | { type: 'recent' };

export interface CollectionEntry {
  collection: Collection;
  /** Assets directly in it that the person may see. */
  count: number;
  /** The server estimated the count (a large library: it counts a sample). */
  countIsEstimate: boolean;
  depth: number;
}

export interface Toast {
  id: number;
  message: string;
  level: NotifyLevel;
}

export interface PanelState {
  phase: 'starting' | 'signedOut' | 'signingIn' | 'ready';
  serverUrl: string;
  user: User | null;
  connection: ConnectionState;
  signInError: string | null;
  /** The device sign-in ("Sign in with browser") while it runs, or how it ended. */
  device: DeviceSignInState;
  tab: 'search' | 'collections' | 'document';
  browseView: BrowseView;
  /** Set while browsing a collection, favourites or recents (Escape or Back leaves it). */
  shelf: Shelf | null;
  /** The collections list with counts; null until loaded. */
  collections: CollectionEntry[] | null;
  /** Asset ids the person starred / placed or opened lately, newest first. */
  favourites: string[];
  recents: string[];
  /** The open asset's head derivatives (a failed one means the file could not be read); null while loading. */
  derivatives: Derivative[] | null;
  query: string;
  filters: SearchFiltersState;
  hits: Asset[];
  total: number;
  /** The server's total is a lower bound (a large result), not an exact count. */
  totalIsEstimate: boolean;
  nextCursor: string | null;
  searching: boolean;
  searchError: string | null;
  selected: Asset | null;
  versions: Version[] | null;
  activeDocument: ActiveDocument | null;
  /** The asset the active document was checked out from (opened from the cache), if any. */
  documentAsset: Asset | null;
  /** The version the active document came from: what its check-in is made against. */
  documentOrigin: DocumentOrigin | null;
  conflict: CheckInConflict | null;
  lastCheckIn: CheckInOutcome | null;
  lockNotices: LockNotice[];
  placements: PlacementStatus[];
  /** Operation labels by key (e.g. `place:<assetId>`), shown on the buttons while they run. */
  busy: Record<string, string>;
  upload: UploadProgress | null;
  /** How the last check-in upload went (bytes resumed, attempts), for the status line. */
  lastUpload: UploadProgress | null;
  toasts: Toast[];
  /** Thumbnail data: URLs by `assetId@version`; missing ones show a placeholder. */
  thumbnails: Record<string, string>;
  /** Media hosts: the folder downloads go to (null until chosen). */
  mediaFolder?: string | null;
  /** Media hosts: a sentence when the project's settings get in the way (ingest proxies). */
  ingestWarning?: string | null;
  /** A download into the media folder while it runs. */
  download?: { assetId: string; fileName: string; received: number; total: number } | null;
}

export function initialState(serverUrl: string): PanelState {
  return {
    phase: 'starting',
    serverUrl,
    user: null,
    connection: 'idle',
    signInError: null,
    device: { phase: 'idle' },
    tab: 'search',
    browseView: { layout: 'grid', size: 88 },
    shelf: null,
    collections: null,
    favourites: [],
    recents: [],
    derivatives: null,
    query: '',
    filters: { kind: [], lockedOnly: false, checkedOutByMe: false, sort: 'relevance' },
    hits: [],
    total: 0,
    totalIsEstimate: false,
    nextCursor: null,
    searching: false,
    searchError: null,
    selected: null,
    versions: null,
    activeDocument: null,
    documentAsset: null,
    documentOrigin: null,
    conflict: null,
    lastCheckIn: null,
    lockNotices: [],
    placements: [],
    busy: {},
    upload: null,
    lastUpload: null,
    toasts: [],
    thumbnails: {},
  };
}
