import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { DASHBOARD_DIST } from '../../src/http/dashboard.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const DASHBOARD_ROOT = path.join(DASHBOARD_DIST, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  let built = 0;
  try {
    built = statSync(path.join(DASHBOARD_DIST, 'index.html')).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(
    newestMtime(path.join(DASHBOARD_ROOT, 'src')),
    statSync(path.join(DASHBOARD_ROOT, 'index.html')).mtimeMs,
    statSync(path.join(DASHBOARD_ROOT, 'vite.config.ts')).mtimeMs,
  );
  return built > sources;
}

/**
 * Builds the dashboard when it is missing or older than its sources (the set-up normally
 * builds it). Test files run in parallel processes: a lock folder lets one build while
 * the others wait for it.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  if (isFresh()) return;
  const lock = path.join(DASHBOARD_ROOT, '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the dashboard build lock ${lock} is held for too long; remove it if no build runs`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (!isFresh()) await build({ configFile: path.join(DASHBOARD_ROOT, 'vite.config.ts'), logLevel: 'error' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `locale` sets the browser's language (navigator.language, Intl's default), e.g. de-DE. */
export async function launchBrowser(options: { locale?: string } = {}): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(makeTempDir('chromium'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    ...(options.locale ? { locale: options.locale } : {}),
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Every console error and uncaught page error, with the page it happened on. */
export function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: page error: ${error.message}`));
  return problems;
}

export const ADMIN_PASSWORD = 'dashboard admin password 1';

/** Whether the server has the cookie-session sign-in (docs/protocol.md, "Sign-in"). */
export async function passwordSignInAvailable(serverUrl: string): Promise<boolean> {
  return (await fetch(`${serverUrl}/auth/providers`)).ok;
}

/** Signs in on the dashboard's sign-in page: e-mail and password where the server has them, else the admin API token. */
export async function signIn(page: Page, server: { url: string; adminToken: string; adminEmail: string }): Promise<void> {
  await page.goto(`${server.url}/admin/`);
  await page.getByRole('heading', { name: 'Sign in to Stockroom admin' }).waitFor();
  if (await passwordSignInAvailable(server.url)) {
    await page.getByLabel('E-mail').fill(server.adminEmail);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  } else {
    await page.getByLabel('API token').fill(server.adminToken);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}
