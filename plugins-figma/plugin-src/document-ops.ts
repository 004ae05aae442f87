import type { CanvasPoint, MainErrorCode, PlacementTag } from '../src/protocol.ts';
import type { FigmaApi } from './figma-api.ts';
import { writeTag } from './tags.ts';

/** A failure the UI shows as it is. */
export class MainError extends Error {
  constructor(
    readonly code: MainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const UPDATE_HINT = { open: '' };
/** Longest side of a new image rectangle; the image keeps its full resolution inside. */
const NEW_IMAGE_SIDE = 800;

function place(figma: FigmaApi, node: SceneNode, at: CanvasPoint | undefined): void {
  const center = figma.viewport.center;
  node.x = Math.round((at?.x ?? center.x) - (at ? 0 : node.width / 2));
  node.y = Math.round((at?.y ?? center.y) - (at ? 0 : node.height / 2));
}

function fromSvg(figma: FigmaApi, svg: string, name: string): FrameNode {
  try {
    return figma.createNodeFromSvg(svg);
  } catch (error) {
    throw new MainError('FIGMA_REFUSED', `Figma could not read “${name}” as SVG (${String((error as Error).message ?? error)}).`);
  }
}

function image(figma: FigmaApi, bytes: Uint8Array, name: string): Image {
  try {
    return figma.createImage(bytes);
  } catch (error) {
    throw new MainError('FIGMA_REFUSED', `Figma refused the image “${name}” (${String((error as Error).message ?? error)}).`);
  }
}

export function insertVector(figma: FigmaApi, p: { svg: string; name: string; tag: PlacementTag; at?: CanvasPoint }): { nodeIds: string[] } {
  const frame = fromSvg(figma, p.svg, p.name);
  frame.name = p.name;
  figma.currentPage.appendChild(frame);
  place(figma, frame, p.at);
  writeTag(frame, p.tag);
  frame.setRelaunchData(UPDATE_HINT);
  figma.currentPage.selection = [frame];
  return { nodeIds: [frame.id] };
}

type Fillable = SceneNode & MinimalFillsMixin;
const canFill = (node: SceneNode): node is Fillable => 'fills' in node;

export async function insertImage(
  figma: FigmaApi,
  p: { bytes: Uint8Array; name: string; tag: PlacementTag; at?: CanvasPoint },
): Promise<{ nodeIds: string[]; intoSelection: boolean }> {
  const img = image(figma, p.bytes, p.name);
  const paint: ImagePaint = { type: 'IMAGE', imageHash: img.hash, scaleMode: 'FILL' };
  const targets = p.at ? [] : figma.currentPage.selection.filter(canFill);
  if (targets.length > 0) {
    for (const node of targets) {
      node.fills = [paint];
      writeTag(node, p.tag);
      node.setRelaunchData(UPDATE_HINT);
    }
    return { nodeIds: targets.map((n) => n.id), intoSelection: true };
  }
  const { width, height } = await img.getSizeAsync();
  const scale = Math.min(1, NEW_IMAGE_SIDE / Math.max(width, height));
  const rect = figma.createRectangle();
  rect.name = p.name;
  rect.resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
  rect.fills = [paint];
  figma.currentPage.appendChild(rect);
  place(figma, rect, p.at);
  writeTag(rect, p.tag);
  rect.setRelaunchData(UPDATE_HINT);
  figma.currentPage.selection = [rect];
  return { nodeIds: [rect.id], intoSelection: false };
}

async function placedNode(figma: FigmaApi, nodeId: string): Promise<SceneNode> {
  const node = await figma.getNodeByIdAsync(nodeId);
  if (!node || node.removed || node.type === 'PAGE' || node.type === 'DOCUMENT') {
    throw new MainError('NODE_NOT_FOUND', 'That layer is no longer in the file; it may have been deleted.');
  }
  return node as SceneNode;
}

/**
 * Swaps a placed vector's contents for the new version's, in place: the node keeps its
 * id, position, size, constraints and name; only its children change.
 */
export async function updateVector(figma: FigmaApi, p: { nodeId: string; svg: string; tag: PlacementTag }): Promise<{ nodeId: string }> {
  const node = await placedNode(figma, p.nodeId);
  if (node.type !== 'FRAME') throw new MainError('NOT_PLACEABLE', `“${node.name}” is not the frame Stockroom placed, so its vectors cannot be swapped.`);
  const fresh = fromSvg(figma, p.svg, node.name);
  const scale = Math.min(node.width / fresh.width, node.height / fresh.height);
  if (Number.isFinite(scale) && Math.abs(scale - 1) > 1e-6) fresh.rescale(scale);
  for (const child of [...node.children]) child.remove();
  for (const child of [...fresh.children]) node.appendChild(child);
  fresh.remove();
  writeTag(node, p.tag);
  node.setRelaunchData(UPDATE_HINT);
  return { nodeId: node.id };
}

/** Replaces the image hash of a placed image fill, keeping the rest of the paint (scale mode, filters). */
export async function updateImage(figma: FigmaApi, p: { nodeId: string; bytes: Uint8Array; tag: PlacementTag }): Promise<{ nodeId: string }> {
  const node = await placedNode(figma, p.nodeId);
  if (!canFill(node) || node.fills === figma.mixed) throw new MainError('NOT_PLACEABLE', `“${node.name}” has no image fill to update.`);
  const fills = node.fills as ReadonlyArray<Paint>;
  if (!fills.some((f) => f.type === 'IMAGE')) throw new MainError('NOT_PLACEABLE', `“${node.name}” has no image fill to update.`);
  const img = image(figma, p.bytes, node.name);
  node.fills = fills.map((f) => (f.type === 'IMAGE' ? { ...f, imageHash: img.hash } : f));
  writeTag(node, p.tag);
  node.setRelaunchData(UPDATE_HINT);
  return { nodeId: node.id };
}

export async function markPlacements(figma: FigmaApi, p: { outdated: Array<{ nodeId: string; latest: number }>; current: string[] }): Promise<null> {
  for (const { nodeId, latest } of p.outdated) {
    const node = await figma.getNodeByIdAsync(nodeId);
    node?.setRelaunchData({ update: `Version ${latest} is available in Stockroom`, open: '' });
  }
  for (const nodeId of p.current) (await figma.getNodeByIdAsync(nodeId))?.setRelaunchData(UPDATE_HINT);
  return null;
}
