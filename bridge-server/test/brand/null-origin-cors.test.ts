import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandContentPath, type BrandKit } from '@stockroom/shared-types';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ADMIN_PASSWORD } from '../dashboard/browser.ts';
import { api, createBrandKit, type BrandFixture } from './fixture.ts';

let server: TestServer;
let kit: BrandFixture;
let cookie: string;
let csrf: string;

beforeAll(async () => {
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  kit = await createBrandKit(server);
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.stockroom.bootstrap.email, password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
});
afterAll(async () => server?.destroy());

const fromFigma = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { origin: 'null', ...init.headers } });

describe("CORS for Figma's null origin", () => {
  it('answers the preflight of an authorised download: null origin, Authorization allowed, no credentials', async () => {
    const res = await fromFigma(`/api/brand-kits/${kit.collection.id}`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('null');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/\bAuthorization\b/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('serves downloads, thumbnails and REST calls with a token, exposing Content-Length and Content-Disposition', async () => {
    const auth = { authorization: `Bearer ${server.adminToken}` };
    const got = await fromFigma(`/api/brand-kits/${kit.collection.id}`, { headers: auth });
    expect(got.status).toBe(200);
    expect(got.headers.get('access-control-allow-origin')).toBe('null');
    const k = (await got.json()) as BrandKit;
    const entry = k.sections[0]!.entries[0]!;
    const file = await fromFigma(brandContentPath(kit.collection.id, entry.id), { headers: auth });
    expect(file.status).toBe(200);
    const exposed = file.headers.get('access-control-expose-headers')!;
    for (const h of ['Content-Length', 'Content-Disposition', 'Stockroom-Version', 'Stockroom-Asset-Id']) expect(exposed).toContain(h);
    const original = await fromFigma(`/api/assets/${kit.logo.id}/versions/1/content`, { headers: auth });
    expect(original.status).toBe(200);
    expect(original.headers.get('access-control-allow-origin')).toBe('null');
    expect(original.headers.get('content-disposition')).toContain('acme-logo.svg');
  });

  it('lets a plugin start device sign-in', async () => {
    const res = await fromFigma('/auth/device/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientApp: 'figma', machine: 'Figma' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('null');
    expect((await res.json()) as object).toHaveProperty('userCode');
  });

  it('refuses a null-origin request without a token', async () => {
    const res = await fromFigma(`/api/brand-kits/${kit.collection.id}`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
    expect(body.error.message).toContain('Origin: null');
  });

  it('refuses a cookie-authenticated request from a null origin, reading or changing', async () => {
    // The same cookie works for the dashboard itself...
    const own = await fetch(`${server.url}/api/brand-kits/${kit.collection.id}`, { headers: { cookie } });
    expect(own.status).toBe(200);
    // ...but not from a sandboxed frame.
    const read = await fromFigma(`/api/brand-kits/${kit.collection.id}`, { headers: { cookie } });
    expect(read.status).toBe(401);
    const change = await fromFigma('/api/collections', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made from a frame' }),
    });
    expect(change.status).toBe(401);
    const listed = await api<{ collections: Array<{ name: string }> }>(server, 'GET', '/api/collections');
    expect(listed.collections.map((c) => c.name)).not.toContain('Made from a frame');
    // A null-origin request with a cookie is treated as carrying none, even on /auth.
    const me = await fromFigma('/auth/me', { headers: { cookie } });
    expect(me.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('leaves other origins as they were: no CORS headers for a web page of another site', async () => {
    const res = await fetch(`${server.url}/api/brand-kits/${kit.collection.id}`, { headers: { origin: 'https://evil.test', cookie } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
