import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import type { DeviceCodeResponse } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let browser: BrowserContext;
let profileDir: string;
let evilSite: Server;
const PASSWORD = 'a long enough password';
let person: { id: string; email: string };

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const requestCode = async (machine = 'STUDIO-MAC-3') => (await post('/auth/device/code', { clientApp: 'photoshop', machine })).body as DeviceCodeResponse;
const poll = (deviceCode: string) => post('/auth/device/token', { deviceCode });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startTestServer({ env: { DEVICE_POLL_INTERVAL: '1s' } });
  const user = await server.stockroom.services.users.create({ email: `designer-${Date.now()}@example.test`, name: 'Dana Designer', password: PASSWORD });
  person = { id: user.id, email: user.email };
  profileDir = makeTempDir('chromium');
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
  // A page of another site (localhost is a different site than 127.0.0.1) that posts a form to the bridge.
  evilSite = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://localhost').searchParams.get('code') ?? '';
    res.setHeader('content-type', 'text/html');
    res.end(`<form id="f" method="post" action="${server.url}/auth/device/decision">
      <input name="code" value="${code}"><input name="decision" value="approve"></form>
      <script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((resolve) => evilSite.listen(0, () => resolve()));
});
afterAll(async () => {
  await browser?.close();
  evilSite?.close();
  rmSync(profileDir, { recursive: true, force: true });
  await server?.destroy();
});

describe('device sign-in for panels', () => {
  it('issues a token of its own after approval in a real browser session; the code works once', async () => {
    const code = await requestCode();
    expect(code.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(code.verificationUri).toBe(`${server.url}/auth/device`);
    expect(code.interval).toBe(1);
    expect((await poll(code.deviceCode)).body.error).toBe('authorization_pending');

    const page = await browser.newPage();
    const first = await page.goto(code.verificationUriComplete);
    const headers = first!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-store');
    // Not signed in yet: the page asks for the password (in the browser, never in the panel).
    await page.fill('#email', person.email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/auth\/device\?code=/), page.click('button[type=submit]')]);
    expect(await page.textContent('#app')).toBe('Photoshop panel');
    expect(await page.textContent('#machine')).toBe('STUDIO-MAC-3');
    expect(await page.textContent('#user-code')).toBe(code.userCode);
    await sleep(1000);
    expect((await poll(code.deviceCode)).body.error).toBe('authorization_pending');
    await page.click('#approve');
    expect(await page.textContent('#result')).toContain('is now signed in');

    await sleep(1000);
    const granted = await poll(code.deviceCode);
    expect(granted.status).toBe(200);
    expect(granted.body.name).toBe('photoshop on STUDIO-MAC-3');
    expect(granted.body.user.id).toBe(person.id);
    const days = (Date.parse(granted.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(170);

    // The token works, and is the person's own, listed and revocable.
    const socket = await RawSocket.signedIn(server.wsUrl, granted.body.token, 'photoshop');
    expect((await socket.call('session.whoami')).user.id).toBe(person.id);
    const { tokens } = await socket.call('tokens.list', {});
    expect(tokens.map((t: any) => t.name)).toContain('photoshop on STUDIO-MAC-3');
    socket.close();

    // The device code and the user code cannot be used again.
    await sleep(1000);
    const again = await poll(code.deviceCode);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    const reopened = await page.goto(code.verificationUriComplete);
    expect(reopened!.status()).toBe(404);
    expect(await server.stockroom.database.prisma.apiToken.count({ where: { userId: person.id, name: 'photoshop on STUDIO-MAC-3' } })).toBe(1);
    const audit = await server.stockroom.database.prisma.auditEvent.findMany({ where: { actorId: person.id }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login', 'device.approve', 'token.create']));
    await page.close();
  });

  it('answers slow_down to a panel that polls faster than the interval', async () => {
    const code = await requestCode('FAST-POLLER');
    expect((await poll(code.deviceCode)).body.error).toBe('authorization_pending');
    const fast = await poll(code.deviceCode);
    expect(fast.body.error).toBe('slow_down');
    expect(fast.body.interval).toBe(code.interval + 5);
  });

  it('reports a denial, and expires codes that were never approved', async () => {
    const denied = await requestCode('DENY-ME');
    const page = await browser.newPage(); // the session cookie of the first test is still there
    await page.goto(denied.verificationUriComplete);
    await page.click('#deny');
    expect(await page.textContent('#result')).toContain('was not signed in');
    expect((await poll(denied.deviceCode)).body.error).toBe('access_denied');

    const late = await requestCode('TOO-LATE');
    expect(late.expiresIn).toBe(600);
    // Ten minutes pass (moved forward in the database rather than waited for).
    await server.stockroom.database.prisma.deviceCode.update({ where: { userCode: late.userCode }, data: { expiresAt: new Date(Date.now() - 1) } });
    const response = await page.goto(late.verificationUriComplete);
    expect(response!.status()).toBe(404);
    expect((await poll(late.deviceCode)).body.error).toBe('expired_token');
    await page.close();
  });

  it('rejects an approval posted by a page of another site', async () => {
    const code = await requestCode('TARGET');
    const page = await browser.newPage();
    const evilUrl = `http://localhost:${(evilSite.address() as AddressInfo).port}/?code=${code.userCode}`;
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/auth/device/decision')), page.goto(evilUrl)]);
    expect(response.status()).toBe(403);
    const row = await server.stockroom.database.prisma.deviceCode.findUniqueOrThrow({ where: { userCode: code.userCode } });
    expect(row.status).toBe('pending');
    expect((await poll(code.deviceCode)).body.error).toBe('authorization_pending');
    await page.close();
  });

  it('rate-limits requests for device codes per address', async () => {
    const replies = [];
    for (let i = 0; i < 30; i++) replies.push((await post('/auth/device/code', { clientApp: 'figma', machine: `M${i}` })).status);
    // 30 per 10 minutes per address, and this file asked for a few already.
    expect(replies).toContain(429);
    const limited = await post('/auth/device/code', { clientApp: 'figma', machine: 'one more' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
  });
});
