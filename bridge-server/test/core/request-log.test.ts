import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import type { Actor } from '../../src/services/actor.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Request logging and the one error flow, on a real server: every answer carries a request
 * id (a sane incoming X-Request-Id is kept), every request leaves one log line with that id,
 * a failure nobody planned for answers INTERNAL with the id the person can quote, and no
 * token, password, cookie or link secret reaches the log.
 */
const lines: string[] = [];
const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
const logged = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
let server: TestServer;
let admin: Actor;
let assetId: string;
let sha256: string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  server = await startTestServer({ logger: createLogger('info', sink) });
  const row = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  admin = { user: { id: row.id, name: row.name, email: row.email, role: 'admin' }, clientApp: 'script' };
  const seeded = await seedUpload(server.stockroom, row.id);
  sha256 = seeded.sha256;
  assetId = (await server.stockroom.services.assets.create(admin, { uploadId: seeded.uploadId, collectionId: null, name: 'Poster' })).id;
});
afterAll(async () => {
  await server?.destroy();
});

async function untilLogged(requestId: string): Promise<Record<string, any>> {
  await expect.poll(() => logged().some((l) => l.req?.id === requestId && l.res), { timeout: 10_000 }).toBe(true);
  return logged().find((l) => l.req?.id === requestId && l.res)!;
}

describe('request ids', () => {
  it('keeps a sane incoming X-Request-Id, replaces anything else, and logs each request with its id', async () => {
    const kept = await fetch(new URL('/api/collections', server.url), {
      headers: { authorization: `Bearer ${server.adminToken}`, 'x-request-id': 'proxy-7f3a.42' },
    });
    expect(kept.status).toBe(200);
    expect(kept.headers.get('x-request-id')).toBe('proxy-7f3a.42');
    const line = await untilLogged('proxy-7f3a.42');
    expect(line).toMatchObject({ req: { method: 'GET', url: '/api/collections' }, res: { statusCode: 200 } });
    expect(typeof line.responseTime).toBe('number');

    for (const insane of ['has spaces in it', 'x'.repeat(200), 'a"b;<c>']) {
      const res = await fetch(new URL(`/api/assets/${randomUUID()}`, server.url), {
        headers: { authorization: `Bearer ${server.adminToken}`, 'x-request-id': insane },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    }
    // Generated when none is sent, on error answers too.
    const none = await fetch(new URL('/api/no-such-thing', server.url));
    expect(none.status).toBe(404);
    expect(none.headers.get('x-request-id')).toMatch(UUID);
    expect((await untilLogged(none.headers.get('x-request-id')!)).res.statusCode).toBe(404);
  });
});

describe('the one error flow', () => {
  it('answers an unexpected failure as INTERNAL with the request id, and logs the cause under that id', async () => {
    // The blob's file becomes a symbolic link to itself: opening it fails with ELOOP, an error no route plans for.
    const file = path.join(server.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    rmSync(file);
    symlinkSync(file, file);
    const res = await fetch(new URL(`/api/assets/${assetId}/versions/1/content`, server.url), { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(UUID);
    const body = (await res.json()) as { error: { code: string; message: string; data: { requestId: string } } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.data.requestId).toBe(requestId);
    expect(body.error.message).toContain(requestId);
    // Nothing of the cause leaks to the caller.
    expect(JSON.stringify(body)).not.toMatch(/ELOOP|blobs|\/[a-z]+\//);
    await untilLogged(requestId);
    const failure = logged().find((l) => l.msg === 'request failed' && l.requestId === requestId);
    expect(failure?.err?.code).toBe('ELOOP');
    expect(failure?.reqId).toBe(requestId);
  });

  it('answers a StockroomError thrown by an async route with its own code and status', async () => {
    const res = await fetch(new URL(`/api/assets/${randomUUID()}/versions/1/content`, server.url), {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('no secrets in the request log', () => {
  it('leaves out tokens, passwords, cookies, link secrets and sign-in codes', async () => {
    const share = await server.stockroom.services.shares.create(admin, { target: { kind: 'asset', assetId }, allowDownload: true, allowComments: true });
    const secrets = [
      server.adminToken,
      'sid=s%3Acookie-value-123',
      'hunter2-correct-horse',
      share.secret,
      'oidc-code-abc123',
      'oidc-state-xyz789',
      'WXYZ-1234',
    ];
    const ids: string[] = [];
    const send = async (url: string, init: RequestInit = {}) => {
      const id = `secret-test-${ids.length}`;
      ids.push(id);
      await fetch(new URL(url, server.url), { ...init, headers: { ...(init.headers as Record<string, string>), 'x-request-id': id } });
    };
    await send('/api/collections', { headers: { authorization: `Bearer ${server.adminToken}`, cookie: secrets[1]! } });
    await send('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@stockroom.local', password: secrets[2] }),
    });
    await send(`/s/${share.secret}`);
    await send(`/s/${share.secret}/api`);
    await send(`/auth/oidc/callback?code=${secrets[4]}&state=${secrets[5]}`);
    await send(`/auth/device?code=${secrets[6]}`);
    for (const id of ids) await untilLogged(id);
    const output = lines.join('\n');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(logged().find((l) => l.req?.id === ids[2])?.req.url).toBe('/s/[redacted]');
    expect(logged().find((l) => l.req?.id === ids[5])?.req.url).toBe('/auth/device?code=%5Bredacted%5D');
  });
});

describe('log format', () => {
  const run = promisify(execFile);
  const program = `import(${JSON.stringify(path.join(import.meta.dirname, '..', '..', 'src', 'logger.ts'))}).then(({ createLogger }) => createLogger('info').info({ token: 'tty-secret-token' }, 'hello from the log'))`;
  const node = [process.execPath, '--import', 'tsx', '-e', program];

  it('writes one JSON object a line when stdout is not a terminal', async () => {
    const { stdout } = await run(node[0]!, node.slice(1), { cwd: path.join(import.meta.dirname, '..', '..') });
    const line = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: 'hello from the log', token: '[redacted]' });
  });

  it('writes readable lines on a terminal, still redacted', async () => {
    // util-linux `script` runs the program on a pseudo-terminal.
    const command = node.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const { stdout } = await run('script', ['-qfec', command, '/dev/null'], { cwd: path.join(import.meta.dirname, '..', '..') });
    const plain = stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/INFO.*hello from the log/);
    expect(plain).toContain('[redacted]');
    expect(plain).not.toContain('tty-secret-token');
    expect(() => JSON.parse(plain.trim())).toThrow();
  });
});
