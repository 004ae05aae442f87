/**
 * A fake of the `photoshop` module for tests and the browser preview. It keeps
 * documents and layers in memory, acts on the few batchPlay commands the adapter
 * sends, refuses document changes outside executeAsModal (as Photoshop does), and
 * records every call.
 */
import type { ActionDescriptor } from 'photoshop/dom/CoreModules';
import type { PhotoshopModule } from '../host/modules.ts';
import type { CallLog } from './call-log.ts';
import type { FakeEntry, FakeFileSystem } from './fake-uxp.ts';

export interface FakeLayer {
  id: number;
  name: string;
  layers: FakeLayer[] | null;
  smartObject?: { linked: boolean; path: string };
}

export class FakeDocument {
  layers: FakeLayer[] = [];
  activeLayers: FakeLayer[] = [];
  saved = true;

  constructor(
    private readonly owner: FakePhotoshop,
    readonly id: number,
    public name: string,
    public path: string,
    /** What the document's file would hold if saved now. */
    public content: Uint8Array,
  ) {}

  async save(): Promise<void> {
    this.owner.log.record('photoshop.Document.save', [this.id]);
    this.owner.requireModal('save');
    if (this.path) this.owner.files.files.set(this.path, this.content);
    this.saved = true;
  }

  readonly saveAs = {
    psd: async (entry: unknown, options?: unknown, asCopy?: boolean): Promise<void> => {
      const url = (entry as FakeEntry).url;
      this.owner.log.record('photoshop.Document.saveAs.psd', [url, options ?? null, asCopy ?? false]);
      this.owner.requireModal('saveAs');
      this.owner.files.files.set(url, this.content);
      if (!asCopy) {
        this.path = url;
        this.saved = true;
      }
    },
  };

  /** Simulates the user editing: new bytes, unsaved. */
  edit(content: Uint8Array): void {
    this.content = content;
    this.saved = false;
  }
}

export class FakePhotoshop {
  readonly documents: FakeDocument[] = [];
  active: FakeDocument | null = null;
  /** Makes every executeAsModal take this long, to see the panel while Photoshop works. */
  modalDelayMs = 0;
  private nextDocumentId = 100;
  private nextLayerId = 1;

  constructor(
    readonly log: CallLog,
    readonly files: FakeFileSystem,
  ) {
    Object.defineProperty(this.module.app, 'activeDocument', { get: () => this.active, configurable: true });
  }

  newDocument(name: string, content: Uint8Array = new Uint8Array(16)): FakeDocument {
    const doc = new FakeDocument(this, this.nextDocumentId++, name, '', content);
    this.documents.push(doc);
    this.active = doc;
    return doc;
  }

  requireModal(what: string): void {
    if (this.log.modalDepth === 0) throw new Error(`${what}: the plugin is not in a modal state (use core.executeAsModal)`);
  }

  readonly module: PhotoshopModule = {
    app: {
      activeDocument: null as never, // replaced by a getter in the constructor
      open: async (entry) => {
        const url = (entry as unknown as FakeEntry).url;
        this.log.record('photoshop.app.open', [url]);
        this.requireModal('open');
        const bytes = this.files.files.get(url);
        if (!bytes) throw new Error(`Could not open ${url}`);
        const doc = new FakeDocument(this, this.nextDocumentId++, url.substring(url.lastIndexOf('/') + 1), url, bytes);
        this.documents.push(doc);
        this.active = doc;
        return doc as never;
      },
      showAlert: async (message) => {
        this.log.record('photoshop.app.showAlert', [message]);
      },
    },
    action: {
      batchPlay: async (commands, options) => {
        const results = commands.map((command) => this.play(command));
        this.log.record('photoshop.action.batchPlay', [commands, options ?? null], results);
        return results;
      },
    },
    core: {
      executeAsModal: async (run, options) => {
        this.log.record('photoshop.core.executeAsModal', [options]);
        this.log.modalDepth++;
        try {
          if (this.modalDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.modalDelayMs));
          return await run({} as never);
        } finally {
          this.log.modalDepth--;
        }
      },
    },
  };

  private play(command: ActionDescriptor): ActionDescriptor {
    const doc = this.active;
    if (!doc) throw new Error('No document is open');
    this.requireModal(command._obj);
    switch (command._obj) {
      case 'placeEvent': {
        const path = this.files.pathForToken(command.null?._path);
        if (!path || !this.files.files.has(path)) throw new Error('The file to place does not exist');
        // Photoshop's own refusals: sound has no pixels, and an empty file has nothing to parse.
        if (/\.(wav|mp3|ogg|oga|opus|flac|aac|m4a|aiff?)$/i.test(path))
          throw new Error('Could not complete your request because Photoshop does not recognize this type of file.');
        if (this.files.files.get(path)!.length === 0) throw new Error('Could not complete your request because the file-format module cannot parse the file.');
        const layer: FakeLayer = {
          id: this.nextLayerId++,
          name: path.substring(path.lastIndexOf('/') + 1),
          layers: null,
          smartObject: { linked: command.linked === true, path },
        };
        doc.layers.push(layer);
        doc.activeLayers = [layer];
        doc.saved = false;
        return { _obj: 'placeEvent', ID: layer.id };
      }
      case 'select': {
        const layer = this.layer(doc, command._target?.[0]?._id);
        doc.activeLayers = [layer];
        return { _obj: 'select' };
      }
      case 'set': {
        this.layer(doc, command._target?.[0]?._id).name = command.to?.name;
        return { _obj: 'set' };
      }
      case 'placedLayerRelinkToFile':
      case 'placedLayerReplaceContents': {
        const layer = doc.activeLayers[0];
        const path = this.files.pathForToken(command.null?._path);
        if (!layer?.smartObject || !path) throw new Error('Select a smart object first');
        const linked = command._obj === 'placedLayerRelinkToFile';
        if (layer.smartObject.linked !== linked) throw new Error(`${command._obj} does not fit this smart object`);
        layer.smartObject = { linked, path };
        doc.saved = false;
        return { _obj: command._obj };
      }
      default:
        throw new Error(`The fake Photoshop does not know ${command._obj}`);
    }
  }

  private layer(doc: FakeDocument, id: unknown): FakeLayer {
    const layer = doc.layers.find((candidate) => candidate.id === id);
    if (!layer) throw new Error(`No layer with id ${String(id)}`);
    return layer;
  }
}
