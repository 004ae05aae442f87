import { randomBytes, randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { HttpSession } from '../auth/http-session.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

/**
 * The HTTP surface driven from outside with nothing but fetch (as curl would): every
 * answer one error shape, nosniff everywhere, no existence leak, refused input before
 * the database, metrics behind a token, Secure cookies behind a TLS proxy.
 */
const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
let server: TestServer;
let member: TestUser;
let adminActor: Actor;
let hiddenAsset: string; // in a collection the member has no grant in
let ownAsset: string; // unfiled: every member may read and edit it

const auth = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
const json = (token: string) => auth(token, { 'content-type': 'application/json' });

async function errorOf(res: Response): Promise<{ code: string; message: string; data?: Record<string, unknown> }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; data?: Record<string, unknown> } };
  // The one error shape of every HTTP surface: {"error": {code, message, data?}} and nothing else.
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
}

beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: 'loopback', METRICS_TOKEN } });
  const s = server.stockroom.services;
  const admin = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  adminActor = { user: { id: admin.id, name: admin.name, email: admin.email, role: 'admin' }, clientApp: 'script' };
  member = await server.createUser({ name: 'Outsider' });
  const secret = await s.collections.create(adminActor, { name: `Secret ${randomUUID().slice(0, 6)}` });
  hiddenAsset = (
    await s.assets.create(adminActor, { uploadId: (await seedUpload(server.stockroom, admin.id)).uploadId, collectionId: secret.id, name: 'Secret' })
  ).id;
  ownAsset = (await s.assets.create(adminActor, { uploadId: (await seedUpload(server.stockroom, admin.id)).uploadId, collectionId: null, name: 'Unfiled' })).id;
});
afterAll(async () => {
  await server?.destroy();
});

describe('one error shape and nosniff on every HTTP answer', () => {
  it('answers REST, auth, download, audit and metrics errors as {"error": {code, message}} with nosniff', async () => {
    const cases: Array<[string, RequestInit, number, string]> = [
      [`/api/assets/${randomUUID()}`, { headers: auth(member.token) }, 404, 'NOT_FOUND'],
      ['/api/assets/not-a-uuid', { headers: auth(member.token) }, 400, 'VALIDATION_FAILED'],
      ['/api/users', {}, 401, 'UNAUTHENTICATED'],
      ['/api/users', { headers: auth(member.token) }, 403, 'FORBIDDEN'],
      ['/api/assets', { method: 'POST', headers: json(member.token), body: '{"broken' }, 400, 'PROTOCOL_ERROR'],
      [`/api/assets/${randomUUID()}/versions/1/content`, { headers: auth(member.token) }, 404, 'NOT_FOUND'],
      ['/api/audit/export.csv', { headers: auth(member.token) }, 403, 'FORBIDDEN'],
      ['/auth/me', {}, 401, 'UNAUTHENTICATED'],
      ['/metrics', {}, 401, 'UNAUTHENTICATED'],
      ['/api/no-such-thing', { headers: auth(member.token) }, 404, 'NOT_FOUND'],
      ['/api/assets', { method: 'PUT', headers: auth(member.token) }, 404, 'NOT_FOUND'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await fetch(new URL(path, server.url), init);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect((await errorOf(res)).code, path).toBe(code);
    }
    for (const path of ['/healthz', '/api/openapi.json']) {
      expect((await fetch(new URL(path, server.url))).headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('no existence or collection leak', () => {
  it('answers an asset the caller may not read exactly like a missing one, over REST and WebSocket', async () => {
    const missing = randomUUID();
    const paths = (id: string) => [`/api/assets/${id}`, `/api/assets/${id}/versions`, `/api/assets/${id}/versions/1/content`];
    for (const [hiddenPath, missingPath] of paths(hiddenAsset).map((p, i) => [p, paths(missing)[i]!] as const)) {
      const hidden = await fetch(new URL(hiddenPath, server.url), { headers: auth(member.token) });
      const gone = await fetch(new URL(missingPath, server.url), { headers: auth(member.token) });
      expect(hidden.status, hiddenPath).toBe(404);
      const [a, b] = [await errorOf(hidden), await errorOf(gone)];
      expect(a.message).toBe(b.message);
      expect(JSON.stringify(a)).not.toMatch(/collectionId/);
      expect(JSON.stringify(a).replaceAll(hiddenAsset, 'ID')).toBe(JSON.stringify(b).replaceAll(missing, 'ID'));
    }
    const edit = await fetch(new URL(`/api/assets/${hiddenAsset}`, server.url), {
      method: 'PATCH',
      headers: json(member.token),
      body: JSON.stringify({ name: 'x' }),
    });
    expect((await errorOf(edit)).code).toBe('NOT_FOUND');

    const socket = await RawSocket.signedIn(server.wsUrl, member.token);
    try {
      for (const method of ['assets.get', 'assets.checkout', 'versions.list', 'derivatives.list'] as const) {
        const params = method === 'assets.get' || method === 'assets.checkout' ? (id: string) => ({ id }) : (id: string) => ({ assetId: id });
        const hidden = await socket.request(method, params(hiddenAsset));
        const gone = await socket.request(method, params(missing));
        expect(hidden.error?.code, method).toBe('NOT_FOUND');
        expect(JSON.stringify(hidden.error).replaceAll(hiddenAsset, 'ID')).toBe(JSON.stringify(gone.error).replaceAll(missing, 'ID'));
      }
    } finally {
      socket.close();
    }
  });
});

describe('input refused before it reaches the database', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('refuses NUL characters and over-deep JSON with VALIDATION_FAILED over REST and sign-in', async () => {
    const patch = (body: string) => fetch(new URL(`/api/assets/${ownAsset}`, server.url), { method: 'PATCH', headers: json(member.token), body });
    for (const body of [
      JSON.stringify({ name: 'poster\u0000.psd' }),
      JSON.stringify({ metadata: { ['key\u0000']: 1 } }),
      `{"metadata":${nested(2_000)}}`,
      `{"metadata":${nested(50_000)}}`,
    ]) {
      const res = await patch(body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect((await errorOf(res)).code).toBe('VALIDATION_FAILED');
    }
    const search = await fetch(new URL('/api/assets/search', server.url), {
      method: 'POST',
      headers: json(member.token),
      body: JSON.stringify({ q: 'a\u0000b' }),
    });
    expect((await errorOf(search)).code).toBe('VALIDATION_FAILED');
    const query = await fetch(new URL('/api/audit?action=%00', server.url), { headers: auth(server.adminToken) });
    expect((await errorOf(query)).code).toBe('VALIDATION_FAILED');
    const login = await fetch(new URL('/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a\u0000@example.test', password: 'x' }),
    });
    expect(login.status).toBe(400);
    expect((await errorOf(login)).code).toBe('VALIDATION_FAILED');
    // Nothing reached the database: the asset is as it was, and a nesting that is allowed still works.
    const asset = (await (await fetch(new URL(`/api/assets/${ownAsset}`, server.url), { headers: auth(member.token) })).json()) as {
      name: string;
      metadata: unknown;
    };
    expect(asset.name).toBe('Unfiled');
    expect((await patch(`{"metadata":${nested(30)}}`)).status).toBe(200);
  });
});

describe('the audit CSV cannot carry formulas', () => {
  it('prefixes cells starting with = + - @ tab or CR with an apostrophe', async () => {
    const typed = ['=HYPERLINK("http://evil.test","x")@example.test', '+1+1@example.test', '-2+3@example.test', '@SUM(1)@example.test'];
    for (const email of typed) {
      const res = await fetch(new URL('/auth/login', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'wrong password' }),
      });
      expect(res.status).toBe(401);
    }
    const res = await fetch(new URL('/api/audit/export.csv?action=auth.login.failed', server.url), { headers: auth(server.adminToken) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csv = await res.text();
    for (const email of typed) {
      const cell = email.toLowerCase();
      expect(csv, cell).toContain(`'${cell.startsWith('=') ? cell.replaceAll('"', '""') : cell}`);
    }
    // No cell of any row starts with a formula character.
    const cells = csv.split('\n').flatMap((line) => line.split(',').map((c) => c.replace(/^"/, '')));
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });
});

describe('downloads', () => {
  it('sends stored files sandboxed, never sniffed', async () => {
    const res = await fetch(new URL(`/api/assets/${ownAsset}/versions/1/content`, server.url), { headers: auth(member.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const ranged = await fetch(new URL(`/api/assets/${ownAsset}/versions/1/content`, server.url), { headers: auth(member.token, { range: 'bytes=0-9' }) });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-security-policy')).toBe('sandbox');
  });
});

describe('/metrics', () => {
  it('answers only the METRICS_TOKEN or an administrator', async () => {
    const get = (headers: Record<string, string> = {}) => fetch(new URL('/metrics', server.url), { headers });
    expect((await get()).status).toBe(401);
    expect((await get(auth('wrong-token-0123456789abcdef'))).status).toBe(401);
    const forMember = await get(auth(member.token));
    expect(forMember.status).toBe(403);
    expect((await errorOf(forMember)).code).toBe('FORBIDDEN');
    for (const token of [METRICS_TOKEN, server.adminToken]) {
      const res = await get(auth(token));
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^process_resident_memory_bytes \d/m);
    }
  });
});

describe('dashboard sessions', () => {
  it('sets the CSRF cookie Secure when a trusted TLS proxy forwards the request', async () => {
    const behindProxy = await fetch(new URL('/auth/csrf', server.url), { headers: { 'x-forwarded-proto': 'https' } });
    const cookies = behindProxy.headers.getSetCookie();
    const csrf = cookies.find((c) => c.startsWith('stockroom.csrf='));
    const sid = cookies.find((c) => c.startsWith('stockroom.sid='));
    expect(csrf).toMatch(/;\s*Secure/i);
    expect(sid).toMatch(/;\s*Secure/i);
    const plain = await fetch(new URL('/auth/csrf', server.url));
    expect(plain.headers.getSetCookie().find((c) => c.startsWith('stockroom.csrf='))).not.toMatch(/;\s*Secure/i);
  });

  it('ends every dashboard session and its WebSocket tokens when an administrator sets a new password', async () => {
    const email = `designer-${randomBytes(4).toString('hex')}@example.test`;
    const user = await server.stockroom.services.users.create({ email, name: 'Designer', password: 'old correct horse battery' });
    const browser = new HttpSession(server.url);
    const csrfToken = await browser.signIn(email, 'old correct horse battery');
    expect((await browser.fetch('/auth/me')).status).toBe(200);
    const wsToken = ((await (await browser.fetch('/auth/ws-token', { method: 'POST', headers: { 'x-csrf-token': csrfToken } })).json()) as { token: string })
      .token;
    const socket = await RawSocket.signedIn(server.wsUrl, wsToken, 'dashboard');

    const changed = await fetch(new URL(`/api/users/${user.id}`, server.url), {
      method: 'PATCH',
      headers: json(server.adminToken),
      body: JSON.stringify({ password: 'new staple battery horse' }),
    });
    expect(changed.status).toBe(200);

    const me = await browser.fetch('/auth/me');
    expect(me.status).toBe(401);
    expect((await errorOf(me)).code).toBe('UNAUTHENTICATED');
    expect(await socket.closed).toBe(4401);
    const again = await RawSocket.open(server.wsUrl);
    const hello = await again.request('session.hello', { token: wsToken, client: { app: 'dashboard' }, protocol: PROTOCOL_VERSION });
    expect(hello.error?.code).toBe('UNAUTHENTICATED');
    // The new password signs in.
    await new HttpSession(server.url).signIn(email, 'new staple battery horse');
  });
});

describe('a dashboard sign-in’s WebSocket tokens', () => {
  it('are not listed among the person’s tokens, however often the dashboard asks, and are deleted once spent', async () => {
    const email = `reviewer-${randomBytes(4).toString('hex')}@example.test`;
    const user = await server.stockroom.services.users.create({ email, name: 'Reviewer', password: 'quiet lantern orchard 42' });
    const browser = new HttpSession(server.url);
    const csrfToken = await browser.signIn(email, 'quiet lantern orchard 42');
    // Every dashboard page load asks for one.
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await browser.fetch('/auth/ws-token', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
      expect(res.status).toBe(200);
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const socket = await RawSocket.signedIn(server.wsUrl, tokens[2]!, 'dashboard');
    socket.close();
    const prisma = server.stockroom.database.prisma;
    expect(await prisma.apiToken.count({ where: { userId: user.id, sessionBound: true, revokedAt: null } })).toBe(3);

    // Neither the person nor an administrator sees them as tokens to manage; a token the person made is listed.
    const own = await fetch(new URL('/api/tokens', server.url), { headers: json(server.adminToken) });
    expect(own.status).toBe(200);
    const listed = await fetch(new URL(`/api/tokens?userId=${user.id}`, server.url), { headers: json(server.adminToken) });
    expect(((await listed.json()) as { tokens: unknown[] }).tokens).toEqual([]);
    await server.stockroom.services.tokens.create(user.id, { name: 'render farm', scopes: ['read'] });
    const after = (await (await fetch(new URL(`/api/tokens?userId=${user.id}`, server.url), { headers: json(server.adminToken) })).json()) as {
      tokens: Array<{ name: string }>;
    };
    expect(after.tokens.map((t) => t.name)).toEqual(['render farm']);

    // Signing out revokes them; housekeeping deletes what can no longer be used, and keeps the rest.
    expect((await browser.fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } })).status).toBeLessThan(300);
    expect(await server.stockroom.services.tokens.pruneSessionBound()).toBeGreaterThanOrEqual(3);
    expect(await prisma.apiToken.count({ where: { userId: user.id, sessionBound: true } })).toBe(0);
    expect(await prisma.apiToken.count({ where: { userId: user.id, name: 'render farm' } })).toBe(1);
  });
});

describe('a person changing their own password', () => {
  it('ends their other dashboard sessions and those sessions’ WebSocket tokens, and keeps this one', async () => {
    const email = `editor-${randomBytes(4).toString('hex')}@example.test`;
    await server.stockroom.services.users.create({ email, name: 'Editor', password: 'first quiet harbour lamp' });
    const laptop = new HttpSession(server.url);
    const laptopCsrf = await laptop.signIn(email, 'first quiet harbour lamp');
    const desktop = new HttpSession(server.url);
    const desktopCsrf = await desktop.signIn(email, 'first quiet harbour lamp');
    const desktopWs = (
      (await (await desktop.fetch('/auth/ws-token', { method: 'POST', headers: { 'x-csrf-token': desktopCsrf } })).json()) as { token: string }
    ).token;

    const change = (body: object) => laptop.fetch('/auth/password', { method: 'POST', headers: { 'x-csrf-token': laptopCsrf }, json: body });
    const wrong = await change({ currentPassword: 'not my password', newPassword: 'second amber window crane' });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).code).toBe('UNAUTHENTICATED');
    const weak = await change({ currentPassword: 'first quiet harbour lamp', newPassword: 'aaaaaaaaaaaa' });
    expect((await errorOf(weak)).code).toBe('VALIDATION_FAILED');
    expect((await desktop.fetch('/auth/me')).status).toBe(200); // refusals change nothing
    const noCsrf = await laptop.fetch('/auth/password', {
      method: 'POST',
      json: { currentPassword: 'first quiet harbour lamp', newPassword: 'second amber window crane' },
    });
    expect(noCsrf.status).toBe(403);

    expect((await change({ currentPassword: 'first quiet harbour lamp', newPassword: 'second amber window crane' })).status).toBe(204);
    expect((await laptop.fetch('/auth/me')).status).toBe(200);
    expect((await desktop.fetch('/auth/me')).status).toBe(401);
    const socket = await RawSocket.open(server.wsUrl);
    const hello = await socket.request('session.hello', { token: desktopWs, client: { app: 'dashboard' }, protocol: PROTOCOL_VERSION });
    expect(hello.error?.code).toBe('UNAUTHENTICATED');
    await new HttpSession(server.url).signIn(email, 'second amber window crane');
  });
});

describe('derivatives.list', () => {
  it('tells whoever may read the asset why a derivative failed', async () => {
    const upload = await seedUpload(server.stockroom, member.id, { bytes: randomBytes(4096), fileName: 'broken.png', mimeType: 'image/png' });
    const created = await fetch(new URL('/api/assets', server.url), {
      method: 'POST',
      headers: json(member.token),
      body: JSON.stringify({ uploadId: upload.uploadId }),
    });
    const asset = (await created.json()) as { id: string };
    const socket = await RawSocket.signedIn(server.wsUrl, member.token);
    try {
      let derivatives: Array<{ preset: string; status: string; failureReason: string | null; failure: string | null }> = [];
      await expect
        .poll(
          async () => {
            derivatives = (await socket.call('derivatives.list', { assetId: asset.id })).derivatives;
            return derivatives.length > 0 && derivatives.every((d) => d.status === 'failed');
          },
          { timeout: 60_000, interval: 250 },
        )
        .toBe(true);
      for (const d of derivatives) {
        // Random bytes named .png: sharp cannot even tell the format.
        expect(['corrupt-file', 'unsupported-format'], d.preset).toContain(d.failureReason);
        expect(d.failure, d.preset).toMatch(/\w+ \w+/);
      }
    } finally {
      socket.close();
    }
  });
});

describe('accounts and tokens', () => {
  it('refuses a token with no scope, with a message saying what to choose', async () => {
    const before = await server.stockroom.database.prisma.apiToken.count();
    const res = await fetch(new URL('/api/tokens', server.url), {
      method: 'POST',
      headers: json(member.token),
      body: JSON.stringify({ name: 'nothing', scopes: [] }),
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/choose at least one scope: read, write, admin or \*/);
    expect(await server.stockroom.database.prisma.apiToken.count()).toBe(before);
  });

  it('refuses common and trivial passwords with VALIDATION_FAILED, and accepts a passphrase', async () => {
    const create = (password: string) =>
      fetch(new URL('/api/users', server.url), {
        method: 'POST',
        headers: json(server.adminToken),
        body: JSON.stringify({ email: `weak-${randomBytes(4).toString('hex')}@example.test`, name: 'Weak Password', password }),
      });
    for (const password of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop123', '123456789012', 'Weak Password1']) {
      const res = await create(password);
      expect(res.status, password).toBe(400);
      const error = await errorOf(res);
      expect(error.code, password).toBe('VALIDATION_FAILED');
      expect(error.message).toMatch(/too easy to guess/);
    }
    expect((await create('umbrella quartz lantern meadow')).status).toBe(201);
    const update = await fetch(new URL(`/api/users/${member.id}`, server.url), {
      method: 'PATCH',
      headers: json(server.adminToken),
      body: JSON.stringify({ password: 'password1234' }),
    });
    expect((await errorOf(update)).code).toBe('VALIDATION_FAILED');
  });
});
