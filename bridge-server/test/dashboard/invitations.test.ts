import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startTestServer, type TestServer, type TestUser } from '../support/server.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('invitation-screenshots');
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { seedPictures, seriousAccessibilityViolations } from './library-fixture.ts';

let server: TestServer;
let context: BrowserContext;
let invitee: BrowserContext;
let page: Page;
let problems: string[];
let carol: TestUser;
let privateAsset: string;
let collectionName: string;

const prisma = () => server.stockroom.database.prisma;

async function openPeople(): Promise<void> {
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Users & tokens' }).click();
  await page.getByRole('heading', { level: 2, name: 'Invitations' }).waitFor();
}

async function invite(email: string, role: 'admin' | 'member'): Promise<string> {
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Role').selectOption(role);
  const link = page.getByTestId('invitation-link');
  const before = (await link.count()) > 0 ? await link.textContent() : null;
  await form.getByRole('button', { name: 'Create invitation link' }).click();
  await page.getByRole('status').getByText(`Send this link to ${email}.`, { exact: false }).waitFor();
  await expect.poll(async () => await link.textContent()).not.toBe(before);
  const text = (await link.textContent())!;
  expect(text).toMatch(/\/admin\/invite#inv_/);
  return text;
}

/** Status of a bearer-token REST read of the asset in the private collection. */
async function carolReads(): Promise<number> {
  return (await fetch(`${server.url}/api/assets/${privateAsset}`, { headers: { authorization: `Bearer ${carol.token}` } })).status;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  carol = await server.createUser({ name: 'Carol Designer' });
  const admin = await prisma().user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  const collection = await socket.call('collections.create', { name: 'Embargoed launch' });
  socket.close();
  collectionName = collection.name;
  privateAsset = (await seedPictures(server, admin.id, server.adminToken, [{ name: 'launch-key-visual.jpg', collectionId: collection.id, seed: 41 }]))[0]!;
  context = await launchBrowser();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
  invitee = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await invitee?.close();
  await context?.close();
  await server?.destroy();
});

describe('invitations', () => {
  it('an administrator creates a one-time link; the invitee chooses a name and a strong password, then signs in', async () => {
    await openPeople();
    await page.getByText('No invitations yet.').waitFor();
    const link = await invite('dana@example.test', 'admin');
    await page.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toBe(link);
    await page.getByRole('row', { name: /dana@example\.test admin waiting/ }).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.getByRole('heading', { level: 2, name: 'Invitations' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-invitations.png') });
    // Only the secret's hash is stored.
    const stored = await prisma().invitation.findFirstOrThrow({ where: { email: 'dana@example.test' } });
    expect(link).not.toContain(stored.tokenHash);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const tab = await invitee.newPage();
    const inviteeProblems = recordProblems(tab);
    await tab.goto(link);
    await tab.getByText('You were invited as dana@example.test (administrator)').waitFor();
    expect(await seriousAccessibilityViolations(tab)).toEqual([]);
    await tab.getByLabel('Your name').fill('Dana Producer');
    for (const weak of ['aaaaaaaaaaaa', 'DanaProducer2026']) {
      await tab.getByLabel(/^Password \(at least/).fill(weak);
      await tab.getByLabel('Password again').fill(weak);
      await tab.getByRole('button', { name: 'Create my account' }).click();
      await tab
        .getByRole('alert')
        .getByText(/too easy to guess/)
        .waitFor();
      expect(await prisma().user.count({ where: { email: 'dana@example.test' } }), weak).toBe(0);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    await tab.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-invitation-weak-password.png') });
    await tab.getByLabel(/^Password \(at least/).fill('harbour violet tandem 58');
    await tab.getByLabel('Password again').fill('harbour violet tandem 58');
    await tab.getByRole('button', { name: 'Create my account' }).click();
    await tab.getByRole('heading', { name: 'Your account is ready' }).waitFor();
    expect(new URL(tab.url()).hash).toBe('');
    const dana = await prisma().user.findUniqueOrThrow({ where: { email: 'dana@example.test' } });
    expect(dana).toMatchObject({ name: 'Dana Producer', role: 'admin' });
    expect(dana.passwordHash).toMatch(/^\$argon2id\$/);

    await tab.getByRole('link', { name: 'Go to sign-in' }).click();
    await tab.getByLabel('E-mail').fill('dana@example.test');
    await tab.getByLabel('Password').fill('harbour violet tandem 58');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await tab.getByText('Dana Producer').first().waitFor();

    // The link works once.
    await tab.goto(link);
    await tab.getByRole('alert').getByText('This invitation link was used already.', { exact: false }).waitFor();
    // The refused weak passwords (400) and the used link (409) are answers the page shows; nothing else may fail.
    expect(inviteeProblems.filter((p) => !/status of (400|409)/.test(p))).toEqual([]);
    await tab.close();
    await page.reload();
    await page.getByRole('row', { name: /dana@example\.test admin accepted/ }).waitFor();
  });

  it('a member’s link signs up a member who can sign in; an expired or withdrawn link is refused', async () => {
    const memberLink = await invite('erin@example.test', 'member');
    const token = new URL(memberLink).hash.slice(1);
    const accept = (body: object) =>
      fetch(`${server.url}/auth/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, ...body }),
      });
    const ok = await accept({ name: 'Erin Editor', password: 'quartz meadow lantern 19' });
    expect(ok.status).toBe(200);
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'erin@example.test', password: 'quartz meadow lantern 19' }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: unknown }).user).toMatchObject({ name: 'Erin Editor', role: 'member' });
    const again = await accept({ name: 'Somebody else', password: 'another strong phrase 77' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: unknown }).error).toMatchObject({ code: 'CONFLICT', data: { reason: 'used' } });

    // Two tabs accepting one link at the same moment: one account, the other told the link was used.
    const socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
    const raced = new URL((await socket.call('invitations.create', { email: 'hana@example.test' })).link, server.url).hash.slice(1);
    socket.close();
    const answers = await Promise.all(
      ['Hana One', 'Hana Two'].map((name) =>
        fetch(`${server.url}/auth/invitations/accept`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: raced, name, password: 'saffron glacier pivot 31' }),
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await prisma().user.count({ where: { email: 'hana@example.test' } })).toBe(1);

    const lateLink = await invite('frank@example.test', 'member');
    await prisma().invitation.updateMany({ where: { email: 'frank@example.test' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const tab = await invitee.newPage();
    await tab.goto(lateLink);
    await tab.getByRole('alert').getByText('This invitation link has expired.', { exact: false }).waitFor();

    const withdrawnLink = await invite('gina@example.test', 'member');
    await page.getByRole('button', { name: 'Withdraw the invitation of gina@example.test' }).click();
    await page.getByRole('dialog', { name: 'Withdraw the invitation of gina@example.test?' }).getByRole('button', { name: 'Withdraw' }).click();
    await page.getByRole('row', { name: /gina@example\.test member withdrawn/ }).waitFor();
    await tab.goto(withdrawnLink);
    await tab.getByRole('alert').getByText('This invitation link is not valid', { exact: false }).waitFor();
    await tab.close();
    expect(await prisma().user.count({ where: { email: { in: ['frank@example.test', 'gina@example.test'] } } })).toBe(0);
  });
});

describe('group membership', () => {
  it('adds a person to a group whose grant then gives them access, and removes them after a confirmation', async () => {
    expect(await carolReads()).toBe(404);
    await openPeople();
    await page.getByLabel('New group').fill('Launch team');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.locator('summary', { hasText: 'Launch team' }).click();
    const members = page.getByRole('region', { name: 'Members of Launch team' });
    await members.getByText('Nobody is in this group yet.').waitFor();
    await members.getByLabel('Add a member to Launch team').selectOption({ label: `Carol Designer (${carol.email})` });
    await members.getByRole('button', { name: 'Add to group' }).click();
    await members.getByText('Carol Designer').waitFor();

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Collections & grants' }).click();
    await page.getByRole('button', { name: collectionName }).click();
    const grant = page.getByRole('form', { name: 'Grant a role' });
    await grant.getByLabel('a group').check();
    await grant.locator('select[name="subjectId"]').selectOption({ label: 'Launch team' });
    await grant.getByLabel('Role').selectOption('viewer');
    await grant.getByRole('button', { name: 'Grant role' }).click();
    await page.getByRole('row', { name: /Launch team group viewer/ }).waitFor();
    // Carol has no grant of her own: the group's gives her the asset.
    await expect.poll(carolReads, { timeout: 10_000 }).toBe(200);
    expect(await prisma().collectionGrant.count({ where: { userId: carol.id } })).toBe(0);

    await openPeople();
    await page.locator('summary', { hasText: 'Launch team' }).click();
    await members.getByRole('button', { name: 'Remove Carol Designer from Launch team' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Carol Designer from Launch team?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await carolReads()).toBe(200);
    await members.getByRole('button', { name: 'Remove Carol Designer from Launch team' }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await members.getByText('Nobody is in this group yet.').waitFor();
    await expect.poll(carolReads, { timeout: 10_000 }).toBe(404);
  });

  it('tells in the audit log what happened in sentences with names, not JSON', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Audit log' }).click();
    const details = page.locator('table[aria-busy="false"] td.details');
    await details.first().waitFor();
    const sentences = await details.allTextContents();
    expect(sentences).toEqual(
      expect.arrayContaining([
        'Added Carol Designer to the group.',
        'Removed Carol Designer from the group.',
        'Gave a group the role viewer.',
        'Invited dana@example.test as an administrator (link valid 7 days).',
        'Withdrew the invitation of gina@example.test.',
        'Accepted an invitation and chose a password (administrator).',
        'Created the group “Launch team”.',
      ]),
    );
    expect(sentences.filter((t) => t.includes('{') || t.includes('":'))).toEqual([]);
  });

  it('has no critical or serious accessibility violations in either theme, and no console errors', async () => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });
});
