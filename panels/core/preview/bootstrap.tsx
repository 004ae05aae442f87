/**
 * What every host's browser preview does around its fake host: the host theme, upload
 * bodies the browser can stream, fake file bytes, the pane of recorded host calls, and
 * the panel itself. Each host's preview/main.tsx keeps only its fakes and its adapter.
 */
import { PanelApp, PanelController, type HostAdapter } from '@stockroom/panels-core';
import '@stockroom/panels-core/styles.css';
import { createRoot } from 'react-dom/client';
import { applyHostTheme } from './theme.ts';

export const previewParams = new URLSearchParams(location.search);

/** Theme, screenshot mode and streamed upload bodies; call before anything renders. */
export function preparePreviewPage(): void {
  // Under Playwright, DevTools' network domain copies every request body sent as bytes,
  // which made uploads here about ten times slower than in a browser without it (48 MB:
  // 11 s against 0.4 s, docs/panels.md); a Blob body is streamed without that copy. Only
  // the preview does this: the panel itself sends the same bytes as before.
  const sendRequest = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function send(body?: Document | XMLHttpRequestBodyInit | null) {
    sendRequest.call(this, ArrayBuffer.isView(body) ? new Blob([body as Uint8Array<ArrayBuffer>]) : body);
  };
  applyHostTheme(previewParams.get('theme') === 'light' ? 'light' : 'dark');
  if (previewParams.has('screenshot')) document.body.classList.add('screenshot');
}

/** Bytes of a fake file: varied enough that a stuck or repeated chunk changes the SHA-256 (xorshift from `seed`). */
export function fakeFileBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

interface RecordedCall {
  api: string;
  args: unknown;
  modal?: boolean;
}

/** The last 40 host calls in the page's #calls pane (not in screenshots); `shown` filters out the noisy ones. */
export function showHostCalls(calls: () => readonly RecordedCall[], options: { shown: (call: RecordedCall) => boolean; modalLabel: string }): void {
  const pane = document.getElementById('calls');
  if (!pane || previewParams.has('screenshot')) return;
  setInterval(() => {
    pane.textContent = calls()
      .filter(options.shown)
      .slice(-40)
      .map((call) => `${call.modal ? `[${options.modalLabel}] ` : ''}${call.api} ${JSON.stringify(call.args)}`)
      .join('\n');
  }, 500);
}

/** The panel's controller on `host`, against the page's own origin, with ?uploadChunkKB= honoured. */
export function previewController(host: HostAdapter, pluginVersion: string): PanelController {
  const chunkKB = previewParams.get('uploadChunkKB');
  return new PanelController({
    host,
    pluginVersion,
    settings: window.localStorage,
    defaultServerUrl: location.origin,
    ...(chunkKB ? { uploadChunkBytes: Number(chunkKB) * 1024 } : {}),
  });
}

export function renderPreviewPanel(controller: PanelController): void {
  createRoot(document.getElementById('root')!).render(<PanelApp controller={controller} />);
}
