import { TOKEN_STORAGE_KEY, type MainToUi, type RequestName, type Requests, type UiToMain } from '../src/protocol.ts';
import { insertImage, insertVector, MainError, markPlacements, updateImage, updateVector } from './document-ops.ts';
import type { FigmaApi } from './figma-api.ts';
import { documentId, scanPlacements } from './tags.ts';

type Handlers = { [N in RequestName]: (params: Requests[N]['params']) => Promise<Requests[N]['result']> | Requests[N]['result'] };

/** Only the token (and nothing else) is kept in clientStorage. */
const STORAGE_KEYS = new Set([TOKEN_STORAGE_KEY]);

function checkedKey(key: string): string {
  if (!STORAGE_KEYS.has(key)) throw new MainError('BAD_REQUEST', `The plugin does not store “${key}”.`);
  return key;
}

function handlers(figma: FigmaApi): Handlers {
  return {
    'storage.get': async ({ key }) => ((await figma.clientStorage.getAsync(checkedKey(key))) as string | undefined) ?? null,
    'storage.set': async ({ key, value }) => (await figma.clientStorage.setAsync(checkedKey(key), value), null),
    'storage.delete': async ({ key }) => (await figma.clientStorage.deleteAsync(checkedKey(key)), null),
    openExternal: ({ url }) => {
      if (!/^https?:\/\//.test(url)) throw new MainError('BAD_REQUEST', 'Only web addresses can be opened.');
      figma.openExternal(url);
      return null;
    },
    notify: ({ message, error }) => (figma.notify(message, { error: error === true }), null),
    'document.info': () => ({ documentId: documentId(figma), documentName: figma.root.name, selection: figma.currentPage.selection.length }),
    'insert.vector': (p) => insertVector(figma, p),
    'insert.image': (p) => insertImage(figma, p),
    'placements.scan': async ({ wholeFile }) => ({ documentId: documentId(figma), documentName: figma.root.name, ...(await scanPlacements(figma, wholeFile)) }),
    'placements.mark': (p) => markPlacements(figma, p),
    'update.vector': (p) => updateVector(figma, p),
    'update.image': (p) => updateImage(figma, p),
  };
}

/**
 * Wires the UI's requests to the handlers, and the document's events (drops, selection,
 * a relaunch button) to the UI.
 */
export function startMainThread(figma: FigmaApi): void {
  const table = handlers(figma) as unknown as Record<RequestName, (params: unknown) => unknown>;
  const send = (message: MainToUi) => figma.ui.postMessage(message);
  let uiReady = false;
  const early: MainToUi[] = [];
  const emit = (message: MainToUi) => (uiReady ? send(message) : early.push(message));

  figma.ui.onmessage = async (message: UiToMain) => {
    if (message.type === 'ready') {
      uiReady = true;
      for (const m of early.splice(0)) send(m);
      return;
    }
    if (message.type !== 'request') return;
    const handler = table[message.name];
    try {
      if (!handler) throw new MainError('BAD_REQUEST', `Unknown request ${String(message.name)}.`);
      send({ type: 'response', id: message.id, ok: true, result: await handler(message.params ?? {}) });
    } catch (error) {
      const code = error instanceof MainError ? error.code : 'FIGMA_REFUSED';
      send({ type: 'response', id: message.id, ok: false, error: { code, message: error instanceof Error ? error.message : String(error) } });
    }
  };

  figma.on('drop', (event: DropEvent) => {
    const meta = event.dropMetadata as { kit?: unknown; entry?: unknown; variant?: unknown } | undefined;
    if (typeof meta?.kit !== 'string' || typeof meta.entry !== 'string' || typeof meta.variant !== 'string') return true;
    emit({ type: 'event', event: 'drop', data: { kit: meta.kit, entry: meta.entry, variant: meta.variant, at: { x: event.absoluteX, y: event.absoluteY } } });
    return false;
  });
  figma.on('selectionchange', () => emit({ type: 'event', event: 'selection', data: { count: figma.currentPage.selection.length } }));
  if (figma.command === 'update') {
    emit({ type: 'event', event: 'relaunch', data: { command: 'update', nodeIds: figma.currentPage.selection.map((n) => n.id) } });
  }
}
