/**
 * The Photoshop host adapter: the only code that talks to `photoshop` and `uxp`.
 * The modules come in through the constructor (the entry passes `require(...)`,
 * tests and the browser preview pass fakes), so this file imports nothing from the host.
 */
import type { ActionDescriptor, ExecuteAsModalOptions } from 'photoshop/dom/CoreModules';
import {
  cacheRelativePath,
  HostError,
  openFileSnapshot,
  openPartialFile,
  type ActiveDocument,
  type CacheFolder,
  type DocumentSnapshot,
  type HostAdapter,
  type NotifyLevel,
  type PlaceRequest,
  type PlacedItem,
  type SecureTokenStore,
} from '@stockroom/panels-core/host';
import { placeDescriptor, relinkDescriptor, renameLayerDescriptor, replaceContentsDescriptor, selectLayerDescriptor } from './descriptors.ts';
import type { PhotoshopDocument, PhotoshopModule, UxpFs, UxpModule } from './modules.ts';
import { PlacementRegistry } from './placement-registry.ts';
import { photoshopCannotPlace } from './place-rules.ts';

export const CACHE_ROOT = 'plugin-data:/cache';
const TEMP_ROOT = 'plugin-temp:/stockroom';
const TOKEN_KEY = 'stockroom.token';
const DEFAULT_CHUNK = 4 * 1024 * 1024;

export interface PhotoshopHostModules {
  photoshop: PhotoshopModule;
  uxp: UxpModule;
  fs: UxpFs;
}

export class PhotoshopHost implements HostAdapter {
  readonly app = 'photoshop' as const;
  readonly appVersion: string;
  readonly cannotPlace = photoshopCannotPlace;
  readonly token: SecureTokenStore;
  readonly cache: CacheFolder;
  private readonly ps: PhotoshopModule;
  private readonly uxp: UxpModule;
  private readonly fs: UxpFs;
  private readonly registry: PlacementRegistry;

  constructor(modules: PhotoshopHostModules) {
    this.ps = modules.photoshop;
    this.uxp = modules.uxp;
    this.fs = modules.fs;
    this.appVersion = this.uxp.host.version;
    this.registry = new PlacementRegistry(this.fs, 'plugin-data:/placements.json');
    this.token = this.createTokenStore();
    this.cache = this.createCache();
  }

  async placeAsset(request: PlaceRequest): Promise<PlacedItem> {
    const doc = this.requireDocument();
    const token = await this.sessionToken(request.path);
    const layerName = request.path.substring(request.path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
    const layerId = await this.modal(`Place ${layerName}`, async () => {
      await this.play([placeDescriptor(token, request.linked)]);
      const placed = doc.activeLayers[0];
      if (!placed) throw new HostError('Photoshop did not create a layer for the placed file.');
      await this.play([renameLayerDescriptor(placed.id, layerName)]);
      return placed.id;
    });
    const item: PlacedItem = { itemId: String(layerId), ...pick(request) };
    await this.registry.put(documentKey(doc), item);
    return item;
  }

  async openFile(path: string): Promise<void> {
    const entry = await this.uxp.storage.localFileSystem.getEntryWithUrl(path);
    await this.modal('Open checked-out file', async () => {
      // Photoshop's typings name the DOM File; at run time it takes a UXP storage entry.
      await this.ps.app.open(entry as never);
    });
  }

  async getActiveDocument(): Promise<ActiveDocument | null> {
    const doc = this.activeDocument();
    if (!doc) return null;
    return { id: documentKey(doc), name: doc.name, path: doc.path || null, saved: doc.saved, instance: String(doc.id) };
  }

  async saveActiveDocument(): Promise<void> {
    const doc = this.requireDocument();
    await this.modal(`Save ${doc.name}`, () => doc.save());
  }

  async saveActiveDocumentCopy(path: string): Promise<void> {
    const doc = this.requireDocument();
    await this.fs.mkdir(path.substring(0, path.lastIndexOf('/')), { recursive: true });
    const file = await this.uxp.storage.localFileSystem.createEntryWithUrl(path, { overwrite: true });
    await this.modal(`Save a copy of ${doc.name}`, () => doc.saveAs.psd(file as never, undefined, true));
  }

  async *readActiveDocument(chunkSize = DEFAULT_CHUNK): AsyncIterable<Uint8Array> {
    const snapshot = await this.snapshotActiveDocument();
    try {
      yield* snapshot.chunks(chunkSize);
    } finally {
      await snapshot.close();
    }
  }

  async snapshotActiveDocument(): Promise<DocumentSnapshot> {
    const doc = this.requireDocument();
    // A copy in the plugin's temp folder: readable with the plugin's own file access,
    // and exactly what the user sees even when the document was never saved.
    const path = `${TEMP_ROOT}/checkin/${doc.id}.psd`;
    await this.saveActiveDocumentCopy(path);
    return openFileSnapshot(this.fs, path, doc.name);
  }

  async listPlacedAssets(): Promise<PlacedItem[]> {
    const doc = this.activeDocument();
    if (!doc) return [];
    const present = new Set(layerIds(doc.layers).map(String));
    return (await this.registry.list(documentKey(doc))).filter((item) => present.has(item.itemId));
  }

  async updatePlacement(itemId: string, path: string, version: number): Promise<PlacedItem> {
    const doc = this.requireDocument();
    const current = (await this.registry.list(documentKey(doc))).find((item) => item.itemId === itemId);
    if (!current) throw new HostError('That layer is no longer in the document.');
    const token = await this.sessionToken(path);
    const layerId = Number(itemId);
    await this.modal('Update placed asset', () =>
      this.play([selectLayerDescriptor(layerId), current.linked ? relinkDescriptor(token) : replaceContentsDescriptor(token)]),
    );
    const updated: PlacedItem = { ...current, path, version };
    await this.registry.put(documentKey(doc), updated);
    return updated;
  }

  async notify(message: string, level: NotifyLevel): Promise<void> {
    // The panel shows info in its own toast; only errors deserve Photoshop's modal alert.
    if (level === 'error') await this.ps.app.showAlert(message);
  }

  async openExternal(url: string): Promise<void> {
    if (!/^https?:\/\//.test(url)) throw new HostError(`Only web addresses can be opened, not ${url}.`);
    // UXP asks the person for consent and shows this text in that dialog.
    const failure = await this.uxp.shell.openExternal(url, 'Stockroom opens its sign-in page in your browser so you can approve this panel.');
    if (failure) throw new HostError(`Photoshop could not open your browser (${failure}). Open ${url} yourself.`);
  }

  private createTokenStore(): SecureTokenStore {
    const secure = this.uxp.storage.secureStorage;
    return {
      async get() {
        const value = await secure.getItem(TOKEN_KEY);
        if (!value || value.length === 0) return null;
        return new TextDecoder().decode(value);
      },
      set: (token) => secure.setItem(TOKEN_KEY, token),
      clear: () => secure.removeItem(TOKEN_KEY),
    };
  }

  private createCache(): CacheFolder {
    const fs = this.fs;
    const pathFor = async (assetId: string, version: number, fileName: string) => `${CACHE_ROOT}/${cacheRelativePath(assetId, version, fileName)}`;
    return {
      pathFor,
      async has(assetId, version, fileName) {
        try {
          await fs.lstat(await pathFor(assetId, version, fileName));
          return true;
        } catch {
          return false;
        }
      },
      async write(assetId, version, fileName, bytes) {
        const path = await pathFor(assetId, version, fileName);
        await fs.mkdir(path.substring(0, path.lastIndexOf('/')), { recursive: true });
        await fs.writeFile(path, bytes);
        return path;
      },
      open: async (assetId, version, fileName) => openPartialFile(fs, await pathFor(assetId, version, fileName)),
    };
  }

  private async sessionToken(path: string): Promise<string> {
    const fs = this.uxp.storage.localFileSystem;
    return fs.createSessionToken(await fs.getEntryWithUrl(path));
  }

  private modal<T>(commandName: string, run: () => Promise<T>): Promise<T> {
    const options: ExecuteAsModalOptions = { commandName };
    return this.ps.core.executeAsModal(() => run(), options);
  }

  private play(commands: ActionDescriptor[]): Promise<ActionDescriptor[]> {
    return this.ps.action.batchPlay(commands, {});
  }

  private activeDocument(): PhotoshopDocument | null {
    // Photoshop throws (or returns null, depending on version) when no document is open.
    try {
      return this.ps.app.activeDocument ?? null;
    } catch {
      return null;
    }
  }

  private requireDocument(): PhotoshopDocument {
    const doc = this.activeDocument();
    if (!doc) throw new HostError('Open a document in Photoshop first.');
    return doc;
  }
}

function pick({ assetId, version, linked, path }: PlaceRequest) {
  return { assetId, version, linked, path };
}

/** Saved documents are known by their path; unsaved ones by Photoshop's session id. */
function documentKey(doc: PhotoshopDocument): string {
  return doc.path ? doc.path : `unsaved:${doc.id}`;
}

function layerIds(layers: PhotoshopDocument['layers'] | null): number[] {
  if (!layers) return [];
  return Array.from(layers).flatMap((layer) => [layer.id, ...layerIds(layer.layers)]);
}
