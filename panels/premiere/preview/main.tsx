/**
 * The panel in a browser, on the real Premiere adapter over fake `premierepro`/`uxp`/`fs`
 * modules that record every call (shown on the right, and on window.stockroomPremiere
 * for tests). Query: ?theme=light|dark, ?project=<native path>|none, ?mediaFolder=<path>|none,
 * ?uploadChunkKB=<size>, ?screenshot.
 */
import { fakeFileBytes, preparePreviewPage, previewController, previewParams, renderPreviewPanel, showHostCalls } from '@stockroom/panels-core/preview';
import { CallLog, FakeFileSystem, FakePremiere, fakePremiereFs, fakePremiereUxp } from '../src/fake/index.ts';
import { PremiereHost } from '../src/host/premiere-host.ts';
import { PLUGIN_VERSION } from '../src/version.ts';
import type {} from './window.ts';

preparePreviewPage();

const log = new CallLog();
const files = new FakeFileSystem(log);
const premiere = new FakePremiere(log, files);
const projectBytes = (size: number) => fakeFileBytes(size, 88172645);
const projectPath = previewParams.get('project') ?? '/Users/editor/Projects/Spring Spot.prproj';
if (projectPath !== 'none') premiere.newProject(projectPath, projectBytes(32 * 1024));
const folder = previewParams.get('mediaFolder') ?? '/Users/editor/Stockroom Media';
const picker = { pickFolder: folder === 'none' ? null : folder };

const host = new PremiereHost({
  premierepro: premiere.module,
  uxp: fakePremiereUxp(files, picker, window.localStorage, '26.0.0'),
  fs: fakePremiereFs(files),
});
const controller = previewController(host, PLUGIN_VERSION);

window.stockroomPremiere = { log, files, premiere, host, controller, picker, projectBytes };
showHostCalls(() => log.calls, {
  shown: (call) => !call.api.startsWith('fs.') && !/getId|getItems|cast|getMediaFilePath/.test(call.api),
  modalLabel: 'locked',
});
renderPreviewPanel(controller);
