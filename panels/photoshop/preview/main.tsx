/**
 * The panel in a browser, on the real Photoshop adapter over fake `photoshop`/`uxp`/`fs`
 * modules that record every call (shown on the right, and on window.stockroomPreview
 * for tests). Query: ?theme=light|dark, ?doc=<name>|none, ?docBytes=<size>, ?uploadChunkKB=<size>, ?screenshot.
 */
import { PanelApp, PanelController } from '@stockroom/panels-core';
import '@stockroom/panels-core/styles.css';
import { createRoot } from 'react-dom/client';
import { CallLog, FakeFileSystem, FakePhotoshop, fakeSecureStorage, fakeUxpModule } from '../src/fake/index.ts';
import { PhotoshopHost } from '../src/host/photoshop-host.ts';
import { PLUGIN_VERSION } from '../src/version.ts';
import { applyHostTheme } from './theme.ts';
import type {} from './window.ts';

const params = new URLSearchParams(location.search);

// Under Playwright, DevTools' network domain copies every request body sent as bytes,
// which made uploads here about ten times slower than in a browser without it (48 MB:
// 11 s against 0.4 s, docs/panels.md); a Blob body is streamed without that copy. Only
// the preview does this: the panel itself sends the same bytes as before.
const sendRequest = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function send(body?: Document | XMLHttpRequestBodyInit | null) {
  sendRequest.call(this, ArrayBuffer.isView(body) ? new Blob([body as Uint8Array<ArrayBuffer>]) : body);
};
applyHostTheme(params.get('theme') === 'light' ? 'light' : 'dark');
if (params.has('screenshot')) document.body.classList.add('screenshot');

const log = new CallLog();
const files = new FakeFileSystem(log);
const photoshop = new FakePhotoshop(log, files);
const docName = params.get('doc') ?? 'Poster.psd';
if (docName !== 'none') photoshop.newDocument(docName, documentBytes(Number(params.get('docBytes') ?? 64 * 1024)));

const host = new PhotoshopHost({
  photoshop: photoshop.module,
  uxp: fakeUxpModule(files, fakeSecureStorage(log, window.localStorage), '8.1.0'),
  fs: files.fs,
});
const controller = new PanelController({
  host,
  pluginVersion: PLUGIN_VERSION,
  settings: window.localStorage,
  defaultServerUrl: location.origin,
  ...(params.has('uploadChunkKB') ? { uploadChunkBytes: Number(params.get('uploadChunkKB')) * 1024 } : {}),
});

/** Bytes of a fake document: varied enough that a stuck or repeated chunk changes the SHA-256. */
function documentBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = 2463534242;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

window.stockroomPreview = { log, files, photoshop, host, controller, documentBytes };

const callsPane = document.getElementById('calls');
if (callsPane && !params.has('screenshot')) {
  const render = () => {
    callsPane.textContent = log.calls
      .filter((call) => !call.api.startsWith('fs.'))
      .slice(-40)
      .map((call) => `${call.modal ? '[modal] ' : ''}${call.api} ${JSON.stringify(call.args)}`)
      .join('\n');
  };
  setInterval(render, 500);
}

createRoot(document.getElementById('root')!).render(<PanelApp controller={controller} />);
