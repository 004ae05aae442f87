import { DOCUMENT_ID_KEY, PLUGIN_NAMESPACE, TAG_KEYS, type PlacedNode, type PlacementTag } from '../src/protocol.ts';
import type { FigmaApi } from './figma-api.ts';

export function writeTag(node: BaseNode, tag: PlacementTag): void {
  node.setSharedPluginData(PLUGIN_NAMESPACE, 'asset', tag.asset);
  node.setSharedPluginData(PLUGIN_NAMESPACE, 'version', String(tag.version));
  node.setSharedPluginData(PLUGIN_NAMESPACE, 'variant', tag.variant);
  node.setSharedPluginData(PLUGIN_NAMESPACE, 'entry', tag.entry);
  node.setSharedPluginData(PLUGIN_NAMESPACE, 'kit', tag.kit);
}

function readTag(node: BaseNode): PlacementTag | null {
  const get = (key: (typeof TAG_KEYS)[number]) => node.getSharedPluginData(PLUGIN_NAMESPACE, key);
  const asset = get('asset');
  const version = Number(get('version'));
  if (!asset || !Number.isInteger(version) || version < 1) return null;
  return { asset, version, variant: get('variant'), entry: get('entry'), kit: get('kit') };
}

/** Every tagged node of the current page, or of every page (loading them all first). */
export async function scanPlacements(figma: FigmaApi, wholeFile: boolean): Promise<{ pages: Array<{ id: string; name: string }>; placements: PlacedNode[] }> {
  const pages: PageNode[] = [];
  if (wholeFile) {
    await figma.loadAllPagesAsync();
    pages.push(...figma.root.children);
  } else {
    pages.push(figma.currentPage);
  }
  const found: PlacedNode[] = [];
  for (const page of pages) {
    for (const node of page.findAllWithCriteria({ sharedPluginData: { namespace: PLUGIN_NAMESPACE, keys: ['asset'] } })) {
      const tag = readTag(node);
      if (tag) found.push({ ...tag, nodeId: node.id, name: node.name, pageId: page.id });
    }
  }
  return { pages: pages.map((p) => ({ id: p.id, name: p.name })), placements: found };
}

/**
 * The document's own id, kept in the root's shared plugin data so that where-used
 * survives renames and copies of the file. Public plugins cannot read figma.fileKey.
 */
export function documentId(figma: FigmaApi): string {
  const known = figma.root.getSharedPluginData(PLUGIN_NAMESPACE, DOCUMENT_ID_KEY);
  if (known) return known;
  const id = uuid();
  figma.root.setSharedPluginData(PLUGIN_NAMESPACE, DOCUMENT_ID_KEY, id);
  return id;
}

// The main thread has no crypto.randomUUID; an RFC 4122 version-4 layout from Math.random
// is enough for an id that only has to differ between files.
function uuid(): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
}
