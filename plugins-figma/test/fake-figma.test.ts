/**
 * The fake figma global enforces what Figma enforces; these tests keep it honest (the
 * journey test relies on it to catch a plugin that breaks Figma's rules).
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createFakeFigma, MAX_CLIENT_STORAGE_BYTES, MAX_PLUGIN_DATA_BYTES } from '../fake/index.ts';
import { RELAUNCH_BUTTONS } from '../scripts/manifest.ts';

const fake = () => createFakeFigma({ relaunchCommands: RELAUNCH_BUTTONS.map((b) => b.command) });
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();

describe('fake figma global', () => {
  it('createImage takes PNG, JPEG and GIF up to 4096 px a side, and refuses anything else', async () => {
    const { api, log } = fake();
    expect(api.createImage(new Uint8Array(await png(4096, 10))).hash).toMatch(/^[0-9a-f]{40}$/);
    const wide = new Uint8Array(await png(4097, 10));
    expect(() => api.createImage(wide)).toThrow(/too large/);
    const jpeg = await sharp({ create: { width: 5000, height: 20, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    expect(() => api.createImage(new Uint8Array(jpeg))).toThrow(/too large \(5000×20\)/);
    const webp = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
      .webp()
      .toBuffer();
    expect(() => api.createImage(new Uint8Array(webp))).toThrow(/unsupported/);
    expect(() => api.createImage(new TextEncoder().encode('<svg/>'))).toThrow(/unsupported/);
    expect(log.named('createImage')).toHaveLength(5);
  });

  it('shared plugin data entries hold at most 100 kB, and relaunch commands must be in the manifest', () => {
    const { api } = fake();
    const rect = api.createRectangle();
    rect.setSharedPluginData('stockroom', 'asset', 'x'.repeat(MAX_PLUGIN_DATA_BYTES - 10));
    expect(() => rect.setSharedPluginData('stockroom', 'asset', 'x'.repeat(MAX_PLUGIN_DATA_BYTES))).toThrow(/at most 102400 bytes/);
    expect(() => rect.setSharedPluginData('sr', 'asset', 'x')).toThrow(/namespace/);
    rect.setRelaunchData({ update: 'Version 2', open: '' });
    expect(() => rect.setRelaunchData({ edit: '' })).toThrow(/not a relaunch command/);
  });

  it('clientStorage holds at most 5 MB and keeps what was there when a write is refused', async () => {
    const { api } = fake();
    await api.clientStorage.setAsync('a', 'x'.repeat(MAX_CLIENT_STORAGE_BYTES - 100));
    await expect(api.clientStorage.setAsync('b', 'y'.repeat(200))).rejects.toThrow(/limited to 5242880 bytes/);
    expect(await api.clientStorage.getAsync('b')).toBeUndefined();
    await api.clientStorage.deleteAsync('a');
    await api.clientStorage.setAsync('b', 'y'.repeat(200));
    expect(await api.clientStorage.getAsync('b')).toHaveLength(200);
  });

  it('dynamic-page: getNodeById throws, other pages stay closed until loadAllPagesAsync', async () => {
    const { api } = fake();
    const rect = api.createRectangle();
    expect(() => api.getNodeById(rect.id)).toThrow(/getNodeByIdAsync/);
    expect((await api.getNodeByIdAsync(rect.id))?.id).toBe(rect.id);
    const social = api.root.children[1]!;
    expect(() => social.findAllWithCriteria({ types: ['RECTANGLE'] })).toThrow(/loadAsync/);
    await api.loadAllPagesAsync();
    expect(social.findAllWithCriteria({ types: ['RECTANGLE'] })).toEqual([]);
  });

  it('messages carry structured-clone data only: Uint8Array yes, ArrayBuffer, Blob and class instances no', () => {
    const delivered: unknown[] = [];
    const { api, receiveFromUi } = createFakeFigma({ relaunchCommands: [], deliverToUi: (m) => delivered.push(m) });
    const bytes = new Uint8Array([1, 2, 3]);
    api.ui.postMessage({ bytes });
    expect(delivered).toEqual([{ bytes: new Uint8Array([1, 2, 3]) }]);
    expect((delivered[0] as { bytes: Uint8Array }).bytes).not.toBe(bytes);
    expect(() => api.ui.postMessage({ bytes: bytes.buffer })).toThrow(/ArrayBuffer/);
    expect(() => api.ui.postMessage({ file: new Blob(['x']) })).toThrow(/Blob/);
    expect(() => api.ui.postMessage({ when: new Date() })).toThrow(/Date/);
    expect(() => api.ui.postMessage({ view: new DataView(new ArrayBuffer(2)) })).toThrow(/Uint8Array/);
    expect(() => receiveFromUi({ type: 'request', params: { bytes: new ArrayBuffer(1) } })).toThrow(/ArrayBuffer/);
  });
});
