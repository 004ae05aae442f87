import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';

/**
 * The main entry bundled for browsers, run in a real Chromium against the real bridge.
 * The page is served at the bridge's own origin (intercepted by Playwright), as the
 * dashboard is, so uploads need no CORS.
 */
const root = path.join(import.meta.dirname, '..', '..');
const PAGE_PATH = '/__bridge_client_test__.html';

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
  await context.route(`${server.url}${PAGE_PATH}`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><script>${bundle.replace(/<\/script/g, '<\\/script')}</script>` }),
  );
});

afterAll(async () => {
  await context?.close();
  await server?.destroy();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}${PAGE_PATH}`);
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
        const event = new Promise<string>((resolve) => client.on('client.connected', (d: any) => resolve(d.client.client.app)));
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
});
