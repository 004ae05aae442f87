/**
 * The panel in a browser, on the real Premiere adapter over fake `premierepro`/`uxp`/`fs`
 * modules that record every call (shown on the right, and on window.stockroomPremiere
 * for tests). Query: ?theme=light|dark, ?project=<native path>|none, ?mediaFolder=<path>|none,
 * ?uploadChunkKB=<size>, ?screenshot.
 */
import { PanelApp, PanelController } from '@stockroom/panels-core';
import '@stockroom/panels-core/styles.css';
import { createRoot } from 'react-dom/client';
import { applyHostTheme } from '../../photoshop/preview/theme.ts';
import { CallLog, FakeFileSystem, FakePremiere, fakePremiereFs, fakePremiereUxp } from '../src/fake/index.ts';
import { PremiereHost } from '../src/host/premiere-host.ts';
import { PLUGIN_VERSION } from '../src/version.ts';
import type {} from './window.ts';

const params = new URLSearchParams(location.search);

// As in the Photoshop preview: a Blob body keeps DevTools (under Playwright) from copying
// every uploaded byte; the panel itself sends the same bytes either way.
const sendRequest = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function send(body?: Document | XMLHttpRequestBodyInit | null) {
  sendRequest.call(this, ArrayBuffer.isView(body) ? new Blob([body as Uint8Array<ArrayBuffer>]) : body);
};
applyHostTheme(params.get('theme') === 'light' ? 'light' : 'dark');
if (params.has('screenshot')) document.body.classList.add('screenshot');

const log = new CallLog();
const files = new FakeFileSystem(log);
const premiere = new FakePremiere(log, files);
const projectPath = params.get('project') ?? '/Users/editor/Projects/Spring Spot.prproj';
if (projectPath !== 'none') premiere.newProject(projectPath, projectBytes(32 * 1024));
const folder = params.get('mediaFolder') ?? '/Users/editor/Stockroom Media';
const picker = { pickFolder: folder === 'none' ? null : folder };

const host = new PremiereHost({
  premierepro: premiere.module,
  uxp: fakePremiereUxp(files, picker, window.localStorage, '26.0.0'),
  fs: fakePremiereFs(files),
});
const controller = new PanelController({
  host,
  pluginVersion: PLUGIN_VERSION,
  settings: window.localStorage,
  defaultServerUrl: location.origin,
  ...(params.has('uploadChunkKB') ? { uploadChunkBytes: Number(params.get('uploadChunkKB')) * 1024 } : {}),
});

/** Bytes of a fake project file: varied enough that a stuck or repeated chunk changes the SHA-256. */
function projectBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = 88172645;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

window.stockroomPremiere = { log, files, premiere, host, controller, picker, projectBytes };

const callsPane = document.getElementById('calls');
if (callsPane && !params.has('screenshot')) {
  setInterval(() => {
    callsPane.textContent = log.calls
      .filter((call) => !call.api.startsWith('fs.') && !/getId|getItems|cast|getMediaFilePath/.test(call.api))
      .slice(-40)
      .map((call) => `${call.modal ? '[locked] ' : ''}${call.api} ${JSON.stringify(call.args)}`)
      .join('\n');
  }, 500);
}

createRoot(document.getElementById('root')!).render(<PanelApp controller={controller} />);
