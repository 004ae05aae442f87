// Bad input from any client, on every method: random and half-right params for each method of
// the contract, over the WebSocket and over its REST route, as an administrator (who gets
// furthest into the services) and as a member. Every answer must be a result or an error with
// a stable code other than INTERNAL; no HTTP 500; the socket stays open; the server keeps
// answering. fast-check prints the smallest failing input.
import net from 'node:net';
import fc from 'fast-check';
import { METHOD_NAMES, methods, UPLOAD_PATH, UPLOAD_SHA256_HEADER, type MethodName } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

// Methods that end or change the caller's own session, or change settings every later call depends on.
const LEFT_OUT = /^session\.|^admin\.settings|^tokens\.revoke/;
const RUNS_PER_METHOD = Number(process.env.FUZZ_RUNS ?? 12);
// The same inputs on every CI run (a failure is reproducible); FUZZ_SEED=<n> FUZZ_RUNS=<m> explores others.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);

let server: TestServer;
let member: TestUser;
let admin: RawSocket;
let memberSocket: RawSocket;
let assetId: string;
let collectionId: string;

/** A value from the kinds that break services: wrong types, edge numbers, odd text, real and unknown ids. */
function nasty(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%00', '💥'.repeat(50), 'a'.repeat(20_000), '0', '-1', 'NaN', '1e309'),
    fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 31, 1e308),
    fc.uuid(),
    fc
      .constantFrom(
        () => assetId,
        () => collectionId,
      )
      .map((f) => f()),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  );
}

/** Params for one method: anything at all, or an object with the method's own keys holding nasty values. */
function paramsFor(method: MethodName): fc.Arbitrary<unknown> {
  const schema = methods[method].params as z.ZodType;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const shaped = keys.length ? fc.record(Object.fromEntries(keys.map((k) => [k, nasty()])), { requiredKeys: [] }) : fc.constant({});
  return fc.oneof({ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 4, arbitrary: shaped });
}

/** One call, waiting out the per-connection message limit when it is reached. */
async function answer(socket: RawSocket, method: string, params: unknown) {
  for (;;) {
    const reply = await socket.request(method, params);
    if (reply.error?.code !== 'RATE_LIMITED') return reply;
    await new Promise((resolve) => setTimeout(resolve, Number(reply.error?.data?.retryAfterSeconds ?? 1) * 1000));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  member = await server.createUser({ name: 'Mira' });
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'photoshop');
  memberSocket = await RawSocket.signedIn(server.wsUrl, member.token, 'premiere');
  collectionId = (await admin.call('collections.create', { name: 'Fuzzed' })).id;
  const upload = await seedUpload(server.stockroom, (await admin.call('session.whoami', {})).user.id, { fileName: 'fuzz.png' });
  assetId = (await admin.call('assets.create', { uploadId: upload.uploadId, name: 'Fuzz target', collectionId })).id;
});
afterAll(async () => {
  admin?.close();
  memberSocket?.close();
  await server?.destroy();
});

describe('bad input on every method', () => {
  const fuzzed = METHOD_NAMES.filter((m) => !LEFT_OUT.test(m));

  it('answers every method over the WebSocket with a result or a stable error, never INTERNAL, and keeps the socket', { timeout: 240_000 }, async () => {
    expect(fuzzed.length).toBeGreaterThan(50);
    for (const method of fuzzed) {
      await fc.assert(
        fc.asyncProperty(paramsFor(method), fc.boolean(), async (params, asAdmin) => {
          const reply = await answer(asAdmin ? admin : memberSocket, method, params);
          expect('result' in reply || 'error' in reply, `${method}: an answer`).toBe(true);
          if (reply.error) {
            expect(reply.error.code, `${method} ${JSON.stringify(params).slice(0, 300)}: ${reply.error.message}`).not.toBe('INTERNAL');
            expect(reply.error.message.length, `${method}: a message that says what to do`).toBeGreaterThan(10);
          }
        }),
        { numRuns: RUNS_PER_METHOD, seed: SEED },
      );
    }
    // Both sockets still answer after all of it.
    expect((await admin.call('session.whoami', {})).user.role).toBe('admin');
    expect((await memberSocket.call('session.whoami', {})).user.id).toBe(member.id);
  });

  it('answers every REST route with a JSON error below 500, whatever the path, query and body', { timeout: 240_000 }, async () => {
    const routes = server.stockroom.registry.list().filter((entry) => entry.rest && !LEFT_OUT.test(entry.name));
    expect(routes.length).toBeGreaterThan(30);
    for (const entry of routes) {
      const { verb, path } = entry.rest!;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            nasty().map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null'))),
            { minLength: 4, maxLength: 4 },
          ),
          paramsFor(entry.name),
          fc.boolean(),
          async (segments, params, asAdmin) => {
            let i = 0;
            const url = server.url + path.replace(/:\w+/g, () => encodeURIComponent(segments[i++ % segments.length]!.slice(0, 2000)));
            const token = asAdmin ? server.adminToken : member.token;
            const query =
              verb === 'get' || verb === 'delete'
                ? `?${new URLSearchParams(
                    Object.entries(params && typeof params === 'object' ? params : {}).map(([k, v]): [string, string] => [
                      k,
                      typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
                    ]),
                  )}`
                : '';
            for (;;) {
              const response = await fetch(url + query, {
                method: verb.toUpperCase(),
                headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
                body: verb === 'get' || verb === 'delete' ? undefined : JSON.stringify(params),
              });
              const text = await response.text();
              if (response.status === 429) {
                await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
                continue;
              }
              expect(response.status, `${verb} ${path} ${url + query} ${JSON.stringify(params).slice(0, 300)}: ${text.slice(0, 300)}`).toBeLessThan(500);
              if (response.status >= 400) expect(JSON.parse(text).error.code, text.slice(0, 300)).toMatch(/^[A-Z_]+$/);
              return;
            }
          },
        ),
        { numRuns: RUNS_PER_METHOD, seed: SEED },
      );
    }
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('answers bad tus requests (any method, odd headers, an upload of its own or another) below 500, with the JSON error', { timeout: 120_000 }, async () => {
    // A real upload in progress: half its bytes are there.
    const created = await fetch(`${server.url}${UPLOAD_PATH}`, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        Authorization: `Bearer ${member.token}`,
        'Upload-Length': '1024',
        'Upload-Metadata': `filename ${btoa('fuzz.bin')}`,
      },
    });
    expect(created.status).toBe(201);
    const ownUrl = new URL(created.headers.get('location')!, server.url).toString();
    const half = await fetch(ownUrl, {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${member.token}`, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(512),
    });
    expect(half.status).toBe(204);
    const headerValue = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '-1',
        '512',
        '1024',
        '99999999999999999999',
        '1.5',
        'abc',
        'filename',
        `filename ${btoa('x')}`,
        'filename !!!',
        '1.0.0',
        '0.2.2',
      ),
      fc.string({ maxLength: 40 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS', 'GET'),
        fc.constantFrom('own', 'unknown', 'collection'),
        fc.record(
          Object.fromEntries(
            ['Tus-Resumable', 'Upload-Length', 'Upload-Offset', 'Upload-Metadata', 'Upload-Defer-Length', 'Content-Type', UPLOAD_SHA256_HEADER].map((h) => [
              h,
              headerValue,
            ]),
          ),
          { requiredKeys: [] },
        ),
        fc.uint8Array({ maxLength: 2048 }),
        fc.boolean(),
        async (method, target, headers, body, asMember) => {
          const url = target === 'own' ? ownUrl : target === 'unknown' ? `${server.url}${UPLOAD_PATH}/${'0'.repeat(32)}` : `${server.url}${UPLOAD_PATH}`;
          const response = await fetch(url, {
            method,
            headers: { ...(headers as Record<string, string>), Authorization: `Bearer ${asMember ? member.token : server.adminToken}` },
            body: method === 'PATCH' || method === 'POST' ? body : undefined,
          });
          const text = await response.text();
          expect(response.status, `${method} ${target} ${JSON.stringify(headers)}: ${text.slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400 && method !== 'HEAD') expect(JSON.parse(text).error.code, text.slice(0, 300)).toMatch(/^[A-Z_]+$/);
        },
      ),
      { numRuns: RUNS_PER_METHOD * 10, seed: SEED },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers what Node refuses before any route (a URL over 16 KB, bytes that are not HTTP) with the same JSON error body', async () => {
    const long = await fetch(`${server.url}/api/assets?q=${'a'.repeat(20_000)}`, { headers: { Authorization: `Bearer ${server.adminToken}` } });
    expect(long.status).toBe(431);
    expect(long.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await long.json()) as { error: unknown }).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/POST body/) });

    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write('HELLO THERE\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).error.code).toBe('PROTOCOL_ERROR');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
