/**
 * Everything a panel needs from the app it runs in. The UI calls only this;
 * one adapter per host app (Photoshop, Premiere, a fake for the browser) implements it,
 * and no host API is called anywhere else.
 */

export interface PlaceRequest {
  /** Local path of the asset's bytes (a file in the cache folder). */
  path: string;
  /** Linked smart object (true) or embedded copy (false). */
  linked: boolean;
  assetId: string;
  version: number;
  /** Hosts that sort imports into folders (Premiere's bins) put the item in one of this name. */
  binName?: string;
}

/** What a host looks at to decide whether it can place a file. */
export interface PlaceCandidate {
  kind: 'image' | 'video' | 'audio' | 'document' | 'design' | 'font' | 'other';
  mimeType: string;
  originalName: string;
  size: number;
}

export interface PlacedItem {
  /** The host's id of the placed item (a layer id in Photoshop). */
  itemId: string;
  assetId: string;
  version: number;
  linked: boolean;
  path: string;
  /** Media hosts only: the file is missing (offline clip). */
  offline?: boolean;
  /** Media hosts only: the item plays a proxy (imported as the proxy, or one is attached). */
  proxy?: boolean;
  /** Media hosts only: names of the sequences that use the item. */
  sequences?: string[];
}

export interface ActiveDocument {
  /** Stable for the document while it is open; the saved path when it has one. */
  id: string;
  name: string;
  /** Local path of the saved file, or null when it was never saved. */
  path: string | null;
  /** False when there are unsaved changes. */
  saved: boolean;
  /**
   * This opening of the document, where the host can tell (Photoshop's document id):
   * it differs after the document was closed and opened again, when its content is again
   * what its file holds.
   */
  instance?: string;
}

/**
 * A saved copy of the active document, read by range (so an interrupted upload can
 * resume at the server's offset without reading from the start) or in chunks.
 */
export interface DocumentSnapshot {
  /** Where the copy was saved. */
  path: string;
  name: string;
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
  chunks(chunkSize?: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

export type NotifyLevel = 'info' | 'success' | 'warning' | 'error';

export interface SecureTokenStore {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

export interface CacheFolder {
  /** The stable local path where asset@version is (or will be) kept. */
  pathFor(assetId: string, version: number, fileName: string): Promise<string>;
  /** True when asset@version is already in the cache. */
  has(assetId: string, version: number, fileName: string): Promise<boolean>;
  /** Writes the bytes of asset@version and returns its stable local path. */
  write(assetId: string, version: number, fileName: string, bytes: Uint8Array): Promise<string>;
  /**
   * Opens asset@version for writing in pieces (a download streamed to disk, resumable):
   * bytes already written by an interrupted download are kept. Hosts without it get
   * the whole file through write().
   */
  open?(assetId: string, version: number, fileName: string): Promise<CacheFileWriter>;
}

/** A file being downloaded into the cache: appended to, then committed under its final name. */
export interface CacheFileWriter {
  /** Bytes already in the partial file (where a resumed download continues). */
  readonly size: number;
  append(bytes: Uint8Array): Promise<void>;
  /** Reads back bytes already written (to hash a partial file from an earlier run). */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Closes the partial file and gives it its final name; returns the final path. */
  commit(): Promise<string>;
  /** Closes and deletes the partial file (its bytes were wrong). */
  discard(): Promise<void>;
  /** Closes the partial file, keeping it for a later resume. */
  close(): Promise<void>;
}

/** A time-coded note to show as a marker on a clip (review comments). */
export interface MarkerSpec {
  /** Stable key written into the marker's comments, so a second sync adds no duplicate. */
  tag: string;
  name: string;
  comments: string;
  startSeconds: number;
  /** 0 for a point in time; longer for a range. */
  durationSeconds: number;
  resolved: boolean;
}

/**
 * Optional: what an app that imports media into a project (Premiere Pro) offers beyond
 * placing. The panel shows these features only when the host has them.
 */
export interface MediaProjectHost {
  /** The folder downloads go to, chosen by the person and kept across restarts; null until chosen. */
  mediaFolder(): Promise<string | null>;
  /** Asks the person for the media folder (a system folder picker); null when cancelled. */
  chooseMediaFolder(): Promise<string | null>;
  /** Attaches a proxy file to an imported original. */
  attachProxy(itemId: string, proxyPath: string): Promise<void>;
  /** Points a clip that plays a proxy back at its full-resolution file. */
  reconnectFullResolution(itemId: string, path: string): Promise<void>;
  /** A sentence when the app's own settings would get in the way (proxies of proxies), else null. */
  ingestWarning(): Promise<string | null>;
  /** Adds the markers not yet on the item (by tag); returns how many were added. */
  syncMarkers(itemId: string, markers: MarkerSpec[]): Promise<number>;
  /** The sequences of the open project (their markers can hold the review of their export). */
  listSequences(): Promise<Array<{ id: string; name: string }>>;
  /** Like syncMarkers, on a sequence. */
  syncSequenceMarkers(sequenceId: string, markers: MarkerSpec[]): Promise<number>;
  /** Opens a media file (a clip's, to check it in) for reading by range. */
  openMediaFile(path: string): Promise<DocumentSnapshot>;
  /** Moves a file within the media folder (a checked-in file to its new version's place). */
  moveMediaFile(from: string, to: string): Promise<void>;
}

export interface HostAdapter {
  /** Which app this is, as the bridge knows it ('photoshop', 'premiere', ...). */
  readonly app: 'photoshop' | 'premiere' | 'figma' | 'web' | 'other';
  readonly appVersion: string;
  /** Places the file into the active document; returns the new item's id. */
  placeAsset(request: PlaceRequest): Promise<PlacedItem>;
  /** Opens a local file as a document. */
  openFile(path: string): Promise<void>;
  getActiveDocument(): Promise<ActiveDocument | null>;
  /** The bytes of the active document as the user sees it now, in chunks. */
  readActiveDocument(chunkSize?: number): AsyncIterable<Uint8Array>;
  /** Saves a copy of the active document and opens it for reading (check-in uploads this). */
  snapshotActiveDocument(): Promise<DocumentSnapshot>;
  /** Saves the active document in place (so its file holds what the user sees). */
  saveActiveDocument(): Promise<void>;
  /** Saves a copy of the active document at path; the open document keeps its own path. */
  saveActiveDocumentCopy(path: string): Promise<void>;
  /** Assets placed by the panel in the active document that are still there. */
  listPlacedAssets(): Promise<PlacedItem[]>;
  /** Points a placed item at another file (relink for linked, replace contents for embedded). */
  updatePlacement(itemId: string, path: string, version: number): Promise<PlacedItem>;
  readonly token: SecureTokenStore;
  readonly cache: CacheFolder;
  notify(message: string, level: NotifyLevel): Promise<void>;
  /** Opens an http(s) URL in the system browser (device sign-in's approval page). */
  openExternal(url: string): Promise<void>;
  /** Present in apps that import media into projects (Premiere Pro). */
  readonly media?: MediaProjectHost;
  /** Why this app cannot place or import such a file (shown instead of the action), or null when it can. */
  cannotPlace?(file: PlaceCandidate): string | null;
  /** Words for the UI: what the host calls a document ('project') and placing ('import'). */
  readonly vocabulary?: { document: string; place: string };
}
