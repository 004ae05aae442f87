/**
 * The Premiere host adapter over the fake premierepro module: the exact call sequences
 * (lock scope, transaction, undo string) and the host's rules, on real MP4 files made
 * by ffmpeg (the fake reads their frame rate, duration, size and audio channels).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { PremiereHost } from '@stockroom/panel-premiere/host';
import { CallLog, FakeFileSystem, FakePremiere, fakePremiereFs, fakePremiereUxp, fileUrl, TICKS_PER_SECOND } from '@stockroom/panel-premiere/fake';

const run = promisify(execFile);
const ASSET = '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10';
const MEDIA = '/Users/editor/Stockroom Media';
const DIR = path.resolve(import.meta.dirname, '..', '..', '.tmp', 'premiere-host-media');

/** Clips made once: an original, a proxy that fits it, and proxies that break one rule each. */
const clips = {
  original: { file: 'original.mp4', args: ['-s', '640x360', '-r', '25', '-ac', '1'] },
  proxy: { file: 'proxy.mp4', args: ['-s', '320x180', '-r', '25', '-ac', '1'] },
  stereoProxy: { file: 'proxy-stereo.mp4', args: ['-s', '320x180', '-r', '25', '-ac', '2'] },
  otherRateProxy: { file: 'proxy-30fps.mp4', args: ['-s', '320x180', '-r', '30', '-ac', '1'] },
  oddSizeProxy: { file: 'proxy-480.mp4', args: ['-s', '480x270', '-r', '25', '-ac', '1'] },
} as const;
const bytes: Record<keyof typeof clips, Uint8Array> = {} as never;

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  for (const [key, clip] of Object.entries(clips) as Array<[keyof typeof clips, (typeof clips)[keyof typeof clips]]>) {
    const out = path.join(DIR, clip.file);
    await run('ffmpeg', [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=25:duration=2',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      ...clip.args,
      '-c:a',
      'aac',
      '-shortest',
      out,
    ]);
    bytes[key] = new Uint8Array(readFileSync(out));
  }
}, 60_000);

function setup(options: { pickFolder?: string | null } = {}) {
  const log = new CallLog();
  const files = new FakeFileSystem(log);
  const premiere = new FakePremiere(log, files);
  const picker = { pickFolder: options.pickFolder === undefined ? MEDIA : options.pickFolder };
  const uxp = fakePremiereUxp(files, picker);
  const fs = fakePremiereFs(files);
  const host = new PremiereHost({ premierepro: premiere.module, uxp, fs });
  const project = premiere.newProject('/Users/editor/Projects/Spring Spot.prproj', new Uint8Array([1, 2, 3, 4]));
  /** A file in the media folder, where the panel's downloads put it. */
  const put = (version: number, name: string, content: Uint8Array) => {
    const native = `${MEDIA}/${ASSET}/v${version}/${name}`;
    files.addFolder(fileUrl(native.substring(0, native.lastIndexOf('/'))));
    files.files.set(fileUrl(native), content);
    return native;
  };
  return { log, files, premiere, project, host, uxp, fs, picker, put };
}

/** The adapter's calls that change or query the project (not the reads around them). */
function sequence(log: CallLog): Array<[string, ...unknown[]]> {
  const shown =
    /^(Project\.(lockedAccess|executeTransaction|importFiles|save|saveAs|open)|CompoundAction\.addAction|FolderItem\.createBinAction|Markers\.createAddMarkerAction|Marker\.createSetColorByIndexAction|ClipProjectItem\.(attachProxy|changeMediaFilePath)|fs\.copyFile)$/;
  return log.calls.filter((call) => shown.test(call.api)).map((call) => [call.api, ...call.args]);
}

const sequence_calls = (log: CallLog) => log.named('Project.executeTransaction').map((call) => call.args[0]);

describe('Premiere host adapter', () => {
  it('creates the collection’s bin once, inside lockedAccess and one transaction, and imports into it with the bin as target', async () => {
    const { log, host, project, put } = setup();
    const v1 = put(1, 'Launch film.mp4', bytes.original);
    log.clear();

    const item = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });

    expect(sequence(log)).toEqual([
      ['Project.lockedAccess'],
      ['FolderItem.createBinAction', 'root', 'Brand Films', false],
      ['Project.executeTransaction', 'Create bin Brand Films'],
      ['CompoundAction.addAction', 'FolderItem.createBinAction("root", "Brand Films", false)'],
      ['Project.importFiles', [v1], true, 'Brand Films', false],
    ]);
    // The bin and the action were made in the same lock scope (the call log marks it).
    expect(log.calls.filter((call) => /createBinAction|executeTransaction|addAction/.test(call.api)).every((call) => call.modal)).toBe(true);
    expect(log.named('Project.importFiles')[0]!.modal).toBe(false);
    expect(project.root.items.map((i) => i.name)).toEqual(['Brand Films']);
    const bin = project.root.items[0] as unknown as { items: Array<{ id: string; name: string }> };
    expect(bin.items.map((i) => i.name)).toEqual(['Launch film.mp4']);
    expect(item).toMatchObject({ itemId: bin.items[0]!.id, assetId: ASSET, version: 1, path: v1, proxy: false });
  });

  it('importing the same version again finds the bin and the clip: no second bin, no second import', async () => {
    const { log, host, project, put } = setup();
    const v1 = put(1, 'Launch film.mp4', bytes.original);
    const first = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    log.clear();

    const again = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });

    expect(again.itemId).toBe(first.itemId);
    expect(sequence(log)).toEqual([]); // looked up only: no lock, no transaction, no import
    expect(log.named('FolderItem.getItems').length).toBeGreaterThan(0);
    expect(project.root.items).toHaveLength(1);
    expect((project.root.items[0] as unknown as { items: unknown[] }).items).toHaveLength(1);

    // Another version of the asset goes into the same bin, imported once.
    const v2 = put(2, 'Launch film.mp4', bytes.proxy);
    log.clear();
    await host.placeAsset({ path: v2, linked: true, assetId: ASSET, version: 2, binName: 'Brand Films' });
    expect(sequence(log)).toEqual([['Project.importFiles', [v2], true, 'Brand Films', false]]);
    expect((project.root.items[0] as unknown as { items: unknown[] }).items).toHaveLength(2);
  });

  it('the fake holds Premiere’s rules: no bin throws, imports duplicate, casts return null, actions need their own live lock scope', async () => {
    const { premiere, project, put } = setup();
    const v1 = put(1, 'Launch film.mp4', bytes.original);
    await expect(project.importFiles([v1], true, undefined, false)).rejects.toThrow('Illegal Parameter type');
    await project.importFiles([v1], true, project.root, false);
    await project.importFiles([v1], true, project.root, false);
    expect(project.root.items).toHaveLength(2); // Premiere does not de-duplicate
    const clip = project.root.items[0]!;
    expect(premiere.module.FolderItem.cast(clip as never)).toBeNull();
    expect(premiere.module.ClipProjectItem.cast(project.root as never)).toBeNull();

    expect(() => project.root.createBinAction('Outside', false)).toThrow('inside project.lockedAccess');
    let kept: unknown;
    project.lockedAccess(() => {
      kept = project.root.createBinAction('Kept', false);
    });
    expect(() => project.lockedAccess(() => project.executeTransaction((ca) => ca.addAction(kept), 'Late'))).toThrow('another lockedAccess scope');
    expect(() => project.lockedAccess((async () => {}) as never)).toThrow('must be synchronous');
    expect(project.root.items.filter((i) => i.name === 'Kept')).toHaveLength(0);
    // saveAs switches the open project to the copy (why check-in never uses it).
    await project.saveAs('/Users/editor/Projects/Copy.prproj');
    expect(premiere.active?.path).toBe('/Users/editor/Projects/Copy.prproj');
  });

  it('a refused transaction applies nothing and becomes an error naming the change', async () => {
    const { host, project, put, premiere } = setup();
    const v1 = put(1, 'Launch film.mp4', bytes.original);
    const item = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    // A marker that cannot exist (before 0) beside a good one: neither is added.
    await expect(
      host.media.syncMarkers(item.itemId, [
        { tag: 'ok', name: 'Fine', comments: 'fine', startSeconds: 1, durationSeconds: 0, resolved: false },
        { tag: 'bad', name: 'Bad', comments: 'bad', startSeconds: -1, durationSeconds: 0, resolved: false },
      ]),
    ).rejects.toThrow('Premiere Pro could not “Add review markers to Launch film.mp4”; nothing was changed.');
    const clip = (project.root.items[0] as unknown as { items: Array<{ markers: unknown[] }> }).items[0]!;
    expect(clip.markers).toHaveLength(0);
    expect(premiere.log.named('Project.executeTransaction.failed')).toHaveLength(1);
  });

  it('attaches the proxy with attachProxy(path, false) when it fits, and reconnects full resolution with isHiRes true', async () => {
    const { log, host, put, project } = setup();
    const original = put(1, 'Launch film.mp4', bytes.original);
    const proxy = put(1, 'Launch film.proxy.mp4', bytes.proxy);
    const item = await host.placeAsset({ path: original, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    log.clear();

    await host.media.attachProxy(item.itemId, proxy);
    expect(sequence(log)).toEqual([['ClipProjectItem.attachProxy', 'Launch film.mp4', proxy, false]]);
    expect(log.named('ClipProjectItem.attachProxy')[0]!.result).toBe(true);
    const clip = (project.root.items[0] as unknown as { items: Array<{ proxyPath: string | null; mediaPath: string }> }).items[0]!;
    expect(clip.proxyPath).toBe(proxy);

    // Imported as a proxy, then pointed at the full-resolution file.
    const proxyItem = await host.placeAsset({ path: proxy, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    expect(proxyItem.proxy).toBe(true);
    log.clear();
    await host.media.reconnectFullResolution(proxyItem.itemId, original);
    expect(sequence(log)).toEqual([['ClipProjectItem.attachProxy', 'Launch film.proxy.mp4', original, true]]);
  });

  it('a proxy that breaks Premiere’s rules is refused with a sentence (audio channels, frame rate, frame size, stills)', async () => {
    const { host, put } = setup();
    const original = put(1, 'Launch film.mp4', bytes.original);
    const item = await host.placeAsset({ path: original, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    for (const bad of ['stereoProxy', 'otherRateProxy', 'oddSizeProxy'] as const) {
      const proxy = put(1, `${bad}.proxy.mp4`, bytes[bad]);
      await expect(host.media.attachProxy(item.itemId, proxy)).rejects.toThrow(
        `Premiere Pro refused ${bad}.proxy.mp4 as the proxy of Launch film.mp4: frame rate, duration, audio channels and frame size must fit the original.`,
      );
    }
    const still = put(1, 'Poster.png', new Uint8Array([137, 80, 78, 71]));
    const stillItem = await host.placeAsset({ path: still, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    await expect(host.media.attachProxy(stillItem.itemId, put(1, 'x.proxy.mp4', bytes.proxy))).rejects.toThrow(
      'Poster.png cannot have a proxy in Premiere Pro',
    );
  });

  it('relinks a clip to a newer version with changeMediaFilePath, and refuses a missing file', async () => {
    const { log, host, put, project } = setup();
    const v1 = put(1, 'Launch film.mp4', bytes.original);
    const item = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    project.addSequence(
      'Spot 30s',
      [project.root.items[0] as never].flatMap((bin) => (bin as unknown as { items: never[] }).items),
    );
    const v2 = put(2, 'Launch film.mp4', bytes.original.slice());
    log.clear();

    const updated = await host.updatePlacement(item.itemId, v2, 2);
    expect(sequence(log)).toEqual([['ClipProjectItem.changeMediaFilePath', 'Launch film.mp4', v2, false]]);
    expect(updated).toMatchObject({ itemId: item.itemId, assetId: ASSET, version: 2, path: v2 });
    expect(await host.listPlacedAssets()).toEqual([
      { itemId: item.itemId, assetId: ASSET, version: 2, linked: true, path: v2, offline: false, proxy: false, sequences: ['Spot 30s'] },
    ]);

    await expect(host.updatePlacement(item.itemId, `${MEDIA}/${ASSET}/v3/Launch film.mp4`, 3)).rejects.toThrow(
      'Premiere Pro refused to relink Launch film.mp4',
    );
  });

  it('adds review markers in one transaction with durations and a tag, colours them in a second, and a second sync adds none', async () => {
    const { log, host, put, project } = setup();
    const v1 = put(1, 'Launch film.mp4', bytes.original);
    const item = await host.placeAsset({ path: v1, linked: true, assetId: ASSET, version: 1, binName: 'Brand Films' });
    const markers = [
      { tag: 'c1', name: 'Alice: logo too small', comments: 'Logo too small', startSeconds: 0.4, durationSeconds: 0.8, resolved: false },
      { tag: 'c2', name: '✓ Bob: fix the cut', comments: 'Fix the cut', startSeconds: 1.2, durationSeconds: 0, resolved: true },
    ];
    log.clear();

    expect(await host.media.syncMarkers(item.itemId, markers)).toBe(2);
    expect(sequence(log)).toEqual([
      ['Project.lockedAccess'],
      ['Markers.createAddMarkerAction', 'Launch film.mp4', 'Alice: logo too small', 'Comment', 0.4, 0.8, 'Logo too small\n[stockroom:c1]'],
      ['Markers.createAddMarkerAction', 'Launch film.mp4', '✓ Bob: fix the cut', 'Comment', 1.2, 0, 'Fix the cut\n[stockroom:c2]'],
      ['Project.executeTransaction', 'Add review markers to Launch film.mp4'],
      ['CompoundAction.addAction', expect.stringContaining('Alice: logo too small')],
      ['CompoundAction.addAction', expect.stringContaining('Bob: fix the cut')],
      ['Project.lockedAccess'],
      ['Marker.createSetColorByIndexAction', 'Alice: logo too small', 1],
      ['Marker.createSetColorByIndexAction', '✓ Bob: fix the cut', 0],
      ['Project.executeTransaction', 'Colour review markers of Launch film.mp4'],
      ['CompoundAction.addAction', expect.stringContaining('createSetColorByIndexAction')],
      ['CompoundAction.addAction', expect.stringContaining('createSetColorByIndexAction')],
    ]);
    const clip = (
      project.root.items[0] as unknown as {
        items: Array<{ markers: Array<{ start: { ticksNumber: number }; duration: { ticksNumber: number }; colorIndex: number }> }>;
      }
    ).items[0]!;
    expect(clip.markers.map((m) => [m.start.ticksNumber / TICKS_PER_SECOND, m.duration.ticksNumber / TICKS_PER_SECOND, m.colorIndex])).toEqual([
      [0.4, 0.8, 1],
      [1.2, 0, 0],
    ]);

    log.clear();
    expect(await host.media.syncMarkers(item.itemId, markers)).toBe(0);
    expect(sequence(log)).toEqual([]);
    expect(clip.markers).toHaveLength(2);
  });

  it('adds review markers to a sequence the same way, under the sequence’s name', async () => {
    const { log, host, project } = setup();
    project.addSequence('Launch Cut', []);
    const [sequence] = await host.media.listSequences();
    expect(sequence?.name).toBe('Launch Cut');
    log.clear();
    const spec = { tag: 's1', name: 'Bob: hold longer', comments: 'Hold longer', startSeconds: 2, durationSeconds: 1.5, resolved: false };
    expect(await host.media.syncSequenceMarkers(sequence!.id, [spec])).toBe(1);
    expect(sequence && sequence.id).toBe(project.sequences[0]!.guid.toString());
    expect(sequence_calls(log)).toEqual(['Add review markers to sequence Launch Cut', 'Colour review markers of sequence Launch Cut']);
    expect(project.sequences[0]!.markers.map((m) => [m.start.seconds, m.duration.seconds])).toEqual([[2, 1.5]]);
    expect(await host.media.syncSequenceMarkers(sequence!.id, [spec])).toBe(0);
  });

  it('checks in the project with save() and a copy into the plugin’s temp folder, never saveAs (which would switch the project)', async () => {
    const { log, host, project } = setup();
    project.edit(new Uint8Array([9, 9, 9, 9, 9]));
    expect((await host.getActiveDocument())?.saved).toBe(false); // the DIRTY event
    log.clear();

    const snapshot = await host.snapshotActiveDocument();
    expect(sequence(log)).toEqual([
      ['Project.save', '/Users/editor/Projects/Spring Spot.prproj'],
      ['fs.copyFile', 'file:/Users/editor/Projects/Spring Spot.prproj', `plugin-temp:/stockroom/checkin/${project.guid.toString()}.prproj`],
    ]);
    expect(await snapshot.read(0, snapshot.size)).toEqual(new Uint8Array([9, 9, 9, 9, 9]));
    await snapshot.close();
    expect(project.path).toBe('/Users/editor/Projects/Spring Spot.prproj');
    expect(await host.getActiveDocument()).toEqual({ id: project.path, name: 'Spring Spot', path: project.path, saved: true });
  });

  it('keeps the chosen media folder across restarts and writes downloads there piece by piece, under the final name only when complete', async () => {
    const { host, files, premiere, uxp, fs, picker } = setup({ pickFolder: null });
    expect(await host.media.mediaFolder()).toBeNull();
    expect(await host.media.chooseMediaFolder()).toBeNull(); // cancelled
    picker.pickFolder = MEDIA;
    expect(await host.media.chooseMediaFolder()).toBe(MEDIA);

    const restarted = new PremiereHost({ premierepro: premiere.module, uxp, fs });
    expect(await restarted.media.mediaFolder()).toBe(MEDIA);
    const writer = await restarted.cache.open!(ASSET, 4, 'Launch film.mp4');
    await writer.append(new Uint8Array([1, 2, 3]));
    await writer.close();
    expect(await restarted.cache.has(ASSET, 4, 'Launch film.mp4')).toBe(false);
    const resumed = await restarted.cache.open!(ASSET, 4, 'Launch film.mp4');
    expect(resumed.size).toBe(3);
    await resumed.append(new Uint8Array([4, 5]));
    expect(await resumed.commit()).toBe(`${MEDIA}/${ASSET}/v4/Launch film.mp4`);
    expect(files.files.get(fileUrl(`${MEDIA}/${ASSET}/v4/Launch film.mp4`))).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
    expect(files.files.has(fileUrl(`${MEDIA}/${ASSET}/v4/Launch film.mp4.part`))).toBe(false);
  });

  it('warns when the project’s ingest settings would make proxies of proxies', async () => {
    const { host, project } = setup();
    expect(await host.media.ingestWarning()).toBeNull();
    project.ingestEnabled = true;
    expect(await host.media.ingestWarning()).toMatch(/^Ingest is on in this project’s settings/);
  });
});
