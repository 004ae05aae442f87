import { open, readFile } from 'node:fs/promises';
import { initializeCanvas, readPsd, type Layer, type Psd } from 'ag-psd';
import sharp, { type Sharp } from 'sharp';
import { MediaError } from './errors.ts';
import { assertPixelsWithinLimit } from './image-facts.ts';
import type { MediaLimits } from './limits.ts';

// ag-psd decodes into ImageData-shaped objects; on a server plain typed arrays do, no canvas needed.
type CanvasFactories = Parameters<typeof initializeCanvas>;
initializeCanvas(
  () => {
    throw new Error('canvas is not available on the server; read PSD files with useImageData');
  },
  ((width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) })) as unknown as CanvasFactories[1],
);

const COLOUR_MODES: Record<number, string> = {
  0: 'bitmap',
  1: 'grayscale',
  2: 'indexed',
  3: 'rgb',
  4: 'cmyk',
  7: 'multichannel',
  8: 'duotone',
  9: 'lab',
};
const MAX_LAYER_NAMES = 500;

export interface PsdFacts {
  format: 'psd' | 'psb';
  width: number;
  height: number;
  colourMode: string;
  bitDepth: number;
  channels: number;
  layerCount: number;
  /** Layer and group names, top-down as in the Layers panel (at most 500). */
  layerNames: string[];
}

interface PsdHeader {
  version: 1 | 2;
  width: number;
  height: number;
}

/** Reads the 26-byte header so size limits apply before anything is decoded. */
async function readHeader(input: string, limits: Pick<MediaLimits, 'maxPixels'>): Promise<PsdHeader> {
  const handle = await open(input, 'r');
  try {
    const header = Buffer.alloc(26);
    const { bytesRead } = await handle.read(header, 0, 26, 0);
    if (bytesRead === 0) throw new MediaError('empty-file', 'The file is empty. Upload it again.');
    const version = header.readUInt16BE(4);
    if (bytesRead < 26 || header.toString('latin1', 0, 4) !== '8BPS' || (version !== 1 && version !== 2)) {
      throw new MediaError('corrupt-file', 'The file is not a Photoshop document (its PSD/PSB signature is missing). Upload an intact copy.');
    }
    const height = header.readUInt32BE(14);
    const width = header.readUInt32BE(18);
    assertPixelsWithinLimit(width, height, limits);
    return { version, width, height };
  } finally {
    await handle.close();
  }
}

function parse(buffer: Buffer, options: Parameters<typeof readPsd>[1]): Psd {
  try {
    return readPsd(buffer, options);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MediaError('corrupt-file', `The Photoshop document is damaged (${detail}). Upload an intact copy.`, { cause: error });
  }
}

/** Dimensions, colour mode and layers of a PSD/PSB, without decoding any pixels. */
export async function extractPsdFacts(input: string, limits: Pick<MediaLimits, 'maxPixels'>): Promise<PsdFacts> {
  const header = await readHeader(input, limits);
  const psd = parse(await readFile(input), { skipLayerImageData: true, skipCompositeImageData: true, skipThumbnail: true, skipLinkedFilesData: true });
  const names: string[] = [];
  let layerCount = 0;
  const walk = (layers: Layer[] | undefined) => {
    for (const layer of layers ?? []) {
      layerCount += 1;
      if (names.length < MAX_LAYER_NAMES) names.push(layer.name ?? '');
      walk(layer.children);
    }
  };
  // ag-psd lists layers bottom-up; the Layers panel shows them top-down.
  walk([...(psd.children ?? [])].reverse().map((l) => ({ ...l, children: l.children ? [...l.children].reverse() : undefined })));
  return {
    format: header.version === 2 ? 'psb' : 'psd',
    width: psd.width,
    height: psd.height,
    colourMode: COLOUR_MODES[psd.colorMode ?? 3] ?? 'unknown',
    bitDepth: psd.bitsPerChannel ?? 8,
    channels: psd.channels ?? 0,
    layerCount,
    layerNames: names,
  };
}

/**
 * The merged composite that Photoshop stores beside the layers, as a sharp image.
 * (ag-psd's deferred `useRawData` decoding mis-reads PSB composites, so it is decoded in one pass.)
 */
export async function openPsdComposite(input: string, limits: Pick<MediaLimits, 'maxPixels'>): Promise<Sharp> {
  await readHeader(input, limits);
  const psd = parse(await readFile(input), { useImageData: true, skipLayerImageData: true, skipThumbnail: true, skipLinkedFilesData: true });
  const composite = psd.imageData;
  if (!composite) {
    throw new MediaError('corrupt-file', 'The Photoshop document has no merged image. Save it with "Maximize compatibility" on and upload it again.');
  }
  const { data, width, height } = composite as unknown as { data: Uint8ClampedArray | Uint16Array | Float32Array; width: number; height: number };
  if (data instanceof Float32Array) {
    throw new MediaError('unsupported-format', 'The Photoshop document uses 32-bit colour, which this server does not preview. Save a 16- or 8-bit copy.');
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return sharp(bytes, {
    raw: { width, height, channels: 4, ...(data instanceof Uint16Array ? { depth: 'ushort' as const } : {}) },
    limitInputPixels: limits.maxPixels,
  });
}
