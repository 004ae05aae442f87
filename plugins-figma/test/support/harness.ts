import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { Call, FakeFigma } from '../../fake/index.ts';
import { buildPlugin, type BuiltPlugin } from '../../scripts/build-plugin.ts';
import { contentSecurityPolicy } from '../../scripts/manifest.ts';
import { makeTempDir } from '../../../bridge-server/test/support/temp-dir.ts';

declare global {
  interface Window {
    fake: FakeFigma;
    StockroomFake: typeof import('../../fake/index.ts');
  }
}

/** The fake figma global, bundled for the page that plays Figma. */
export async function bundleFake(): Promise<string> {
  const out = await build({
    entryPoints: [path.resolve(import.meta.dirname, '..', '..', 'fake', 'index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'StockroomFake',
    target: 'es2022',
  });
  return out.outputFiles[0]!.text;
}

/** The plugin built for a bridge on this machine: the manifest's devAllowedDomains name it, as when developing. */
export async function buildForServer(port: number): Promise<BuiltPlugin> {
  const url = `http://localhost:${port}`;
  return buildPlugin({ serverUrl: url, devServerUrl: url, outDir: makeTempDir('figma-plugin') });
}

export interface FigmaWindow {
  page: Page;
  /** The plugin's UI iframe (sandboxed, origin null). */
  ui(): Frame;
  calls(api?: string): Promise<Call[]>;
  snapshot(): Promise<ReturnType<FakeFigma['snapshot']>>;
  /** Console errors and uncaught errors of the main code and the UI. */
  problems: string[];
}

/**
 * A page that plays Figma: the built main-thread code runs against the fake figma
 * global, and figma.showUI loads the built ui.html into `<iframe sandbox="allow-scripts"
 * srcdoc=…>` with the Content-Security-Policy of the manifest's network access.
 * Messages are relayed as Figma does: pluginMessage both ways, pluginDrop to the canvas.
 */
export async function openFigma(
  context: BrowserContext,
  plugin: BuiltPlugin,
  fakeBundle: string,
  options: { command?: string; clientStorage?: Record<string, unknown>; prepare?: (page: Page) => Promise<void> } = {},
): Promise<FigmaWindow> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.setContent(
    '<!doctype html><html><head><title>Figma</title></head><body style="margin:0;background:#1e1e1e"><iframe id="ui" sandbox="allow-scripts" style="width:380px;height:640px;border:0;display:block"></iframe></body></html>',
  );
  await page.addScriptTag({ content: fakeBundle });
  await page.evaluate(
    ({ html, csp, relaunchCommands, command, clientStorage }) => {
      const iframe = document.getElementById('ui') as HTMLIFrameElement;
      const fake = window.StockroomFake.createFakeFigma({
        relaunchCommands,
        command,
        clientStorage,
        deliverToUi: (message) => iframe.contentWindow!.postMessage({ pluginMessage: message }, '*'),
        showUi: (ui) => {
          iframe.srcdoc = ui.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${csp}">`);
        },
      });
      window.fake = fake;
      Object.assign(window, { figma: fake.api, __html__: html });
      window.addEventListener('message', (event) => {
        if (event.source !== iframe.contentWindow) return;
        const data = event.data as { pluginMessage?: unknown; pluginDrop?: { clientX: number; clientY: number; dropMetadata?: unknown } };
        // A drop lands where the pointer is on the canvas: the iframe sits at the window's left edge.
        if (data.pluginDrop) fake.drop(data.pluginDrop);
        else if (data.pluginMessage !== undefined) fake.receiveFromUi(data.pluginMessage);
      });
    },
    {
      html: plugin.uiHtml,
      csp: contentSecurityPolicy(plugin.manifest),
      relaunchCommands: plugin.manifest.relaunchButtons.map((b) => b.command),
      command: options.command ?? '',
      clientStorage: options.clientStorage ?? {},
    },
  );
  await options.prepare?.(page);
  await page.addScriptTag({ content: plugin.code });
  const ui = () => {
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('the plugin UI has not been shown');
    return frame;
  };
  return {
    page,
    ui,
    calls: (api) =>
      answered(
        `reading the fake's ${api ?? 'calls'}`,
        page.evaluate((name) => window.fake.log.calls.filter((c) => name === undefined || c.api === name), api),
      ),
    snapshot: () =>
      answered(
        "reading the fake's document",
        page.evaluate(() => window.fake.snapshot()),
      ),
    problems,
  };
}

/** page.evaluate has no timeout of its own: a page that stopped answering fails the test by name instead of hanging it. */
function answered<T>(what: string, evaluation: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The page playing Figma did not answer within ${ms / 1000} s while ${what}.`)), ms);
  });
  return Promise.race([evaluation, timeout]).finally(() => clearTimeout(timer));
}
