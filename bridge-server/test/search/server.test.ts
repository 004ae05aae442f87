// assets.search through the real server: WebSocket and REST, fed by the outbox
// indexer, fresh within a second of assets.update returning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let socket: RawSocket;

async function newAsset(name: string, tags: string[] = []): Promise<string> {
  const upload = await seedUpload(server.stockroom, alice.id, { fileName: `${name}.png` });
  const asset = await socket.call('assets.create', { uploadId: upload.uploadId, name, tags });
  return asset.id;
}

/** Polls assets.search until `done` holds; returns the milliseconds it took. */
async function until(params: unknown, done: (result: any) => boolean, via = socket): Promise<number> {
  const started = performance.now();
  for (;;) {
    const result = await via.call('assets.search', params);
    if (done(result)) return performance.now() - started;
    if (performance.now() - started > 5000) throw new Error(`search never matched: ${JSON.stringify(params)}`);
    // 25 ms between polls: well inside the per-connection message limit, fine enough for a 1 s target.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice' });
  bob = await server.createUser({ name: 'Bob' });
  socket = await RawSocket.signedIn(server.wsUrl, alice.token, 'photoshop');
});
afterAll(async () => {
  socket?.close();
  await server?.destroy();
});

describe('assets.search on the server', () => {
  it('finds a new asset over WebSocket with its full asset, highlights and facets', async () => {
    const id = await newAsset('Harbour lighthouse at dawn', ['coast']);
    await until({ q: 'lighthous' }, (r) => r.hits.some((h: any) => h.asset.id === id));
    const result = await socket.call('assets.search', { q: 'lighthous', facets: ['kind', 'tags'] });
    const hit = result.hits.find((h: any) => h.asset.id === id);
    expect(hit.asset).toMatchObject({ name: 'Harbour lighthouse at dawn', headVersion: 1, lock: null });
    expect(hit.asset.head.mimeType).toBe('image/png');
    expect(hit.highlights[0]).toEqual({
      field: 'name',
      parts: [
        { text: 'Harbour ', match: false },
        { text: 'lighthouse', match: true },
        { text: ' at dawn', match: false },
      ],
    });
    expect(result.facets.tags).toEqual([{ value: 'coast', count: 1 }]);
    expect(result.total).toBe(1);
  });

  it('answers over REST with the same contract, and validates params', async () => {
    const id = await newAsset('Brand guidelines cover');
    await until({ q: 'guidelines' }, (r) => r.hits.length === 1);
    const res = await fetch(`${server.url}/api/assets/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'guidlines', sort: 'relevance', limit: 5 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hits: { asset: { id: string } }[] };
    expect(body.hits.map((h) => h.asset.id)).toEqual([id]);
    const bad = await fetch(`${server.url}/api/assets/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'x', sort: 'random', limit: 5000 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    const anonymous = await fetch(`${server.url}/api/assets/search`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
  });

  it('takes hostile text over the wire without an error', async () => {
    for (const q of ['', '"', ':', '&&', '%', '_', '\\', '"unbalanced', '🙂', 'x'.repeat(10 * 1024)]) {
      const reply = await socket.request('assets.search', { q });
      expect(reply.error, JSON.stringify(q.slice(0, 20))).toBeUndefined();
      expect(Array.isArray(reply.result.hits)).toBe(true);
    }
  });

  it('follows check-out, check-in state and deletion', async () => {
    const id = await newAsset('Quarterly deck');
    await until({ q: 'quarterly' }, (r) => r.hits.length === 1);
    await socket.call('assets.checkout', { id });
    await until({ q: 'quarterly', filters: { checkedOutByMe: true } }, (r) => r.hits.some((h: any) => h.asset.id === id));
    const bobSocket = await RawSocket.signedIn(server.wsUrl, bob.token);
    try {
      const forBob = await bobSocket.call('assets.search', { q: 'quarterly', filters: { checkedOutByMe: true } });
      expect(forBob.hits).toEqual([]);
      expect((await bobSocket.call('assets.search', { q: 'quarterly', filters: { locked: true } })).hits).toHaveLength(1);
    } finally {
      bobSocket.close();
    }
    await socket.call('assets.releaseCheckout', { id });
    await until({ q: 'quarterly', filters: { locked: false } }, (r) => r.hits.length === 1);
    await socket.call('assets.delete', { id });
    await until({ q: 'quarterly' }, (r) => r.hits.length === 0 && r.total === 0);
  });

  it('shows in a hit the same asset as assets.get: creator, lock with its holder, head version with its author', async () => {
    const id = await newAsset('Annual report cover');
    const bobSocket = await RawSocket.signedIn(server.wsUrl, bob.token, 'premiere');
    try {
      await bobSocket.call('assets.checkout', { id });
      const upload = await seedUpload(server.stockroom, bob.id, { fileName: 'Annual report cover v2.png', bytes: Buffer.from('second version bytes') });
      await bobSocket.call('assets.checkin', { id, uploadId: upload.uploadId, comment: 'New cover photo', baseVersion: 1, keepLocked: true });
      // The metadata job writes into the head version: compare once it has.
      let expected = await socket.call('assets.get', { id });
      for (const started = performance.now(); !expected.head.metadata.extractedAt && performance.now() - started < 10_000; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        expected = await socket.call('assets.get', { id });
      }
      expect(expected.head.metadata.extractedAt).toBeTypeOf('string');
      expect(expected).toMatchObject({ headVersion: 2, lock: { holder: { id: bob.id }, clientApp: 'premiere' }, createdBy: { id: alice.id } });
      expect(expected.head).toMatchObject({ number: 2, comment: 'New cover photo', author: { id: bob.id } });
      await until({ q: 'annual report' }, (r) => r.hits.some((h: any) => h.asset.id === id && h.asset.headVersion === 2 && h.asset.lock));
      const result = await socket.call('assets.search', { q: 'annual report' });
      expect(result.hits.find((h: any) => h.asset.id === id).asset).toEqual(expected);
    } finally {
      bobSocket.close();
    }
  });

  it('reflects assets.update within 1 s (p99 of 60 updates)', async () => {
    const id = await newAsset('Freshness probe');
    await until({ q: 'freshness probe' }, (r) => r.hits.length === 1);
    const latencies: number[] = [];
    for (let i = 0; i < 60; i++) {
      const word = `probe${i}x${Math.random().toString(36).slice(2, 8)}`;
      await socket.call('assets.update', { id, name: `Freshness ${word}` });
      latencies.push(await until({ q: word }, (r) => r.hits.some((h: any) => h.asset.id === id)));
    }
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length * 0.5)]!;
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    console.log(`search freshness after assets.update: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
    expect(p99).toBeLessThan(1000);
  });

  it('shows each member only the collections they may read (and unfiled assets)', async () => {
    const s = server.stockroom.services;
    const adminRow = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
    const adminActor = { user: { id: adminRow.id, name: adminRow.name, email: adminRow.email, role: 'admin' as const }, clientApp: 'script' };
    const open = (await s.collections.create(adminActor, { name: 'Open brand' })).id;
    const closed = (await s.collections.create(adminActor, { name: 'Closed brand' })).id;
    const carol = await server.createUser({ name: 'Carol' });
    await s.grants.set(adminActor, { collectionId: open, subjectType: 'user', subjectId: carol.id, role: 'viewer' });
    const admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'script');
    const carolSocket = await RawSocket.signedIn(server.wsUrl, carol.token, 'figma');
    try {
      const create = async (name: string, collectionId: string | null) => {
        const upload = await seedUpload(server.stockroom, adminRow.id);
        return (await admin.call('assets.create', { uploadId: upload.uploadId, name, collectionId })).id as string;
      };
      const inOpen = await create('Permission probe open', open);
      const inClosed = await create('Permission probe closed', closed);
      const unfiled = await create('Permission probe inbox', null);
      await until({ q: 'permission probe' }, (r) => r.total === 3, admin);
      const forCarol = await carolSocket.call('assets.search', { q: 'permission probe', facets: ['collectionId'] });
      expect(forCarol.hits.map((h: any) => h.asset.id).sort()).toEqual([inOpen, unfiled].sort());
      expect(forCarol.total).toBe(2);
      expect(forCarol.facets.collectionId).toEqual([{ value: open, count: 1 }]);
      const forAlice = await socket.call('assets.search', { q: 'permission probe' });
      expect(forAlice.hits.map((h: any) => h.asset.id)).toEqual([unfiled]);
      const browse = await carolSocket.call('assets.search', { q: '', filters: { collectionIds: [closed] } });
      expect(browse.hits).toEqual([]);
      expect(inClosed).toBeTruthy();
    } finally {
      admin.close();
      carolSocket.close();
    }
  });

  it('reports the indexer lag in /metrics and admin.stats', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.adminToken}` } })).text();
    expect(metrics).toMatch(/stockroom_search_index_lag_seconds\{backend="postgres"\} \d/);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d/m);
    expect(metrics).toMatch(/stockroom_search_index_pending_events\{backend="postgres"\} \d/);
    const admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
    try {
      // Counted from the indexer's cursor: caught up once the events of this very connection are applied.
      await expect
        .poll(async () => (await admin.call('admin.stats', {})).search, { timeout: 5000, interval: 20 })
        .toEqual([expect.objectContaining({ backend: 'postgres', lag: 0 })]);
    } finally {
      admin.close();
    }
  });
});
