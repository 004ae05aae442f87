/**
 * The message protocol between the UI iframe (network, bridge client, React) and the
 * main thread (the Figma document). Requests carry an id and get exactly one response.
 * Only structured-clone data crosses: plain objects, strings, numbers, and bytes as
 * Uint8Array (never Blob or ArrayBuffer — Figma refuses them). SVG travels as text.
 */

/** Shared plugin data namespace of every tag Stockroom writes. */
export const PLUGIN_NAMESPACE = 'stockroom';
/** Keys on a placed node. */
export const TAG_KEYS = ['asset', 'version', 'variant', 'entry', 'kit'] as const;
/** Key on the document root: a stable id for where-used, kept when the file is renamed. */
export const DOCUMENT_ID_KEY = 'documentId';
/** clientStorage key of the API token (never plugin data: that travels with the file). */
export const TOKEN_STORAGE_KEY = 'stockroom.token';

export interface PlacementTag {
  asset: string;
  version: number;
  variant: string;
  entry: string;
  kit: string;
}

export interface PlacedNode extends PlacementTag {
  nodeId: string;
  name: string;
  pageId: string;
}

export interface CanvasPoint {
  x: number;
  y: number;
}

export interface Requests {
  'storage.get': { params: { key: string }; result: string | null };
  'storage.set': { params: { key: string; value: string }; result: null };
  'storage.delete': { params: { key: string }; result: null };
  openExternal: { params: { url: string }; result: null };
  notify: { params: { message: string; error?: boolean }; result: null };
  'document.info': { params: Record<string, never>; result: { documentId: string; documentName: string; selection: number } };
  'insert.vector': { params: { svg: string; name: string; tag: PlacementTag; at?: CanvasPoint }; result: { nodeIds: string[] } };
  /** Fills the selected layers that can take fills, or a new rectangle when none is selected. */
  'insert.image': { params: { bytes: Uint8Array; name: string; tag: PlacementTag; at?: CanvasPoint }; result: { nodeIds: string[]; intoSelection: boolean } };
  /** Where-used is reported per page (each page is a document to the bridge), so a page scan never forgets other pages. */
  'placements.scan': {
    params: { wholeFile: boolean };
    result: { documentId: string; documentName: string; pages: Array<{ id: string; name: string }>; placements: PlacedNode[] };
  };
  /** Shows the "Update to latest" relaunch button on outdated nodes, and "Open Stockroom" on the others. */
  'placements.mark': { params: { outdated: Array<{ nodeId: string; latest: number }>; current: string[] }; result: null };
  'update.vector': { params: { nodeId: string; svg: string; tag: PlacementTag }; result: { nodeId: string } };
  'update.image': { params: { nodeId: string; bytes: Uint8Array; tag: PlacementTag }; result: { nodeId: string } };
}
export type RequestName = keyof Requests;

interface DropMetadata {
  kit: string;
  entry: string;
  variant: string;
}

export type MainEvent =
  | { event: 'drop'; data: DropMetadata & { at: CanvasPoint } }
  /** The plugin was started by a relaunch button ("Update to latest") on these nodes. */
  | { event: 'relaunch'; data: { command: string; nodeIds: string[] } }
  | { event: 'selection'; data: { count: number } };

export type UiToMain = { type: 'request'; id: number; name: RequestName; params: unknown } | { type: 'ready' };

export type MainToUi =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: { code: MainErrorCode; message: string } }
  | ({ type: 'event' } & MainEvent);

/** Errors of the main thread that the UI shows as they are. */
const MAIN_ERROR_CODES = ['NODE_NOT_FOUND', 'NOT_PLACEABLE', 'FIGMA_REFUSED', 'BAD_REQUEST'] as const;
export type MainErrorCode = (typeof MAIN_ERROR_CODES)[number];
