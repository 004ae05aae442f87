/**
 * The Premiere Pro host adapter: the only code that talks to `premierepro` and `uxp`.
 * The modules come in through the constructor (the entry passes `require(...)`, tests
 * and the browser preview pass fakes), so this file imports nothing from the host.
 *
 * Premiere's rule for changes: every create*Action is built inside
 * `project.lockedAccess` and applied with `project.executeTransaction`, both synchronous;
 * `transact` below is the one place that does it, and a `false` becomes a sentence.
 */
import {
  cacheRelativePath,
  HostError,
  openFileSnapshot,
  openPartialFile,
  parseCachePath,
  type ActiveDocument,
  type CacheFolder,
  type DocumentSnapshot,
  type HostAdapter,
  type MarkerSpec,
  type MediaProjectHost,
  type NotifyLevel,
  type PlaceRequest,
  type PlacedItem,
  type SecureTokenStore,
} from '@stockroom/panels-core/host';
import type { ClipProjectItem, FolderItem, PremiereModule, Project, ProjectItem, UxpFs, UxpModule } from './modules.ts';
import { premiereCannotImport } from './import-rules.ts';

const TEMP_ROOT = 'plugin-temp:/stockroom';
const MEDIA_FOLDER_FILE = 'plugin-data:/media-folder.json';
const TOKEN_KEY = 'stockroom.token';
const DEFAULT_CHUNK = 4 * 1024 * 1024;
/** Written into a marker's comments; a later sync finds it and adds no duplicate. */
const MARKER_TAG = /\[stockroom:([^\]\s]+)\]/;
/** Premiere's marker colour indexes (0 green, 1 red, …; the order of its marker colour menu). */
const MARKER_COLOUR = { open: 1, resolved: 0 } as const;

export interface PremiereHostModules {
  premierepro: PremiereModule;
  uxp: UxpModule;
  fs: UxpFs;
}

type Action = ReturnType<FolderItem['createBinAction']>;

interface FoundClip {
  item: ProjectItem;
  clip: ClipProjectItem;
  bin: FolderItem;
}

export class PremiereHost implements HostAdapter {
  readonly app = 'premiere' as const;
  readonly appVersion: string;
  readonly token: SecureTokenStore;
  readonly cache: CacheFolder;
  readonly media: MediaProjectHost;
  readonly cannotPlace = premiereCannotImport;
  readonly vocabulary = { document: 'project', place: 'import' };
  private readonly ppro: PremiereModule;
  private readonly uxp: UxpModule;
  private readonly fs: UxpFs;
  private folder: string | null | undefined;
  /** Projects with changes since they were opened or saved (Premiere has no "is dirty" getter). */
  private readonly dirty = new Set<string>();

  constructor(modules: PremiereHostModules) {
    this.ppro = modules.premierepro;
    this.uxp = modules.uxp;
    this.fs = modules.fs;
    this.appVersion = this.uxp.host.version;
    this.token = this.createTokenStore();
    this.cache = this.createCache();
    this.media = {
      mediaFolder: () => this.mediaFolder(),
      chooseMediaFolder: () => this.chooseMediaFolder(),
      attachProxy: (itemId, path) => this.attachProxy(itemId, path, false),
      reconnectFullResolution: (itemId, path) => this.attachProxy(itemId, path, true),
      ingestWarning: () => this.ingestWarning(),
      syncMarkers: (itemId, markers) => this.syncMarkers(itemId, markers),
      listSequences: async () => {
        const project = await this.activeProject();
        return project ? (await project.getSequences()).map((sequence) => ({ id: sequence.guid.toString(), name: sequence.name })) : [];
      },
      syncSequenceMarkers: (sequenceId, markers) => this.syncSequenceMarkers(sequenceId, markers),
      openMediaFile: (path) => this.openForReading(fileUrl(path), fileName(path)),
      moveMediaFile: async (from, to) => {
        await this.fs.mkdir(fileUrl(to.substring(0, to.lastIndexOf('/'))), { recursive: true });
        await this.fs.rename(fileUrl(from), fileUrl(to));
      },
    };
    const { ProjectEvent } = this.ppro.Constants;
    this.ppro.EventManager.addGlobalEventListener(ProjectEvent.DIRTY, () => void this.markDirty(true));
    this.ppro.EventManager.addGlobalEventListener(ProjectEvent.OPENED, () => void this.markDirty(false));
  }

  // --- import ----------------------------------------------------------------------------

  /**
   * Imports the file into the bin named `request.binName` at the project's top level,
   * creating the bin only when there is none, and the file only when that bin does not
   * hold it already (Premiere itself would import it again, and make a second bin).
   */
  async placeAsset(request: PlaceRequest): Promise<PlacedItem> {
    const project = await this.requireProject();
    const bin = await this.findOrCreateBin(project, request.binName ?? 'Stockroom');
    const existing = await this.findClipByPath(bin, request.path);
    if (existing) return this.placedItem(existing.item, request.path, request);
    const target = this.ppro.ProjectItem.cast(bin);
    const imported = await project.importFiles([request.path], true, target, false);
    if (!imported) throw new HostError(`Premiere Pro could not import ${fileName(request.path)}. Check that the file is a format Premiere Pro opens.`);
    const added = await this.findClipByPath(bin, request.path);
    if (!added) throw new HostError(`Premiere Pro reported ${fileName(request.path)} imported, but it is not in the ${bin.name} bin.`);
    return this.placedItem(added.item, request.path, request);
  }

  private async findOrCreateBin(project: Project, name: string): Promise<FolderItem> {
    const root = await project.getRootItem();
    const found = await this.childBin(root, name);
    if (found) return found;
    this.transact(project, `Create bin ${name}`, () => [root.createBinAction(name, false)]);
    // createBinAction gives no handle on the new bin: look it up again by name.
    const created = await this.childBin(root, name);
    if (!created) throw new HostError(`Premiere Pro did not create the ${name} bin.`);
    return created;
  }

  private async childBin(parent: FolderItem, name: string): Promise<FolderItem | null> {
    for (const item of await parent.getItems()) {
      if (item.type !== this.ppro.ProjectItem.TYPE_BIN || item.name !== name) continue;
      // The typings say cast never fails; at run time it returns null for the wrong kind.
      const bin: FolderItem | null = this.ppro.FolderItem.cast(item);
      if (bin) return bin;
    }
    return null;
  }

  private async findClipByPath(bin: FolderItem, path: string): Promise<FoundClip | null> {
    for (const found of await this.clipsIn(bin, false)) {
      if (samePath(await found.clip.getMediaFilePath(), path)) return found;
    }
    return null;
  }

  /** The clips of a bin (and of its sub-bins when deep), with their project items. */
  private async clipsIn(bin: FolderItem, deep: boolean): Promise<FoundClip[]> {
    const found: FoundClip[] = [];
    const bins = [bin];
    while (bins.length > 0) {
      const current = bins.pop()!;
      for (const item of await current.getItems()) {
        if (item.type === this.ppro.ProjectItem.TYPE_BIN) {
          const child: FolderItem | null = this.ppro.FolderItem.cast(item);
          if (deep && child) bins.push(child);
        } else if (item.type === this.ppro.ProjectItem.TYPE_CLIP) {
          const clip: ClipProjectItem | null = this.ppro.ClipProjectItem.cast(item);
          if (clip) found.push({ item, clip, bin: current });
        }
      }
    }
    return found;
  }

  private placedItem(item: ProjectItem, path: string, request: Pick<PlaceRequest, 'assetId' | 'version'>): PlacedItem {
    return { itemId: item.getId(), assetId: request.assetId, version: request.version, linked: true, path, proxy: isProxyPath(path) };
  }

  // --- where used, update, relink ----------------------------------------------------------

  /** Every clip whose media is a Stockroom file (by its path), with the sequences that use it. */
  async listPlacedAssets(): Promise<PlacedItem[]> {
    const project = await this.activeProject();
    if (!project) return [];
    const clips = await this.clipsIn(await project.getRootItem(), true);
    const sequences = await this.sequencesByItem(project);
    const items: PlacedItem[] = [];
    for (const { item, clip } of clips) {
      const path = await clip.getMediaFilePath();
      const source = parseCachePath(path);
      if (!source) continue;
      items.push({
        itemId: item.getId(),
        assetId: source.assetId,
        version: source.version,
        linked: true,
        path,
        offline: await clip.isOffline(),
        proxy: isProxyPath(path) || (await clip.hasProxy()),
        sequences: sequences.get(item.getId()) ?? [],
      });
    }
    return items;
  }

  private async sequencesByItem(project: Project): Promise<Map<string, string[]>> {
    const used = new Map<string, string[]>();
    const clipType = this.ppro.Constants.TrackItemType.CLIP;
    for (const sequence of await project.getSequences()) {
      const tracks = await sequence.getVideoTrackCount();
      for (let index = 0; index < tracks; index++) {
        const track = await sequence.getVideoTrack(index);
        for (const trackItem of track.getTrackItems(clipType, false)) {
          const id = (await trackItem.getProjectItem()).getId();
          const names = used.get(id) ?? [];
          if (!names.includes(sequence.name)) used.set(id, [...names, sequence.name]);
        }
      }
    }
    return used;
  }

  /** Relinks the clip to another file (a newer version, or the local copy of a missing one). */
  async updatePlacement(itemId: string, path: string, version: number): Promise<PlacedItem> {
    const project = await this.requireProject();
    const { item, clip } = await this.requireClip(project, itemId);
    const source = parseCachePath(path);
    if (!(await clip.canChangeMediaPath()))
      throw new HostError(`Premiere Pro cannot relink ${item.name} (merged, multicam and sequence clips have no media of their own).`);
    const changed = await clip.changeMediaFilePath(path, false);
    if (!changed) throw new HostError(`Premiere Pro refused to relink ${item.name} to ${fileName(path)}. The file may be missing or of another kind.`);
    return { itemId, assetId: source?.assetId ?? '', version, linked: true, path, offline: false, proxy: isProxyPath(path) };
  }

  private async attachProxy(itemId: string, path: string, isHiRes: boolean): Promise<void> {
    const project = await this.requireProject();
    const { item, clip } = await this.requireClip(project, itemId);
    if (!(await clip.canProxy())) throw new HostError(`${item.name} cannot have a proxy in Premiere Pro (stills, audio-only clips and sequences have none).`);
    // Not undoable and not a transaction: attachProxy is an ordinary async call.
    const attached = await clip.attachProxy(path, isHiRes);
    if (!attached) {
      throw new HostError(
        isHiRes
          ? `Premiere Pro refused ${fileName(path)} as the full-resolution media of ${item.name}.`
          : `Premiere Pro refused ${fileName(path)} as the proxy of ${item.name}: frame rate, duration, audio channels and frame size must fit the original.`,
      );
    }
  }

  private async ingestWarning(): Promise<string | null> {
    const project = await this.activeProject();
    if (!project) return null;
    const ingest = await this.ppro.ProjectSettings.getIngestSettings(project);
    if (!(await ingest.getIsIngestEnabled())) return null;
    return 'Ingest is on in this project’s settings: Premiere Pro will make its own proxies of what you import, also of Stockroom proxies. Turn it off in Project Settings › Ingest Settings, or import originals.';
  }

  // --- markers -------------------------------------------------------------------------------

  /** Adds the markers not on the clip yet (found by their tag), then colours them in a second transaction. */
  private async syncMarkers(itemId: string, specs: MarkerSpec[]): Promise<number> {
    const project = await this.requireProject();
    const { item, clip } = await this.requireClip(project, itemId);
    return this.addMarkers(project, clip, item.name, specs);
  }

  /** Review markers on a sequence (the comments on its checked-in export). */
  private async syncSequenceMarkers(sequenceId: string, specs: MarkerSpec[]): Promise<number> {
    const project = await this.requireProject();
    const sequence = (await project.getSequences()).find((candidate) => candidate.guid.toString() === sequenceId);
    if (!sequence) throw new HostError('That sequence is no longer in the project.');
    return this.addMarkers(project, sequence, `sequence ${sequence.name}`, specs);
  }

  private async addMarkers(
    project: Project,
    owner: Parameters<PremiereModule['Markers']['getMarkers']>[0],
    ownerName: string,
    specs: MarkerSpec[],
  ): Promise<number> {
    const markers = await this.ppro.Markers.getMarkers(owner);
    const present = new Set(markers.getMarkers().map((marker) => MARKER_TAG.exec(marker.getComments())?.[1]));
    const missing = specs.filter((spec) => !present.has(spec.tag));
    if (missing.length === 0) return 0;
    const { TickTime, Marker } = this.ppro;
    this.transact(project, `Add review markers to ${ownerName}`, () =>
      missing.map((spec) =>
        markers.createAddMarkerAction(
          spec.name,
          Marker.MARKER_TYPE_COMMENT,
          TickTime.createWithSeconds(spec.startSeconds),
          TickTime.createWithSeconds(spec.durationSeconds),
          `${spec.comments}\n[stockroom:${spec.tag}]`,
        ),
      ),
    );
    // A marker gets its colour only after it exists: read them again and colour the new ones.
    const colours = new Map(missing.map((spec) => [spec.tag, spec.resolved ? MARKER_COLOUR.resolved : MARKER_COLOUR.open]));
    const fresh = (await this.ppro.Markers.getMarkers(owner)).getMarkers();
    this.transact(project, `Colour review markers of ${ownerName}`, () =>
      fresh.flatMap((marker) => {
        const colour = colours.get(MARKER_TAG.exec(marker.getComments())?.[1] ?? '');
        return colour === undefined ? [] : [marker.createSetColorByIndexAction(colour)];
      }),
    );
    return missing.length;
  }

  // --- the project file ----------------------------------------------------------------------

  async openFile(path: string): Promise<void> {
    if (/\.prproj$/i.test(path)) {
      const options = new this.ppro.OpenProjectOptions().setShowConvertProjectDialog(false);
      await this.ppro.Project.open(path, options);
      return;
    }
    // A media file checked out for editing: into the project (in a bin of its own) unless it is there already.
    const project = await this.requireProject();
    for (const { clip } of await this.clipsIn(await project.getRootItem(), true)) {
      if (samePath(await clip.getMediaFilePath(), path)) return;
    }
    const source = parseCachePath(path);
    await this.placeAsset({ path, linked: true, assetId: source?.assetId ?? '', version: source?.version ?? 0, binName: 'Checked out' });
  }

  async getActiveDocument(): Promise<ActiveDocument | null> {
    const project = await this.activeProject();
    if (!project) return null;
    const id = projectKey(project);
    return { id, name: project.name, path: project.path || null, saved: !this.dirty.has(id) };
  }

  async saveActiveDocument(): Promise<void> {
    const project = await this.requireProject();
    if (!(await project.save())) throw new HostError(`Premiere Pro could not save ${project.name}. Check the disk and try again.`);
    this.dirty.delete(projectKey(project));
  }

  /**
   * A copy of the saved project at path. Not saveAs(): that switches the open project to
   * the copy. Saved in place first, so the copy holds what the editor sees.
   */
  async saveActiveDocumentCopy(path: string): Promise<void> {
    const project = await this.requireProject();
    await this.saveActiveDocument();
    await this.fs.mkdir(path.substring(0, path.lastIndexOf('/')), { recursive: true });
    await this.fs.copyFile(fileUrl(project.path), path);
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
    const project = await this.requireProject();
    if (!project.path) throw new HostError('Save the project in Premiere Pro first, then check it in.');
    const path = `${TEMP_ROOT}/checkin/${project.guid.toString()}.prproj`;
    await this.saveActiveDocumentCopy(path);
    return this.openForReading(path, project.name);
  }

  private openForReading(path: string, name: string): Promise<DocumentSnapshot> {
    return openFileSnapshot(this.fs, path, name);
  }

  // --- the rest of the host interface ----------------------------------------------------------

  async notify(_message: string, _level: NotifyLevel): Promise<void> {
    // Premiere has no alert API for UXP panels: the panel's own toasts say everything.
  }

  async openExternal(url: string): Promise<void> {
    if (!/^https?:\/\//.test(url)) throw new HostError(`Only web addresses can be opened, not ${url}.`);
    const failure = await this.uxp.shell.openExternal(url, 'Stockroom opens its sign-in page in your browser so you can approve this panel.');
    if (failure) throw new HostError(`Premiere Pro could not open your browser (${failure}). Open ${url} yourself.`);
  }

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * Builds the actions inside lockedAccess and applies them in one transaction (all or
   * nothing), both synchronously; a refused transaction is an error with the undo name.
   */
  private transact(project: Project, undoString: string, build: () => Action[]): void {
    let applied = false;
    let failure: unknown = null;
    project.lockedAccess(() => {
      try {
        const actions = build();
        if (actions.length === 0) {
          applied = true;
          return;
        }
        applied = project.executeTransaction((compound) => {
          for (const action of actions) compound.addAction(action);
        }, undoString);
      } catch (error) {
        failure = error;
      }
    });
    if (failure) throw new HostError(`Premiere Pro refused “${undoString}”: ${failure instanceof Error ? failure.message : String(failure)}.`);
    if (!applied) throw new HostError(`Premiere Pro could not “${undoString}”; nothing was changed. Try again, and check that the project is not read-only.`);
  }

  private async activeProject(): Promise<Project | null> {
    try {
      return (await this.ppro.Project.getActiveProject()) ?? null;
    } catch {
      return null;
    }
  }

  private async requireProject(): Promise<Project> {
    const project = await this.activeProject();
    if (!project) throw new HostError('Open a project in Premiere Pro first.');
    return project;
  }

  private async requireClip(project: Project, itemId: string): Promise<FoundClip> {
    const found = (await this.clipsIn(await project.getRootItem(), true)).find(({ item }) => item.getId() === itemId);
    if (!found) throw new HostError('That clip is no longer in the project.');
    return found;
  }

  private async markDirty(dirty: boolean): Promise<void> {
    const project = await this.activeProject();
    if (!project) return;
    if (dirty) this.dirty.add(projectKey(project));
    else this.dirty.delete(projectKey(project));
  }

  private async mediaFolder(): Promise<string | null> {
    if (this.folder !== undefined) return this.folder;
    try {
      const text = await this.fs.readFile(MEDIA_FOLDER_FILE, { encoding: 'utf-8' });
      const saved = JSON.parse(typeof text === 'string' ? text : '{}') as { token?: string };
      // The persistent token keeps the person's permission for the folder across restarts.
      const entry = saved.token ? await this.uxp.storage.localFileSystem.getEntryForPersistentToken(saved.token) : null;
      this.folder = entry ? entry.nativePath : null;
    } catch {
      this.folder = null;
    }
    return this.folder;
  }

  private async chooseMediaFolder(): Promise<string | null> {
    const lfs = this.uxp.storage.localFileSystem;
    const folder = await lfs.getFolder();
    if (!folder) return this.mediaFolder();
    const token = await lfs.createPersistentToken(folder);
    await this.fs.writeFile(MEDIA_FOLDER_FILE, JSON.stringify({ token, path: folder.nativePath }), { encoding: 'utf-8' });
    this.folder = folder.nativePath;
    return this.folder;
  }

  private createCache(): CacheFolder {
    const fs = this.fs;
    const pathFor = async (assetId: string, version: number, name: string) => {
      const root = await this.mediaFolder();
      if (!root) throw new HostError('Choose a media folder first: downloads go there, where Premiere Pro can reach them.');
      return `${root.replace(/[\\/]+$/, '')}/${cacheRelativePath(assetId, version, name)}`;
    };
    return {
      pathFor,
      async has(assetId, version, name) {
        try {
          await fs.lstat(fileUrl(await pathFor(assetId, version, name)));
          return true;
        } catch {
          return false;
        }
      },
      async write(assetId, version, name, bytes) {
        const path = await pathFor(assetId, version, name);
        await fs.mkdir(fileUrl(path.substring(0, path.lastIndexOf('/'))), { recursive: true });
        await fs.writeFile(fileUrl(path), bytes);
        return path;
      },
      async open(assetId, version, name) {
        const path = await pathFor(assetId, version, name);
        const writer = await openPartialFile(fs, fileUrl(path));
        return Object.assign(Object.create(writer) as typeof writer, {
          commit: async () => {
            await writer.commit();
            return path;
          },
        });
      },
    };
  }

  private createTokenStore(): SecureTokenStore {
    const secure = this.uxp.storage.secureStorage;
    return {
      async get() {
        const value = await secure.getItem(TOKEN_KEY);
        if (!value || value.length === 0) return null;
        return utf8(value);
      },
      set: (token) => secure.setItem(TOKEN_KEY, token),
      clear: () => secure.removeItem(TOKEN_KEY),
    };
  }
}

/** Saved projects are known by their path; unsaved ones by their guid. */
function projectKey(project: Project): string {
  return project.path || `unsaved:${project.guid.toString()}`;
}

/** UXP's fs takes file: URLs for places outside the plugin's own folders. */
function fileUrl(nativePath: string): string {
  const slashed = nativePath.replaceAll('\\', '/');
  return `file:${slashed.startsWith('/') ? '' : '/'}${slashed}`;
}

function fileName(path: string): string {
  return path.substring(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function samePath(a: string, b: string): boolean {
  return a.replaceAll('\\', '/') === b.replaceAll('\\', '/');
}

/** Proxies are cached beside the original as `<name>.proxy.mp4`. */
export function isProxyPath(path: string): boolean {
  return /\.proxy\.mp4$/i.test(path);
}

/** UTF-8 bytes to text; UXP in Premiere has no TextDecoder. */
function utf8(bytes: Uint8Array): string {
  return decodeURIComponent(Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''));
}
