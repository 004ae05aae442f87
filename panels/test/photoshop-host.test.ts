import { describe, expect, it } from 'vitest';
import { PhotoshopHost } from '@stockroom/panel-photoshop/host';
import { CallLog, FakeFileSystem, FakePhotoshop, fakeSecureStorage, fakeUxpModule } from '@stockroom/panel-photoshop/fake';

const ASSET = '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10';

function setup() {
  const log = new CallLog();
  const files = new FakeFileSystem(log);
  const photoshop = new FakePhotoshop(log, files);
  const host = new PhotoshopHost({
    photoshop: photoshop.module,
    uxp: fakeUxpModule(files, fakeSecureStorage(log), '8.1.0'),
    fs: files.fs,
  });
  return { log, files, photoshop, host };
}

const noDialogs = { dialogOptions: 'dontDisplay' };

describe('Photoshop host adapter', () => {
  it('opens web pages with uxp.shell.openExternal, explaining why in the consent dialog; nothing else', async () => {
    const { log, host } = setup();
    await host.openExternal('https://dam.example.com/auth/device?code=WDJB-MJHT');
    const opened = log.named('uxp.shell.openExternal');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.args[0]).toBe('https://dam.example.com/auth/device?code=WDJB-MJHT');
    expect(opened[0]!.args[1]).toMatch(/sign-in page/);
    await expect(host.openExternal('file:///etc/passwd')).rejects.toThrow('Only web addresses can be opened');
    expect(log.named('uxp.shell.openExternal')).toHaveLength(1);
  });

  it('says what to do when the system browser could not be opened', async () => {
    const log = new CallLog();
    const files = new FakeFileSystem(log);
    const uxp = fakeUxpModule(files, fakeSecureStorage(log), '8.1.0');
    uxp.shell = { openExternal: async () => 'Permission denied by the user' };
    const host = new PhotoshopHost({ photoshop: new FakePhotoshop(log, files).module, uxp, fs: files.fs });
    await expect(host.openExternal('https://dam.example.com/auth/device')).rejects.toThrow(
      'Photoshop could not open your browser (Permission denied by the user). Open https://dam.example.com/auth/device yourself.',
    );
  });

  it('places a cached file as a linked smart object with the exact placeEvent, inside executeAsModal', async () => {
    const { log, files, photoshop, host } = setup();
    photoshop.newDocument('poster.psd');
    const path = await host.cache.write(ASSET, 3, 'Brand logo.png', new Uint8Array([1, 2, 3]));
    expect(path).toBe(`plugin-data:/cache/${ASSET}/v3/Brand logo.png`);
    log.clear();

    const item = await host.placeAsset({ path, linked: true, assetId: ASSET, version: 3 });

    const modal = log.named('photoshop.core.executeAsModal');
    expect(modal.map((call) => call.args)).toEqual([[{ commandName: 'Place Brand logo' }]]);
    const plays = log.named('photoshop.action.batchPlay');
    expect(plays).toHaveLength(2);
    const token = log.named('uxp.localFileSystem.createSessionToken')[0]!.result as string;
    expect(files.pathForToken(token)).toBe(path);
    expect(plays[0]!.args).toEqual([
      [
        {
          _obj: 'placeEvent',
          null: { _path: token, _kind: 'local' },
          linked: true,
          freeTransformCenterState: { _enum: 'quadCenterState', _value: 'QCSAverage' },
          offset: {
            _obj: 'offset',
            horizontal: { _unit: 'pixelsUnit', _value: 0 },
            vertical: { _unit: 'pixelsUnit', _value: 0 },
          },
          _options: noDialogs,
        },
      ],
      {},
    ]);
    const layerId = photoshop.active!.layers[0]!.id;
    expect(plays[1]!.args).toEqual([
      [{ _obj: 'set', _target: [{ _ref: 'layer', _id: layerId }], to: { _obj: 'layer', name: 'Brand logo' }, _options: noDialogs }],
      {},
    ]);
    expect(plays.every((call) => call.modal)).toBe(true);
    expect(item).toEqual({ itemId: String(layerId), assetId: ASSET, version: 3, linked: true, path });
    expect(photoshop.active!.layers[0]!.smartObject).toEqual({ linked: true, path });
  });

  it('places embedded with linked: false and lists only placements whose layer still exists', async () => {
    const { log, photoshop, host } = setup();
    const doc = photoshop.newDocument('flyer.psd');
    const path = await host.cache.write(ASSET, 1, 'photo.jpg', new Uint8Array([9]));
    const first = await host.placeAsset({ path, linked: false, assetId: ASSET, version: 1 });
    const second = await host.placeAsset({ path, linked: true, assetId: ASSET, version: 1 });
    const placeEvents = log.named('photoshop.action.batchPlay').map((call) => (call.args[0] as { _obj: string; linked?: boolean }[])[0]!);
    expect(placeEvents.filter((d) => d._obj === 'placeEvent').map((d) => d.linked)).toEqual([false, true]);

    expect((await host.listPlacedAssets()).map((item) => item.itemId)).toEqual([first.itemId, second.itemId]);
    doc.layers = doc.layers.filter((layer) => String(layer.id) !== first.itemId); // the user deleted the layer
    expect(await host.listPlacedAssets()).toEqual([second]);
  });

  it('updates a linked placement by selecting the layer and relinking to the new cached file', async () => {
    const { log, files, photoshop, host } = setup();
    photoshop.newDocument('poster.psd');
    const v1 = await host.cache.write(ASSET, 1, 'logo.png', new Uint8Array([1]));
    const placed = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1 });
    const v2 = await host.cache.write(ASSET, 2, 'logo.png', new Uint8Array([2]));
    log.clear();

    const updated = await host.updatePlacement(placed.itemId, v2, 2);

    const token = log.named('uxp.localFileSystem.createSessionToken')[0]!.result as string;
    expect(files.pathForToken(token)).toBe(v2);
    expect(log.named('photoshop.core.executeAsModal').map((call) => call.args)).toEqual([[{ commandName: 'Update placed asset' }]]);
    const plays = log.named('photoshop.action.batchPlay');
    expect(plays.map((call) => call.args)).toEqual([
      [
        [
          { _obj: 'select', _target: [{ _ref: 'layer', _id: Number(placed.itemId) }], makeVisible: false, _options: noDialogs },
          { _obj: 'placedLayerRelinkToFile', null: { _path: token, _kind: 'local' }, _options: noDialogs },
        ],
        {},
      ],
    ]);
    expect(plays[0]!.modal).toBe(true);
    expect(updated).toEqual({ ...placed, version: 2, path: v2 });
    expect(await host.listPlacedAssets()).toEqual([updated]);
  });

  it('replaces the contents of an embedded placement instead of relinking', async () => {
    const { log, photoshop, host } = setup();
    photoshop.newDocument('poster.psd');
    const v1 = await host.cache.write(ASSET, 1, 'logo.png', new Uint8Array([1]));
    const placed = await host.placeAsset({ path: v1, linked: false, assetId: ASSET, version: 1 });
    const v2 = await host.cache.write(ASSET, 2, 'logo.png', new Uint8Array([2]));
    log.clear();
    await host.updatePlacement(placed.itemId, v2, 2);
    const commands = log.named('photoshop.action.batchPlay')[0]!.args[0] as { _obj: string }[];
    expect(commands.map((command) => command._obj)).toEqual(['select', 'placedLayerReplaceContents']);
  });

  it('reads the active document as a saved copy in chunks, saving inside executeAsModal', async () => {
    const { log, photoshop, host } = setup();
    const content = new Uint8Array(10_000).map((_, i) => i % 251);
    const doc = photoshop.newDocument('big.psd', content);
    const chunks: Uint8Array[] = [];
    for await (const chunk of host.readActiveDocument(4096)) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([4096, 4096, 1808]);
    expect(Buffer.concat(chunks).equals(Buffer.from(content))).toBe(true);
    const save = log.named('photoshop.Document.saveAs.psd')[0]!;
    expect(save.args).toEqual([`plugin-temp:/stockroom/checkin/${doc.id}.psd`, null, true]);
    expect(save.modal).toBe(true);
    expect(doc.path).toBe(''); // a copy: the open document keeps its own (no) path
    expect(log.named('fs.close')).toHaveLength(1);
  });

  it('opens a file inside executeAsModal and reports the active document', async () => {
    const { log, host } = setup();
    expect(await host.getActiveDocument()).toBeNull();
    const path = await host.cache.write(ASSET, 4, 'cover.psd', new Uint8Array([5, 6]));
    await host.openFile(path);
    expect(log.named('photoshop.app.open')[0]).toMatchObject({ args: [path], modal: true });
    const first = await host.getActiveDocument();
    expect(first).toEqual({ id: path, name: 'cover.psd', path, saved: true, instance: expect.stringMatching(/^\d+$/) });
    // The same file opened again is the same document by path, but another opening of it.
    await host.openFile(path);
    const again = await host.getActiveDocument();
    expect(again?.id).toBe(path);
    expect(again?.instance).not.toBe(first?.instance);
  });

  it('keeps the token in secureStorage and refuses to place without a document', async () => {
    const { log, host } = setup();
    expect(await host.token.get()).toBeNull();
    await host.token.set('sr_secret');
    expect(await host.token.get()).toBe('sr_secret');
    await host.token.clear();
    expect(await host.token.get()).toBeNull();
    expect(log.named('uxp.secureStorage.setItem')[0]!.args).toEqual(['stockroom.token', '(secret)']);
    await expect(host.placeAsset({ path: 'plugin-data:/x', linked: true, assetId: ASSET, version: 1 })).rejects.toThrow('Open a document in Photoshop first.');
  });
});
