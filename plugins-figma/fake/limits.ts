/** Figma's limits that the fake enforces (docs: createImage, setSharedPluginData, clientStorage). */
export const MAX_IMAGE_SIDE = 4096;
export const MAX_PLUGIN_DATA_BYTES = 100 * 1024;
export const MAX_CLIENT_STORAGE_BYTES = 5 * 1024 * 1024;

export interface ImageFacts {
  format: 'png' | 'jpeg' | 'gif';
  width: number;
  height: number;
}

/** Reads the format and size from an image's header, as createImage must before decoding. */
export function imageFacts(bytes: Uint8Array): ImageFacts | null {
  const b = bytes;
  if (b.length > 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (b.length > 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
    return { format: 'gif', width: b[6]! | (b[7]! << 8), height: b[8]! | (b[9]! << 8) };
  }
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      const length = (b[i + 2]! << 8) | b[i + 3]!;
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
      }
      i += 2 + length;
    }
  }
  return null;
}

/** Throws like postMessage does for what Figma's message channel refuses: Blob, ArrayBuffer (not typed arrays), functions. */
export function assertCloneable(value: unknown, path = 'message'): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol')
      throw new Error(`${path} cannot be sent to the plugin: ${typeof value} is not structured-cloneable`);
    return;
  }
  if (ArrayBuffer.isView(value)) {
    if (!(value instanceof Uint8Array)) throw new Error(`${path} is a ${value.constructor.name}: send bytes as Uint8Array`);
    return;
  }
  if (value instanceof ArrayBuffer) throw new Error(`${path} is an ArrayBuffer: Figma accepts bytes only as Uint8Array`);
  if (typeof Blob !== 'undefined' && value instanceof Blob) throw new Error(`${path} is a Blob: Figma accepts bytes only as Uint8Array`);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
    throw new Error(`${path} is a ${proto?.constructor?.name ?? 'class instance'}: only plain objects, arrays and Uint8Array cross`);
  }
  for (const [key, child] of Object.entries(value)) assertCloneable(child, `${path}.${key}`);
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
