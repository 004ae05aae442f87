import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { seriousAccessibilityViolations } from './library-fixture.ts';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let carol: TestUser;

const prisma = () => server.stockroom.database.prisma;

async function openUser(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Users & tokens' }).click();
  await page
    .getByRole('row', { name: new RegExp(name) })
    .getByRole('button')
    .first()
    .click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  carol = await server.createUser({ name: 'Carol Designer' });
  context = await launchBrowser();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.destroy();
});

describe('people in the dashboard', () => {
  it('changes a role after a confirmation, and Cancel changes nothing', async () => {
    await openUser('Carol Designer');
    const card = page.getByRole('region', { name: 'Carol Designer' });
    await card.getByLabel('Role').selectOption('admin');
    await card.getByRole('button', { name: 'Change role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Make Carol Designer an administrator?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).role).toBe('member');

    await card.getByLabel('Role').selectOption('admin');
    await card.getByRole('button', { name: 'Change role' }).click();
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await expect.poll(async () => (await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).role).toBe('admin');
    await card.getByText(/admin · since/).waitFor();
  });

  it('disables an account only after a confirmation', async () => {
    const card = page.getByRole('region', { name: 'Carol Designer' });
    await card.getByRole('button', { name: 'Disable' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable Carol Designer?' });
    expect(await dialog.textContent()).toContain('signed out everywhere');
    expect((await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).disabledAt).toBeNull();
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(async () => (await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).disabledAt).not.toBeNull();
    expect((await fetch(`${server.url}/api/admin/settings`, { headers: { authorization: `Bearer ${carol.token}` } })).status).toBe(401);
    await card.getByRole('button', { name: 'Re-enable' }).click();
    await expect.poll(async () => (await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).disabledAt).toBeNull();
  });

  it('copies a new token’s one-time secret, and revokes a token only after a confirmation', async () => {
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill('render farm');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token-secret').textContent())!;
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toBe(secret);

    await page.getByRole('button', { name: 'Revoke token render farm' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the token “render farm”?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await fetch(`${server.url}/api/admin/settings`, { headers: { authorization: `Bearer ${secret}` } })).status).not.toBe(401);
    await page.getByRole('button', { name: 'Revoke token render farm' }).first().click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(async () => (await fetch(`${server.url}/api/admin/settings`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  });

  it('refuses a token with no scope ticked, saying what to do', async () => {
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill('no scopes');
    for (const box of await form.getByRole('checkbox').all()) await box.uncheck();
    await form.getByRole('button', { name: 'Create token' }).click();
    await form
      .getByRole('alert')
      .getByText(/choose at least one scope/)
      .waitFor();
    expect(await prisma().apiToken.count({ where: { name: 'no scopes' } })).toBe(0);
    const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
    const reply = await socket.request('tokens.create', { name: 'no scopes', scopes: [] });
    // Leaving the scopes out is no way around the choice either.
    const omitted = await socket.request('tokens.create', { name: 'no scopes' });
    socket.close();
    for (const refused of [reply, omitted]) {
      expect(refused.error?.code).toBe('VALIDATION_FAILED');
      expect(refused.error?.message).toContain('choose at least one scope');
    }
    expect(await prisma().apiToken.count({ where: { name: 'no scopes' } })).toBe(0);
  });

  it('refuses common and trivial passwords with a message, and takes a strong one', async () => {
    await openUser('Carol Designer');
    const card = page.getByRole('region', { name: 'Carol Designer' });
    for (const weak of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'CarolDesigner2026']) {
      await card.getByRole('button', { name: 'Reset password' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reset Carol Designer’s password' });
      await dialog.getByLabel(/New password/).fill(weak);
      await dialog.getByRole('button', { name: 'Set password' }).click();
      await dialog
        .getByRole('alert')
        .getByText(/too easy to guess/)
        .waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect((await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).passwordHash, weak).toBeNull();
    }
    await card.getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset Carol Designer’s password' });
    await dialog.getByLabel(/New password/).fill('violet kettle orbit marsh 42');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(async () => (await prisma().user.findUniqueOrThrow({ where: { id: carol.id } })).passwordHash, { timeout: 5000 }).not.toBeNull();
  });

  it('has no critical or serious accessibility violations in either theme, and no console errors', async () => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });
});
