import type { FigmaApi } from '../plugin-src/figma-api.ts';
import { CallLog } from './call-log.ts';
import { assertCloneable, imageFacts, MAX_CLIENT_STORAGE_BYTES, MAX_IMAGE_SIDE, utf8Length, type ImageFacts } from './limits.ts';
import { FakeNode, FakePage, type NodeSnapshot } from './nodes.ts';

export interface FakeFigmaOptions {
  /** The relaunch button commands of the manifest; setRelaunchData refuses others. */
  relaunchCommands: readonly string[];
  /** figma.command: '' when opened from the menu, a relaunch command otherwise. */
  command?: string;
  /** Where figma.ui.postMessage delivers (the UI iframe); the message was checked and cloned already. */
  deliverToUi?: (message: unknown) => void;
  /** What figma.showUI does with the HTML (load it into the iframe). */
  showUi?: (html: string, options: ShowUIOptions | undefined) => void;
  pages?: string[];
  /** What clientStorage holds already (a plugin that was signed in before). */
  clientStorage?: Record<string, unknown>;
}

export interface FakeFigma {
  /** The global the plugin's main code sees, typed as the part of PluginAPI it may use. */
  api: FigmaApi & Pick<PluginAPI, 'showUI' | 'getNodeById'>;
  log: CallLog;
  /** A message from the UI (`parent.postMessage({pluginMessage}, '*')`) reaches figma.ui.onmessage. */
  receiveFromUi(message: unknown): void;
  /** A `pluginDrop` from the UI lands on the canvas at this point. */
  drop(drop: { clientX: number; clientY: number; dropMetadata?: unknown }): void;
  select(nodeIds: string[]): void;
  switchPage(name: string): void;
  snapshot(): {
    pages: Array<{ name: string; loaded: boolean; nodes: NodeSnapshot[] }>;
    root: Record<string, string>;
    storage: Record<string, unknown>;
    notifications: string[];
    opened: string[];
  };
  images: Map<string, ImageFacts & { bytes: number }>;
}

type Handler = (...args: unknown[]) => unknown;

/**
 * A recording fake of Figma's plugin API for the main thread, enforcing the rules that
 * matter to the plugin: createImage only takes PNG/JPEG/GIF of at most 4096 px a side;
 * shared plugin data entries are at most 100 kB; clientStorage holds at most 5 MB;
 * under "documentAccess": "dynamic-page" the sync getNodeById throws and other pages'
 * children are out of reach until loadAllPagesAsync; messages carry structured-clone
 * data only (Uint8Array yes, ArrayBuffer and Blob no).
 */
export function createFakeFigma(options: FakeFigmaOptions): FakeFigma {
  const log = new CallLog();
  const loadedPages = new Set<FakeNode>();
  const env = {
    log,
    relaunchCommands: options.relaunchCommands,
    pageLoaded: (node: FakeNode) => {
      let n: FakeNode | null = node;
      while (n && n.type !== 'PAGE') n = n.parent;
      return n === null || loadedPages.has(n);
    },
  };
  const root = new FakeNode('DOCUMENT', env, { name: 'Campaign 2027', id: '0:0' });
  const pages = (options.pages ?? ['Cover', 'Social']).map((name, i) => {
    const page = new FakePage('PAGE', env, { name, id: `0:${i + 1}` });
    root.appendChild(page);
    return page;
  });
  let current = pages[0]!;
  loadedPages.add(current);
  const storage = new Map<string, unknown>(Object.entries(options.clientStorage ?? {}));
  const images = new Map<string, ImageFacts & { bytes: number }>();
  const handlers = new Map<string, Handler[]>();
  const notifications: string[] = [];
  const opened: string[] = [];
  let onmessage: Handler | undefined;
  const mixed = Symbol('figma.mixed');
  log.calls.length = 0;

  const allNodes = () => [root, ...root.descendants()];
  const record = <F extends (...args: never[]) => unknown>(api: string, fn: F): F =>
    ((...args: Parameters<F>) => {
      log.record(api, args);
      return fn(...args);
    }) as F;

  const storageBytes = () => [...storage].reduce((n, [k, v]) => n + utf8Length(k) + utf8Length(JSON.stringify(v) ?? ''), 0);

  const api = {
    get root() {
      return root as unknown as DocumentNode;
    },
    get currentPage() {
      return current as unknown as PageNode;
    },
    set currentPage(_page: PageNode) {
      throw new Error('Setting figma.currentPage is not supported with documentAccess: dynamic-page. Use figma.setCurrentPageAsync.');
    },
    command: options.command ?? '',
    mixed: mixed as unknown as PluginAPI['mixed'],
    viewport: { center: { x: 500, y: 300 }, zoom: 1, bounds: { x: 0, y: 0, width: 1000, height: 600 } } as unknown as PluginAPI['viewport'],
    ui: {
      postMessage: record('ui.postMessage', (message: unknown) => {
        assertCloneable(message);
        options.deliverToUi?.(structuredClone(message));
      }),
      get onmessage() {
        return onmessage as MessageEventHandler | undefined;
      },
      set onmessage(handler: MessageEventHandler | undefined) {
        onmessage = handler as Handler | undefined;
      },
      on: () => undefined,
      once: () => undefined,
      off: () => undefined,
      show: () => undefined,
      hide: () => undefined,
      resize: () => undefined,
      reposition: () => undefined,
      close: () => undefined,
      getPosition: () => ({ windowSpace: { x: 0, y: 0 }, canvasSpace: { x: 0, y: 0 } }),
    } as unknown as PluginAPI['ui'],
    clientStorage: {
      getAsync: record('clientStorage.getAsync', async (key: string) => structuredClone(storage.get(key))),
      setAsync: record('clientStorage.setAsync', async (key: string, value: unknown) => {
        assertCloneable(value, `clientStorage value of ${key}`);
        const before = storage.get(key);
        storage.set(key, structuredClone(value));
        if (storageBytes() > MAX_CLIENT_STORAGE_BYTES) {
          if (before === undefined) storage.delete(key);
          else storage.set(key, before);
          throw new Error(`in setAsync: the plugin's client storage is limited to ${MAX_CLIENT_STORAGE_BYTES} bytes`);
        }
      }),
      deleteAsync: record('clientStorage.deleteAsync', async (key: string) => void storage.delete(key)),
      keysAsync: record('clientStorage.keysAsync', async () => [...storage.keys()]),
    } as PluginAPI['clientStorage'],
    createNodeFromSvg: record('createNodeFromSvg', (svg: string) => nodeFromSvg(svg, env) as unknown as FrameNode),
    createImage: record('createImage', (bytes: Uint8Array) => {
      if (!(bytes instanceof Uint8Array)) throw new Error('in createImage: Expected a Uint8Array');
      const facts = imageFacts(bytes);
      if (!facts) throw new Error('in createImage: Image type is unsupported (PNG, JPEG and GIF only)');
      if (facts.width > MAX_IMAGE_SIDE || facts.height > MAX_IMAGE_SIDE) {
        throw new Error(`in createImage: Image is too large (${facts.width}×${facts.height}); at most ${MAX_IMAGE_SIDE} pixels a side`);
      }
      const hash = contentHash(bytes);
      images.set(hash, { ...facts, bytes: bytes.byteLength });
      return {
        hash,
        getBytesAsync: async () => bytes.slice(),
        getSizeAsync: async () => ({ width: facts.width, height: facts.height }),
      } as Image;
    }),
    createRectangle: record('createRectangle', () => {
      const rect = new FakeNode('RECTANGLE', env, { name: 'Rectangle' });
      current.appendChild(rect);
      return rect as unknown as RectangleNode;
    }),
    getNodeByIdAsync: record(
      'getNodeByIdAsync',
      async (id: string) => (allNodes().find((n) => n.id === id && !n.removed) ?? null) as unknown as BaseNode | null,
    ),
    getNodeById: record('getNodeById', (_id: string): BaseNode | null => {
      throw new Error('Cannot call with documentAccess: dynamic-page. Use figma.getNodeByIdAsync instead.');
    }),
    loadAllPagesAsync: record('loadAllPagesAsync', async () => {
      for (const page of pages) loadedPages.add(page);
    }),
    notify: record('notify', (message: string, opts?: NotificationOptions) => {
      notifications.push(opts?.error ? `error: ${message}` : message);
      return { cancel: () => undefined } as NotificationHandler;
    }),
    openExternal: record('openExternal', (url: string) => void opened.push(url)),
    on: record('on', (type: string, handler: Handler) => {
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    }) as unknown as PluginAPI['on'],
    showUI: record('showUI', (html: string, opts?: ShowUIOptions) => options.showUi?.(html, opts)),
  } satisfies FigmaApi & Pick<PluginAPI, 'showUI' | 'getNodeById'>;

  const emit = (type: string, ...args: unknown[]) => {
    let result: unknown;
    for (const handler of handlers.get(type) ?? []) result = handler(...args);
    return result;
  };

  return {
    api,
    log,
    images,
    receiveFromUi(message) {
      assertCloneable(message, 'pluginMessage');
      const cloned = structuredClone(message);
      log.record('ui.onmessage', [cloned]);
      void onmessage?.(cloned, { origin: 'null' });
    },
    drop({ clientX, clientY, dropMetadata }) {
      assertCloneable(dropMetadata, 'dropMetadata');
      const at = { x: clientX - api.viewport.bounds.x, y: clientY - api.viewport.bounds.y };
      emit('drop', { node: current, x: at.x, y: at.y, absoluteX: at.x, absoluteY: at.y, items: [], files: [], dropMetadata: structuredClone(dropMetadata) });
    },
    select(nodeIds) {
      current.selection = current.descendants().filter((n) => nodeIds.includes(n.id));
      emit('selectionchange');
    },
    switchPage(name) {
      current = pages.find((p) => p.name === name) ?? current;
      loadedPages.add(current);
      emit('currentpagechange');
    },
    snapshot() {
      return {
        pages: pages.map((p) => ({
          name: p.name,
          loaded: loadedPages.has(p),
          nodes: p
            .descendants()
            .filter((n) => n.parent === p)
            .map((n) => n.snapshot()),
        })),
        root: root.snapshot().shared,
        storage: Object.fromEntries(storage),
        notifications: [...notifications],
        opened: [...opened],
      };
    },
  };
}

const DRAWN = new Set(['path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'use', 'image']);

/**
 * createNodeFromSvg: a frame the size of the SVG with one vector per drawn element.
 * Throws, as Figma does, on anything that is not a well-formed SVG document.
 */
function nodeFromSvg(svg: string, env: ConstructorParameters<typeof FakeNode>[1]): FakeNode {
  if (typeof svg !== 'string') throw new Error('in createNodeFromSvg: Expected a string');
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length > 0 || root.localName !== 'svg') throw new Error('in createNodeFromSvg: Failed to import SVG');
  const box = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const width = Number.parseFloat(root.getAttribute('width') ?? '') || box[2] || 100;
  const height = Number.parseFloat(root.getAttribute('height') ?? '') || box[3] || 100;
  const frame = new FakeNode('FRAME', env, { name: 'svg', width, height });
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (!DRAWN.has(el.localName) || el.closest('defs')) continue;
    const vector = new FakeNode(el.localName === 'text' ? 'TEXT' : 'VECTOR', env, {
      name: el.localName,
      width: Number(el.getAttribute('width')) || 10,
      height: Number(el.getAttribute('height')) || 10,
    });
    vector.x = Number(el.getAttribute('x')) || 0;
    vector.y = Number(el.getAttribute('y')) || 0;
    vector.source = `${el.localName} fill=${el.getAttribute('fill') ?? ''}`;
    frame.appendChild(vector);
  }
  return frame;
}

/** A stable content hash (FNV-1a, 4 lanes → 32 hex digits); Figma uses SHA-1, which is not synchronous in a browser. */
function contentHash(bytes: Uint8Array): string {
  const lanes = [0x811c9dc5, 0x01000193 ^ 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];
  for (let i = 0; i < bytes.length; i++) {
    const lane = i & 3;
    lanes[lane] = Math.imul(lanes[lane]! ^ bytes[i]!, 0x01000193) >>> 0;
  }
  return lanes.map((l) => l.toString(16).padStart(8, '0')).join('') + bytes.length.toString(16).padStart(8, '0');
}
