import { BRAND_CONTENT_HEADERS, brandContentPath, errorBodySchema, StockroomError } from '@stockroom/shared-types';
import type { PlacementTag } from '../src/protocol.ts';

export interface FetchedContent {
  insertAs: 'vector' | 'image';
  tag: PlacementTag;
  /** Sanitised SVG text, for vectors. */
  svg?: string;
  /** PNG/JPEG/GIF bytes of at most 4096 px a side, for images. */
  bytes?: Uint8Array;
  /** What the server took out of an SVG, in words. */
  removed: string[];
}

/** The latest insertable content of a brand kit entry's variant (the bridge sanitises SVGs and downscales rasters). */
export async function fetchContent(server: { url: string; token: string }, kit: string, entry: string, variant: string): Promise<FetchedContent> {
  let response: Response;
  try {
    response = await fetch(`${server.url}${brandContentPath(kit, entry, variant)}`, { headers: { Authorization: `Bearer ${server.token}` } });
  } catch (error) {
    throw new StockroomError('DISCONNECTED', 'The Stockroom server cannot be reached. Check your network and try again.', { cause: String(error) });
  }
  if (!response.ok) {
    const body = errorBodySchema.safeParse(((await response.json().catch(() => null)) as { error?: unknown } | null)?.error);
    if (body.success) throw new StockroomError(body.data.code, body.data.message, body.data.data);
    throw new StockroomError('INTERNAL', `The server answered ${response.status} for this asset.`);
  }
  const header = (name: string) => response.headers.get(name) ?? '';
  const insertAs = header(BRAND_CONTENT_HEADERS.insertAs) === 'vector' ? 'vector' : 'image';
  const tag: PlacementTag = {
    asset: header(BRAND_CONTENT_HEADERS.assetId),
    version: Number(header(BRAND_CONTENT_HEADERS.version)),
    variant: decodeURIComponent(header(BRAND_CONTENT_HEADERS.variant)),
    entry,
    kit,
  };
  const removed = (JSON.parse(decodeURIComponent(header(BRAND_CONTENT_HEADERS.sanitised) || '%5B%5D')) as string[]) ?? [];
  if (insertAs === 'vector') return { insertAs, tag, svg: await response.text(), removed };
  return { insertAs, tag, bytes: new Uint8Array(await response.arrayBuffer()), removed };
}
