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
}

export interface PlacedItem {
  /** The host's id of the placed item (a layer id in Photoshop). */
  itemId: string;
  assetId: string;
  version: number;
  linked: boolean;
  path: string;
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
}
