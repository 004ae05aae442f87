/**
 * A fake of the `premierepro` module for tests and the browser preview. It keeps a
 * project tree, sequences and markers in memory, records every call, and enforces the
 * host's rules: create*Action only inside lockedAccess, actions only in their own live
 * scope, synchronous callbacks, all-or-nothing transactions, importFiles without a bin
 * throwing and importing twice, casts returning null for the wrong kind, attachProxy
 * refusing media that does not fit, changeMediaFilePath refusing missing files, saveAs
 * retargeting the project, DIRTY events on edits.
 */
import type { CallLog, FakeFileSystem } from '@stockroom/panel-photoshop/fake';
import type { PremiereModule } from '../host/modules.ts';
import { mediaFacts, type MediaFacts } from './media-facts.ts';

export const TICKS_PER_SECOND = 254_016_000_000;
const TYPE = { CLIP: 1, BIN: 2, ROOT: 3, FILE: 4 } as const;
const PROJECT_EVENT = { OPENED: 'projectOpened', CLOSED: 'projectClosed', DIRTY: 'projectDirty', ACTIVATED: 'projectActivated' } as const;

class Scope {
  ended = false;
}

/** An action: checked (all of a transaction's first), then applied. */
export class FakeAction {
  constructor(
    readonly scope: Scope,
    readonly describe: string,
    readonly check: () => void,
    readonly apply: () => void,
  ) {}
}

export class FakeTickTime {
  constructor(readonly ticksNumber: number) {}
  get seconds(): number {
    return this.ticksNumber / TICKS_PER_SECOND;
  }
  get ticks(): string {
    return String(this.ticksNumber);
  }
}

export class FakeMarker {
  colorIndex = 0;
  readonly guid: { toString(): string };
  constructor(
    private readonly owner: FakePremiere,
    id: number,
    public name: string,
    public type: string,
    public start: FakeTickTime,
    public duration: FakeTickTime,
    public comments: string,
  ) {
    this.guid = { toString: () => `marker-${id}` };
  }
  getName = () => this.name;
  getComments = () => this.comments;
  getStart = () => this.start;
  getDuration = () => this.duration;
  getType = () => this.type;
  getColorIndex = () => this.colorIndex;
  createSetColorByIndexAction = (index: number) =>
    this.owner.action(
      'Marker.createSetColorByIndexAction',
      [this.name, index],
      () => {
        if (!Number.isInteger(index) || index < 0 || index > 7) throw new Error(`Illegal colour index ${index}`);
      },
      () => {
        this.colorIndex = index;
      },
    );
}

export class FakeItem {
  parent: FakeBin | null = null;
  constructor(
    protected readonly owner: FakePremiere,
    readonly id: string,
    public name: string,
    readonly type: number,
  ) {}
  getId = () => {
    this.owner.log.record('ProjectItem.getId', [this.name], this.id);
    return this.id;
  };
}

export class FakeBin extends FakeItem {
  readonly items: FakeItem[] = [];
  getItems = async () => {
    this.owner.log.record(
      'FolderItem.getItems',
      [this.name],
      this.items.map((item) => item.name),
    );
    return [...this.items];
  };
  createBinAction = (name: string, makeUnique: boolean) =>
    this.owner.action(
      'FolderItem.createBinAction',
      [this.name, name, makeUnique],
      () => {},
      () => {
        // Like Premiere: makeUnique false with a taken name still makes a second bin.
        const taken = new Set(this.items.map((item) => item.name));
        let unique = name;
        for (let n = 2; makeUnique && taken.has(unique); n++) unique = `${name} ${n}`;
        this.add(new FakeBin(this.owner, this.owner.nextId(), unique, TYPE.BIN));
      },
    );
  add(item: FakeItem): void {
    item.parent = this;
    this.items.push(item);
    this.owner.markDirty();
  }
}

export class FakeClip extends FakeItem {
  proxyPath: string | null = null;
  readonly markers: FakeMarker[] = [];
  constructor(
    owner: FakePremiere,
    id: string,
    name: string,
    public mediaPath: string,
  ) {
    super(owner, id, name, TYPE.CLIP);
  }
  private facts(path = this.mediaPath): MediaFacts | null {
    const bytes = this.owner.fileBytes(path);
    return bytes ? mediaFacts(path, bytes) : null;
  }
  getMediaFilePath = async () => {
    this.owner.log.record('ClipProjectItem.getMediaFilePath', [this.name], this.mediaPath);
    return this.mediaPath;
  };
  isOffline = async () => this.owner.fileBytes(this.mediaPath) === undefined;
  hasProxy = async () => this.proxyPath !== null;
  getProxyPath = async () => this.proxyPath ?? '';
  canProxy = async () => {
    const kind = this.facts()?.kind;
    return kind === 'video';
  };
  canChangeMediaPath = async () => true;
  attachProxy = async (path: string, isHiRes: boolean) => {
    const accepted = this.proxyFits(path, isHiRes);
    this.owner.log.record('ClipProjectItem.attachProxy', [this.name, path, isHiRes], accepted);
    if (!accepted) return false;
    if (isHiRes) {
      // The clip played its proxy; the given file becomes its full-resolution media.
      this.proxyPath = this.mediaPath;
      this.mediaPath = path;
    } else {
      this.proxyPath = path;
    }
    this.owner.markDirty();
    return true;
  };
  changeMediaFilePath = async (path: string, overrideCompatibilityCheck = false) => {
    const bytes = this.owner.fileBytes(path);
    const before = this.facts();
    const after = bytes ? mediaFacts(path, bytes) : null;
    const ok = after !== null && (overrideCompatibilityCheck || before === null || before.kind === after.kind);
    this.owner.log.record('ClipProjectItem.changeMediaFilePath', [this.name, path, overrideCompatibilityCheck], ok);
    if (!ok) return false;
    this.mediaPath = path;
    this.owner.markDirty();
    return true;
  };

  /** Premiere's proxy rules: same frame rate, duration and audio channels; a frame size that divides the original evenly. */
  private proxyFits(path: string, isHiRes: boolean): boolean {
    const original = isHiRes ? this.facts(path) : this.facts();
    const proxy = isHiRes ? this.facts() : this.facts(path);
    if (!original || !proxy || original.kind !== 'video' || proxy.kind !== 'video') return false;
    const frame = 1 / original.frameRate;
    if (Math.abs(original.frameRate - proxy.frameRate) > 0.01) return false;
    if (Math.abs(original.durationSeconds - proxy.durationSeconds) > frame) return false;
    if (original.audioChannels !== proxy.audioChannels) return false;
    const factor = original.width / proxy.width;
    return Number.isInteger(factor) && original.height / proxy.height === factor && (factor === 1 || factor % 2 === 0);
  }
}

export class FakeSequence {
  readonly guid: { toString(): string };
  /** Video tracks, each a list of the project items its clips play. */
  readonly tracks: FakeItem[][] = [[]];
  readonly markers: FakeMarker[] = [];
  constructor(
    id: number,
    readonly name: string,
  ) {
    this.guid = { toString: () => `sequence-${id}` };
  }
  getVideoTrackCount = async () => this.tracks.length;
  getVideoTrack = async (index: number) => {
    const items = this.tracks[index];
    if (!items) throw new Error(`No video track ${index}`);
    return {
      name: `V${index + 1}`,
      id: index,
      getTrackItems: (_type: number, _includeEmpty: boolean) => items.map((item) => ({ getProjectItem: async () => item })),
    };
  };
}

export class FakeProject {
  readonly root: FakeBin;
  readonly sequences: FakeSequence[] = [];
  readonly guid: { toString(): string };
  ingestEnabled = false;
  saves = 0;

  constructor(
    private readonly owner: FakePremiere,
    id: number,
    public path: string,
    /** What the project file would hold if saved now. */
    public content: Uint8Array,
  ) {
    this.root = new FakeBin(owner, owner.nextId(), 'root', TYPE.ROOT);
    this.guid = { toString: () => `0000000${id}-aaaa-4bbb-8ccc-000000000000`.slice(-36) };
  }

  get name(): string {
    return this.path.substring(this.path.lastIndexOf('/') + 1).replace(/\.prproj$/i, '');
  }

  getRootItem = async () => {
    this.owner.log.record('Project.getRootItem', [this.name]);
    return this.root;
  };
  getSequences = async () => [...this.sequences];
  importFiles = async (paths: string[], suppressUI?: boolean, targetBin?: FakeItem, asNumberedStills?: boolean) => {
    this.owner.log.record('Project.importFiles', [paths, suppressUI ?? null, targetBin?.name ?? null, asNumberedStills ?? null]);
    if (!(targetBin instanceof FakeBin)) throw new Error('Illegal Parameter type');
    if (paths.some((path) => this.owner.fileBytes(path) === undefined)) return false;
    // No de-duplication: importing a file twice makes a second clip.
    for (const path of paths) targetBin.add(new FakeClip(this.owner, this.owner.nextId(), path.substring(path.lastIndexOf('/') + 1), path));
    return true;
  };
  save = async () => {
    this.owner.log.record('Project.save', [this.path]);
    this.owner.files.files.set(fileUrl(this.path), this.content);
    this.saves++;
    return true;
  };
  saveAs = async (path: string) => {
    this.owner.log.record('Project.saveAs', [path]);
    this.owner.files.files.set(fileUrl(path), this.content);
    // Premiere switches the open project to the copy.
    this.path = path;
    return true;
  };
  lockedAccess = (callback: () => void) => {
    this.owner.log.record('Project.lockedAccess', []);
    this.owner.runLocked(callback);
  };
  executeTransaction = (callback: (compound: { addAction(action: unknown): boolean; readonly empty: boolean }) => void, undoString?: string) =>
    this.owner.runTransaction(callback, undoString);

  /** Simulates the editor changing the project: new bytes, unsaved. */
  edit(content: Uint8Array): void {
    this.content = content;
    this.owner.markDirty();
  }

  addSequence(name: string, items: FakeItem[]): FakeSequence {
    const sequence = new FakeSequence(this.sequences.length + 1, name);
    sequence.tracks[0]!.push(...items);
    this.sequences.push(sequence);
    return sequence;
  }
}

/** The fake `premierepro` module over an in-memory file system (`file:` URLs for native paths). */
export class FakePremiere {
  active: FakeProject | null = null;
  readonly projects: FakeProject[] = [];
  private scope: Scope | null = null;
  private transaction: FakeAction[] | null = null;
  private ids = 1;
  private markerIds = 1;
  private readonly listeners = new Map<string, Array<(event?: object) => void>>();

  constructor(
    readonly log: CallLog,
    readonly files: FakeFileSystem,
  ) {}

  nextId(): string {
    return `item-${this.ids++}`;
  }

  fileBytes(nativePath: string): Uint8Array | undefined {
    return this.files.files.get(fileUrl(nativePath));
  }

  newProject(path: string, content: Uint8Array = new Uint8Array(64)): FakeProject {
    const project = new FakeProject(this, this.projects.length + 1, path, content);
    this.files.addFolder(fileUrl(path.substring(0, path.lastIndexOf('/'))));
    this.files.files.set(fileUrl(path), content);
    this.projects.push(project);
    this.active = project;
    this.emit(PROJECT_EVENT.OPENED);
    return project;
  }

  markDirty(): void {
    this.emit(PROJECT_EVENT.DIRTY);
  }

  private emit(event: string): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ type: event });
  }

  /** Every create*Action goes through here: refused outside lockedAccess. */
  action(api: string, args: unknown[], check: () => void, apply: () => void): never {
    this.log.record(api, args);
    if (!this.scope) throw new Error(`${api}: actions can only be created inside project.lockedAccess()`);
    return new FakeAction(this.scope, `${api}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`, check, apply) as never;
  }

  runLocked(callback: () => void): void {
    if (this.scope) throw new Error('lockedAccess: already inside lockedAccess');
    if (callback.constructor.name === 'AsyncFunction') throw new Error('lockedAccess: the callback must be synchronous');
    const scope = new Scope();
    this.scope = scope;
    this.log.modalDepth++;
    try {
      const result: unknown = callback();
      if (result && typeof (result as Promise<unknown>).then === 'function')
        throw new Error('lockedAccess: the callback returned a promise; it must be synchronous');
    } finally {
      scope.ended = true;
      this.scope = null;
      this.log.modalDepth--;
    }
  }

  runTransaction(callback: (compound: { addAction(action: unknown): boolean; readonly empty: boolean }) => void, undoString?: string): boolean {
    this.log.record('Project.executeTransaction', [undoString ?? null]);
    if (!this.scope) throw new Error('executeTransaction: call it inside project.lockedAccess()');
    if (this.transaction) throw new Error('executeTransaction: already inside a transaction');
    if (callback.constructor.name === 'AsyncFunction') throw new Error('executeTransaction: the callback must be synchronous');
    const actions: FakeAction[] = [];
    const scope = this.scope;
    this.transaction = actions;
    try {
      const result: unknown = callback({
        addAction: (action: unknown) => {
          if (!(action instanceof FakeAction)) throw new Error('addAction: not an action');
          if (action.scope !== scope || action.scope.ended) throw new Error(`addAction: ${action.describe} was created in another lockedAccess scope`);
          this.log.record('CompoundAction.addAction', [action.describe]);
          actions.push(action);
          return true;
        },
        get empty() {
          return actions.length === 0;
        },
      });
      if (result && typeof (result as Promise<unknown>).then === 'function') throw new Error('executeTransaction: the callback returned a promise');
    } finally {
      this.transaction = null;
    }
    // All or nothing: every action is checked before any is applied.
    try {
      for (const action of actions) action.check();
    } catch (error) {
      this.log.record('Project.executeTransaction.failed', [undoString ?? null, error instanceof Error ? error.message : String(error)]);
      return false;
    }
    for (const action of actions) action.apply();
    return true;
  }

  readonly module: PremiereModule = {
    Project: {
      getActiveProject: async () => {
        this.log.record('Project.getActiveProject', []);
        return this.active;
      },
      open: async (path: string, options?: unknown) => {
        this.log.record('Project.open', [path, options ?? null]);
        const bytes = this.fileBytes(path);
        if (!bytes) throw new Error(`Could not open ${path}`);
        const project = new FakeProject(this, this.projects.length + 1, path, bytes);
        this.projects.push(project);
        this.active = project;
        this.emit(PROJECT_EVENT.OPENED);
        return project;
      },
    } as never,
    ProjectItem: {
      TYPE_CLIP: TYPE.CLIP,
      TYPE_BIN: TYPE.BIN,
      TYPE_ROOT: TYPE.ROOT,
      TYPE_FILE: TYPE.FILE,
      cast: (item: FakeItem) => {
        this.log.record('ProjectItem.cast', [item?.name ?? null]);
        return item instanceof FakeItem ? item : null;
      },
    } as never,
    FolderItem: {
      cast: (item: FakeItem) => {
        this.log.record('FolderItem.cast', [item?.name ?? null]);
        return item instanceof FakeBin ? item : null;
      },
    } as never,
    ClipProjectItem: {
      cast: (item: FakeItem) => {
        this.log.record('ClipProjectItem.cast', [item?.name ?? null]);
        return item instanceof FakeClip ? item : null;
      },
    } as never,
    ProjectSettings: {
      getIngestSettings: async (project: FakeProject) => ({
        getIsIngestEnabled: async () => project.ingestEnabled,
      }),
    } as never,
    Markers: {
      getMarkers: async (owner: FakeClip | FakeSequence) => {
        this.log.record('Markers.getMarkers', [owner.name]);
        const list = owner.markers;
        return {
          getMarkers: () => [...list],
          createAddMarkerAction: (name: string, type?: string, start?: FakeTickTime, duration?: FakeTickTime, comments?: string) =>
            this.action(
              'Markers.createAddMarkerAction',
              [owner.name, name, type ?? null, start?.seconds ?? null, duration?.seconds ?? null, comments ?? null],
              () => {
                if (start && start.ticksNumber < 0) throw new Error('A marker cannot start before 0');
              },
              () => {
                list.push(
                  new FakeMarker(
                    this,
                    this.markerIds++,
                    name,
                    type ?? 'Comment',
                    start ?? new FakeTickTime(0),
                    duration ?? new FakeTickTime(0),
                    comments ?? '',
                  ),
                );
                this.markDirty();
              },
            ),
        };
      },
    } as never,
    Marker: { MARKER_TYPE_COMMENT: 'Comment', MARKER_TYPE_CHAPTER: 'Chapter', MARKER_TYPE_FLVCUEPOINT: 'FLVCuePoint', MARKER_TYPE_WEBLINK: 'WebLink' },
    TickTime: {
      createWithSeconds: (seconds: number) => new FakeTickTime(Math.round(seconds * TICKS_PER_SECOND)),
      createWithTicks: (ticks: string) => new FakeTickTime(Number(ticks)),
      createWithFrameAndFrameRate: (frame: number, rate: { value: number }) => new FakeTickTime(Math.round((frame / rate.value) * TICKS_PER_SECOND)),
      TIME_ZERO: new FakeTickTime(0),
    } as never,
    EventManager: {
      addGlobalEventListener: (event: string, handler: (event?: object) => void) => {
        this.log.record('EventManager.addGlobalEventListener', [event]);
        this.listeners.set(event, [...(this.listeners.get(event) ?? []), handler]);
      },
      removeGlobalEventListener: (event: string, handler: (event?: object) => void) => {
        this.listeners.set(
          event,
          (this.listeners.get(event) ?? []).filter((h) => h !== handler),
        );
      },
    } as never,
    Constants: { ProjectEvent: PROJECT_EVENT, TrackItemType: { EMPTY: 0, CLIP: 1, TRANSITION: 2, PREVIEW: 3, FEEDBACK: 4 } } as never,
    OpenProjectOptions: class {
      showConvertProjectDialog = true;
      setShowConvertProjectDialog(show: boolean) {
        this.showConvertProjectDialog = show;
        return this;
      }
    } as never,
  };
}

export function fileUrl(nativePath: string): string {
  const slashed = nativePath.replaceAll('\\', '/');
  return `file:${slashed.startsWith('/') ? '' : '/'}${slashed}`;
}
