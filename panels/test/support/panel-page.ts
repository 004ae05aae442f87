import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PanelController } from '@stockroom/panels-core';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';

/** The window property under which a browser preview exposes its panel. */
type PreviewHandle = 'stockroomPreview' | 'stockroomPremiere';

/** From now on every toast the panel shows is kept in `window.toastLog` (toasts go away after seconds). */
export async function recordToasts(page: Page, handle: PreviewHandle): Promise<void> {
  await page.evaluate((name) => {
    const { store } = (window as unknown as Record<string, { controller: PanelController }>)[name]!.controller;
    const seen: string[] = [];
    Object.assign(window, { toastLog: seen });
    store.subscribe(() => {
      for (const toast of store.get().toasts) if (!seen.includes(toast.message)) seen.push(toast.message);
    });
  }, handle);
}

export function toastLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { toastLog: string[] }).toastLog);
}

/** Signs the panel in with a pasted access token. */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.getByRole('button', { name: 'Use a token instead' }).click();
  await page.getByPlaceholder('Paste the token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** After a failed test, a screenshot of each page (`pages()`: suffix → page) in .tmp/panel-failures, named after the test. */
export function screenshotsOnFailure(prefix: string, pages: () => Record<string, Page | undefined>): void {
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    const dir = path.resolve(import.meta.dirname, '..', '..', '..', '.tmp', 'panel-failures');
    mkdirSync(dir, { recursive: true });
    const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const [suffix, page] of Object.entries(pages())) {
      await page?.screenshot({ path: path.join(dir, `${prefix}${name}${suffix}.png`) }).catch(() => {});
    }
  });
}
