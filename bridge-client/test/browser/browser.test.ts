import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';
import { BridgeClient } from '../../src/index.ts';

/**
 * The main entry bundled for browsers, run in a real Chromium against the real bridge.
 * The page is served at the bridge's own origin (intercepted by Playwright), as the
 * dashboard is, so uploads need no CORS.
 */
const root = path.join(import.meta.dirname, '..', '..');
const PAGE_PATH = '/__bridge_client_test__.html';
const MiB = 1024 * 1024;

let server: TestServer;
let context: BrowserContext;
let profileDir: string;
let bundle: string;

beforeAll(async () => {
  server = await startTestServer();
  const built = await build({
    entryPoints: [path.join(root, 'src', 'index.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'StockroomBridge',
    target: 'es2022',
    logLevel: 'silent',
  });
  bundle = built.outputFiles[0]!.text;
  profileDir = mkdtempSync(path.join(tmpdir(), 'bridge-client-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A page fulfilled by Playwright has no known address space, so Chromium would
      // block its requests to loopback as "local network access".
      '--disable-features=LocalNetworkAccessChecks',
    ],
  });
});

afterAll(async () => {
  await context?.close();
  await server?.destroy();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

const pageUrl = () => `${server.url}${PAGE_PATH}`;

/** Serves the test page at `url` while `load` runs, so the page's own requests reach the bridge untouched. */
async function withTestPage<T>(load: () => Promise<T>, url = pageUrl()): Promise<T> {
  const html = `<!doctype html><meta charset="utf-8"><script>${bundle.replace(/<\/script/g, '<\\/script')}</script>`;
  await context.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  try {
    return await load();
  } finally {
    await context.unroute(url);
  }
}

async function openPage(url = pageUrl()): Promise<Page> {
  const page = await context.newPage();
  await withTestPage(() => page.goto(url), url);
  return page;
}

describe('the client in Chromium', () => {
  it('connects with the browser WebSocket, calls typed methods and receives events', async () => {
    const page = await openPage();
    const outcome = await page.evaluate(
      async ({ serverUrl, token }) => {
        const { BridgeClient, StockroomError } = (globalThis as any).StockroomBridge;
        const client = new BridgeClient({ serverUrl, token, client: { app: 'dashboard', appVersion: 'test' } });
        const states: string[] = [];
        client.onStateChange((s: string) => states.push(s));
        const hello = await client.connect();
        const whoami = await client.call('session.whoami');
        let code = '';
        try {
          await client.call('assets.get', { id: crypto.randomUUID() });
        } catch (error) {
          code = error instanceof StockroomError ? (error as any).code : 'not a StockroomError';
        }
        await client.subscribe(['client.connected']);
        // Its own connection's event may still be on the way; wait for the other client's.
        const event = new Promise<string>((resolve) =>
          client.on('client.connected', (d: any) => {
            if (d.client.client.app !== 'dashboard') resolve(d.client.client.app);
          }),
        );
        const other = new BridgeClient({ serverUrl, token, client: { app: 'figma' } });
        await other.connect();
        const app = await event;
        other.close();
        client.close();
        return { role: hello.user.role, app: whoami.client.app, code, eventApp: app, states };
      },
      { serverUrl: server.url, token: server.adminToken },
    );
    expect(outcome).toEqual({ role: 'admin', app: 'dashboard', code: 'NOT_FOUND', eventApp: 'figma', states: ['connecting', 'open', 'closed'] });
    await page.close();
  });

  it('uploads a Blob hashed in the page; an aborted upload resumes after a page reload (localStorage)', async () => {
    const bytes = randomBytes(2 * MiB + 11);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const page = await openPage();
    // The page rebuilds the same bytes from base64 on each side of the reload.
    const base64 = bytes.toString('base64');
    const abortAt = MiB;
    const first = await page.evaluate(
      async ({ serverUrl, token, base64, abortAt }) => {
        const { BridgeClient } = (globalThis as any).StockroomBridge;
        const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const file = new File([data], 'poster.bin', { type: 'application/octet-stream' });
        const client = new BridgeClient({ serverUrl, token, client: { app: 'web' }, upload: { chunkSize: 512 * 1024 } });
        const controller = new AbortController();
        try {
          await client.upload(file, {
            signal: controller.signal,
            onProgress: (sent: number) => {
              if (sent >= abortAt) controller.abort(new Error('stop'));
            },
          });
          return { aborted: false, keys: [] as string[] };
        } catch (error) {
          const keys = Object.keys((globalThis as any).localStorage).filter((k) => k.startsWith('tus::'));
          return { aborted: (error as Error).message === 'stop', keys, message: String((error as Error).message) };
        }
      },
      { serverUrl: server.url, token: server.adminToken, base64, abortAt },
    );
    expect(first).toEqual({ aborted: true, keys: first.keys, message: 'stop' });
    expect(first.keys).toHaveLength(1);

    await withTestPage(() => page.reload());
    const second = await page.evaluate(
      async ({ serverUrl, token, base64 }) => {
        const { BridgeClient } = (globalThis as any).StockroomBridge;
        const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const file = new File([data], 'poster.bin', { type: 'application/octet-stream' });
        const client = new BridgeClient({ serverUrl, token, client: { app: 'web' }, upload: { chunkSize: 512 * 1024 } });
        const progress: number[] = [];
        const result = await client.upload(file, { onProgress: (sent: number) => progress.push(sent) });
        await client.connect();
        const asset = await client.call('assets.create', { uploadId: result.uploadId, name: 'Poster' });
        client.close();
        const keys = Object.keys((globalThis as any).localStorage).filter((k) => k.startsWith('tus::'));
        return { result, head: asset.head, lastProgress: progress.at(-1), keys };
      },
      { serverUrl: server.url, token: server.adminToken, base64 },
    );
    expect(second.result.sha256).toBe(expected);
    // Progress reached 1 MiB during the second chunk, so at least the first (512 KiB) was stored.
    expect(second.result.resumedFrom).toBeGreaterThanOrEqual(MiB / 2);
    expect(second.result.bytesSent).toBeLessThan(bytes.length);
    expect(second.lastProgress).toBe(bytes.length);
    expect(second.head).toMatchObject({ sha256: expected, size: bytes.length, originalName: 'poster.bin' });
    expect(second.keys).toHaveLength(0);
    await page.close();
  });

  it('uploads from a page of another origin (a plugin UI): CORS preflight with the Authorization header', async () => {
    const page = await openPage('http://plugin-ui.test/index.html');
    const bytes = randomBytes(300_000);
    const outcome = await page.evaluate(
      async ({ serverUrl, token, base64 }) => {
        const { BridgeClient } = (globalThis as any).StockroomBridge;
        const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const client = new BridgeClient({ serverUrl, token, client: { app: 'figma' } });
        const result = await client.upload(new Blob([data], { type: 'image/svg+xml' }), { fileName: 'icon.svg' });
        return { origin: (globalThis as any).location.origin, sha256: result.sha256, uploadId: result.uploadId };
      },
      { serverUrl: server.url, token: server.adminToken, base64: bytes.toString('base64') },
    );
    expect(outcome.origin).toBe('http://plugin-ui.test');
    expect(outcome.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const node = new BridgeClient({ serverUrl: server.url, token: server.adminToken, client: { app: 'script' }, WebSocket });
    try {
      await node.connect();
      const asset = await node.call('assets.create', { uploadId: outcome.uploadId });
      expect(asset.head).toMatchObject({ sha256: outcome.sha256, originalName: 'icon.svg', mimeType: 'image/svg+xml' });
    } finally {
      node.close();
    }
    await page.close();
  });
});
