import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import Provider from 'oidc-provider';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, type TestServer } from '../support/server.ts';

/** A real OpenID provider (oidc-provider with its development login pages) on loopback. */
let provider: Server;
let server: TestServer;
let browser: BrowserContext;
let profileDir: string;

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Signs in at the provider's development pages (any login; the e-mail is login@example.test) and consents. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForSelector('input[name=login]');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'whatever');
  await page.click('button[type=submit]');
  // First time: the consent page.
  const consent = await page.waitForSelector('button[type=submit]', { timeout: 5000 }).catch(() => null);
  if (consent && page.url().includes('/interaction/')) await consent.click();
}

beforeAll(async () => {
  const providerPort = await freePort();
  const bridgePort = await freePort();
  const issuer = `http://127.0.0.1:${providerPort}`;
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: 'stockroom',
        client_secret: 'a-client-secret-for-tests',
        redirect_uris: [`http://127.0.0.1:${bridgePort}/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.test`, email_verified: !id.startsWith('unverified'), name: `SSO ${id}` }),
    }),
  });
  provider = createServer(oidc.callback());
  await new Promise<void>((resolve) => provider.listen(providerPort, '127.0.0.1', () => resolve()));
  server = await startTestServer({
    env: {
      PORT: String(bridgePort),
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'stockroom',
      OIDC_CLIENT_SECRET: 'a-client-secret-for-tests',
      OIDC_REDIRECT_URL: `http://127.0.0.1:${bridgePort}/auth/oidc/callback`,
    },
  });
  profileDir = makeTempDir('chromium-oidc');
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
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
});
afterAll(async () => {
  await browser?.close();
  provider?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  await server?.destroy();
});

describe('single sign-on with OpenID Connect', () => {
  it('says that SSO is available', async () => {
    // …and so does the OpenAPI document (it lists the sign-on paths only where they exist).
    const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, { get?: unknown }> };
    expect(document.paths['/auth/oidc/login']?.get).toBeDefined();
    expect(document.paths['/auth/oidc/callback']?.get).toBeDefined();
    const res = await fetch(`${server.url}/auth/providers`);
    expect(await res.json()).toEqual({ password: true, oidc: true });
  });

  it('signs a new person in through the provider, creating a member account, into a cookie session', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/auth/oidc/login?returnTo=/auth/me`);
    expect(page.url().startsWith(`http://127.0.0.1:${new URL(server.url).port}`)).toBe(false); // at the provider
    await signInAtProvider(page, 'newcomer');
    await page.waitForURL(`${server.url}/auth/me`);
    const me = JSON.parse((await page.textContent('body'))!);
    expect(me.user).toMatchObject({ email: 'newcomer@example.test', name: 'SSO newcomer', role: 'member' });
    const audit = await server.stockroom.database.prisma.auditEvent.findMany({ where: { actorId: me.user.id }, select: { action: true, data: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'auth.login']));
    expect(audit.find((a) => a.action === 'auth.login')!.data).toMatchObject({ method: 'oidc' });
    const cookies = await browser.cookies(server.url);
    const sid = cookies.find((c) => c.name === 'stockroom.sid')!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe('Lax');
    await page.close();
  });

  it('matches an existing account by its verified e-mail', async () => {
    const existing = await server.stockroom.services.users.create({
      email: 'pat@example.test',
      name: 'Pat',
      role: 'admin',
      password: 'a long enough password',
    });
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${server.url}/auth/oidc/login?returnTo=/auth/me`);
    await signInAtProvider(page, 'pat');
    await page.waitForURL(`${server.url}/auth/me`);
    const me = JSON.parse((await page.textContent('body'))!);
    expect(me.user).toMatchObject({ id: existing.id, role: 'admin' });
    await page.close();
  });

  it('refuses an unverified e-mail and a callback without the login it belongs to', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${server.url}/auth/oidc/login?returnTo=/auth/me`);
    await signInAtProvider(page, 'unverified-sam');
    await page.waitForURL(/\/auth\/oidc\/callback/);
    expect(await page.textContent('body')).toContain('UNAUTHENTICATED');
    expect(await server.stockroom.database.prisma.user.count({ where: { email: 'unverified-sam@example.test' } })).toBe(0);
    // A forged callback (no state in this session) is refused.
    const forged = await fetch(`${server.url}/auth/oidc/callback?code=abc&state=xyz`);
    expect(forged.status).toBe(401);
    await page.close();
  });
});
