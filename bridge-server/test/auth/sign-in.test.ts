import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { HttpSession } from './http-session.ts';

let server: TestServer;
const PASSWORD = 'correct horse battery staple';

async function userWithPassword(name: string, role: 'admin' | 'member' = 'member') {
  const email = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
  const user = await server.stockroom.services.users.create({ email, name, role, password: PASSWORD });
  return { id: user.id, email };
}

/** Audit rows about a user: by them, about them, or (failed sign-ins) about their e-mail. */
const auditActions = async (user: { id: string; email: string }) =>
  (
    await server.stockroom.database.prisma.auditEvent.findMany({
      where: { OR: [{ actorId: user.id }, { targetId: user.id }, { targetId: user.email }] },
      orderBy: { id: 'asc' },
    })
  ).map((a) => a.action);

beforeAll(async () => {
  // Behind a TLS proxy on loopback: X-Forwarded-Proto decides whether cookies are Secure.
  server = await startTestServer({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(async () => server?.destroy());

describe('dashboard sign-in', () => {
  it('signs in with a password into a hardened cookie session, issues a WebSocket token, and signs out everywhere', async () => {
    const alice = await userWithPassword('Alice');
    const browser = new HttpSession(server.url);
    expect((await browser.fetch('/auth/me')).status).toBe(401);

    // An anonymous session exists before sign-in (CSRF token); sign-in must replace its id.
    await browser.fetch('/auth/csrf');
    const anonymousSid = browser.cookies.get('stockroom.sid');
    expect(anonymousSid).toBeTruthy();

    const wrong = await browser.fetch('/auth/login', { method: 'POST', json: { email: alice.email, password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error.code).toBe('UNAUTHENTICATED');

    const csrfToken = await browser.signIn(alice.email, PASSWORD);
    const sid = browser.cookies.get('stockroom.sid')!;
    expect(sid).not.toBe(anonymousSid);
    const cookie = browser.setCookieHeaders.filter((h) => h.startsWith('stockroom.sid=')).at(-1)!;
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Secure/i); // plain http
    // Stored in Postgres, and only as a hash of the id.
    const rows = await server.stockroom.database.prisma.webSession.findMany({ where: { userId: alice.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sidHash).not.toContain(decodeURIComponent(sid).slice(2, 20));

    const me = await browser.fetch('/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).user.email).toBe(alice.email);

    // A change without the CSRF token is refused; with it, the dashboard gets a token for session.hello.
    const noCsrf = await browser.fetch('/auth/ws-token', { method: 'POST' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as any).error.data.reason).toBe('csrf');
    const issued = await browser.fetch('/auth/ws-token', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    expect(issued.status).toBe(200);
    const { token, expiresAt } = (await issued.json()) as { token: string; expiresAt: string };
    const hours = (Date.parse(expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const socket = await RawSocket.signedIn(server.wsUrl, token, 'dashboard');
    expect((await socket.call('session.whoami')).user.id).toBe(alice.id);

    // Sign-out ends the session and the WebSocket of its token within a second.
    const started = Date.now();
    const out = await browser.fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect(await socket.closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await browser.fetch('/auth/me')).status).toBe(401);
    await expect(RawSocket.signedIn(server.wsUrl, token)).rejects.toThrow(/UNAUTHENTICATED/);
    expect(await server.stockroom.database.prisma.webSession.count({ where: { userId: alice.id } })).toBe(0);

    expect(await auditActions(alice)).toEqual(['auth.login.failed', 'auth.login', 'token.create', 'token.revoke', 'auth.logout']);
  });

  it('marks the session cookie Secure behind a TLS proxy', async () => {
    const bob = await userWithPassword('Bob');
    const browser = new HttpSession(server.url);
    const res = await browser.fetch('/auth/login', {
      method: 'POST',
      json: { email: bob.email, password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.status).toBe(200);
    const cookie = browser.setCookieHeaders.find((h) => h.startsWith('stockroom.sid='))!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
  });

  it('rejects cross-site form posts: no CSRF token, no change', async () => {
    const carol = await userWithPassword('Carol', 'admin');
    const browser = new HttpSession(server.url);
    await browser.signIn(carol.email, PASSWORD);
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' };
    const tokensBefore = await server.stockroom.database.prisma.apiToken.count({ where: { userId: carol.id } });
    const wsToken = await browser.fetch('/auth/ws-token', { method: 'POST', headers: form, body: 'x=1' });
    expect(wsToken.status).toBe(403);
    const created = await browser.fetch('/api/collections', { method: 'POST', headers: form, body: 'name=Evil' });
    expect(created.status).toBe(403);
    expect(((await created.json()) as any).error.data.reason).toBe('csrf');
    const approve = await browser.fetch('/auth/device/decision', { method: 'POST', headers: form, body: 'code=BCDF-GHJK&decision=approve' });
    expect(approve.status).toBe(403);
    expect(await server.stockroom.database.prisma.apiToken.count({ where: { userId: carol.id } })).toBe(tokensBefore);
    expect(await server.stockroom.database.prisma.collection.count({ where: { name: 'Evil' } })).toBe(0);
    // A form cannot send JSON, and sign-in takes JSON only.
    const formLogin = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: carol.email, password: PASSWORD }),
    });
    expect(formLogin.status).toBe(400);
    // The same cookie with the session's CSRF token may change things (REST mirror too).
    const csrf = ((await (await browser.fetch('/auth/csrf')).json()) as any).csrfToken;
    const ok = await browser.fetch('/api/collections', { method: 'POST', headers: { 'x-csrf-token': csrf }, json: { name: `Real ${Date.now()}` } });
    expect(ok.status).toBe(201);
  });

  it('answers 50 wrong passwords with RATE_LIMITED, without slowing anybody else', async () => {
    const victim = await userWithPassword('Victim');
    const other = await userWithPassword('Other');
    const attacker = new HttpSession(server.url);
    const results: Array<{ status: number; ms: number; code?: string }> = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const res = await attacker.fetch('/auth/login', { method: 'POST', json: { email: victim.email, password: `guess ${i}` } });
      const body = (await res.json()) as any;
      results.push({ status: res.status, ms: performance.now() - started, code: body.error?.code });
    }
    expect(results.slice(0, 10).every((r) => r.status === 401)).toBe(true);
    const limited = results.slice(10);
    expect(limited.every((r) => r.status === 429 && r.code === 'RATE_LIMITED')).toBe(true);
    // Limited attempts are refused before any password hashing: cheaper than the failures.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(limited.map((r) => r.ms))).toBeLessThan(median(results.slice(0, 10).map((r) => r.ms)));
    // Even the right password is refused while the account is limited...
    const locked = await new HttpSession(server.url).fetch('/auth/login', { method: 'POST', json: { email: victim.email, password: PASSWORD } });
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as any).error.data.retryAfterSeconds).toBeGreaterThan(0);
    // ...but another user from the same address signs in at once.
    const started = performance.now();
    await new HttpSession(server.url).signIn(other.email, PASSWORD);
    expect(performance.now() - started).toBeLessThan(median(results.slice(0, 10).map((r) => r.ms)) * 3 + 500);
    expect(await server.stockroom.database.prisma.auditEvent.count({ where: { action: 'auth.login.failed', targetId: victim.email } })).toBe(10);
  });
});

describe('API tokens and the WebSocket', () => {
  it('closes a revoked token’s open WebSocket within a second, on another server process too', async () => {
    const dave = await server.createUser({ name: 'Dave' });
    const other = await startTestServer({ database: server.database, env: { TRUST_PROXY: 'loopback' } });
    try {
      const here = await RawSocket.signedIn(server.wsUrl, dave.token, 'photoshop');
      const there = await RawSocket.signedIn(other.wsUrl, dave.token, 'premiere');
      const { tokens } = await here.call('tokens.list', {});
      const tokenId = tokens[0].id;
      const started = Date.now();
      const revoked = await here.request('tokens.revoke', { id: tokenId });
      expect(revoked.result?.revokedAt).toBeTruthy();
      const [codeHere, codeThere] = await Promise.all([here.closed, there.closed]);
      const elapsed = Date.now() - started;
      expect(codeHere).toBe(4401);
      expect(codeThere).toBe(4401);
      expect(elapsed).toBeLessThan(1000);
      await expect(RawSocket.signedIn(server.wsUrl, dave.token)).rejects.toThrow(/revoked/);
      const rest = await fetch(`${other.url}/api/collections`, { headers: { authorization: `Bearer ${dave.token}` } });
      expect(rest.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('closes the connections of a disabled account', async () => {
    const erin = await server.createUser({ name: 'Erin' });
    const socket = await RawSocket.signedIn(server.wsUrl, erin.token);
    const admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
    const started = Date.now();
    const updated = await admin.call('users.update', { id: erin.id, disabled: true });
    expect(updated.disabledAt).toBeTruthy();
    expect(await socket.closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(RawSocket.signedIn(server.wsUrl, erin.token)).rejects.toThrow(/disabled/);
    admin.close();
  });

  it('limits messages per connection with RATE_LIMITED and keeps the connection open', async () => {
    const frank = await server.createUser({ name: 'Frank' });
    const socket = await RawSocket.signedIn(server.wsUrl, frank.token);
    const replies = await Promise.all(Array.from({ length: 150 }, () => socket.request('session.whoami')));
    const limited = replies.filter((r) => r.error?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.result).length).toBeGreaterThanOrEqual(90);
    expect(limited[0]!.error!.data).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await socket.call('session.whoami')).user.id).toBe(frank.id);
    expect(socket.closeCode).toBeUndefined();
    socket.close();
  });

  it('refuses WebSocket handshakes from pages of other sites, accepts Figma’s null origin and tokens only from headers', async () => {
    const open = (origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(server.wsUrl, origin ? { headers: { origin } } : {});
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(-1));
      });
    expect(await open('https://evil.example')).toBe(403);
    expect(await open('null')).toBe(101);
    expect(await open()).toBe(101);
    expect(await open(server.url)).toBe(101);
    // Bodies of the sign-in endpoints are small.
    const huge = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe('PAYLOAD_TOO_LARGE');
    // The dashboard is sent with security headers.
    const dashboard = await fetch(`${server.url}/admin/`);
    expect(dashboard.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(dashboard.headers.get('x-content-type-options')).toBe('nosniff');
    // A token in the URL is never accepted.
    const res = await fetch(`${server.url}/api/collections?token=${server.adminToken}&access_token=${server.adminToken}`);
    expect(res.status).toBe(401);
  });

  it('creates scoped tokens: a read token may look but not change, and cannot mint a stronger token', async () => {
    const gina = await server.createUser({ name: 'Gina' });
    const full = await RawSocket.signedIn(server.wsUrl, gina.token);
    const { secret, token } = await full.call('tokens.create', { name: 'read only', scopes: ['read'], expiresInDays: 1 });
    expect(token.scopes).toEqual(['read']);
    expect(secret).toMatch(/^sr_/);
    const reader = await RawSocket.signedIn(server.wsUrl, secret);
    expect((await reader.request('collections.list', {})).result).toBeTruthy();
    const refused = await reader.request('tokens.create', { name: 'escalate', scopes: ['*'] });
    expect(refused.error?.code).toBe('FORBIDDEN');
    const listed = await full.call('tokens.list', {});
    const stored = listed.tokens.find((t: any) => t.id === token.id);
    expect(stored.lastUsedAt).toBeTruthy(); // the hello above used it
    const row = await server.stockroom.database.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).not.toContain(secret.slice(3));
    [full, reader].forEach((s) => s.close());
  });
});
