/**
 * The panel in a browser, on the real Photoshop adapter over fake `photoshop`/`uxp`/`fs`
 * modules that record every call (shown on the right, and on window.stockroomPreview
 * for tests). Query: ?theme=light|dark, ?doc=<name>|none, ?docBytes=<size>, ?uploadChunkKB=<size>, ?screenshot.
 */
import { fakeFileBytes, preparePreviewPage, previewController, previewParams, renderPreviewPanel, showHostCalls } from '@stockroom/panels-core/preview';
import { CallLog, FakeFileSystem, FakePhotoshop, fakeSecureStorage, fakeUxpModule } from '../src/fake/index.ts';
import { PhotoshopHost } from '../src/host/photoshop-host.ts';
import { PLUGIN_VERSION } from '../src/version.ts';
import type {} from './window.ts';

preparePreviewPage();

const log = new CallLog();
const files = new FakeFileSystem(log);
const photoshop = new FakePhotoshop(log, files);
const documentBytes = (size: number) => fakeFileBytes(size, 2463534242);
const docName = previewParams.get('doc') ?? 'Poster.psd';
if (docName !== 'none') photoshop.newDocument(docName, documentBytes(Number(previewParams.get('docBytes') ?? 64 * 1024)));

const host = new PhotoshopHost({
  photoshop: photoshop.module,
  uxp: fakeUxpModule(files, fakeSecureStorage(log, window.localStorage), '8.1.0'),
  fs: files.fs,
});
const controller = previewController(host, PLUGIN_VERSION);

window.stockroomPreview = { log, files, photoshop, host, controller, documentBytes };
showHostCalls(() => log.calls, { shown: (call) => !call.api.startsWith('fs.'), modalLabel: 'modal' });
renderPreviewPanel(controller);
