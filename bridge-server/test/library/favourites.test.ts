// favourites.*: a person's stars live on the server, reach their other apps and computers
// live, and nobody else's; they follow the asset into the trash and back, respect what the
// person may read, and stop at FAVOURITES_LIMIT.
import { FAVOURITES_LIMIT } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let mira: TestUser; // the person starring
let omar: TestUser; // a colleague who may read the same collection
let admin: RawSocket;
let photoshop: RawSocket; // Mira in Photoshop
let premiere: RawSocket; // Mira in Premiere Pro, or on her other computer
let colleague: RawSocket;
let shared: string; // a collection both may read
let secret: string; // a collection Mira may not read
let adminId: string;

async function newAsset(collectionId: string, name: string): Promise<string> {
  const upload = await seedUpload(server.stockroom, adminId, { fileName: `${name}.png` });
  return (await admin.call('assets.create', { uploadId: upload.uploadId, name, collectionId })).id;
}

/** No new `favourites.changed` reaches `socket` for a while (events of one change arrive together, well within this). */
async function quiet(socket: RawSocket, ms = 1500): Promise<boolean> {
  // RawSocket.next also looks at frames already received: remember those first (a 1 ms wait that finds nothing new).
  const before = new Set<unknown>();
  await socket
    .next((f) => {
      if (f.event === 'favourites.changed') before.add(f);
      return false;
    }, 1)
    .catch(() => {});
  return socket
    .next((f) => f.event === 'favourites.changed' && !before.has(f), ms)
    .then(
      () => false,
      () => true,
    );
}

beforeAll(async () => {
  server = await startTestServer();
  mira = await server.createUser({ name: 'Mira' });
  omar = await server.createUser({ name: 'Omar' });
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  adminId = (await admin.call('session.whoami', {})).user.id;
  shared = (await admin.call('collections.create', { name: 'Campaign' })).id;
  secret = (await admin.call('collections.create', { name: 'Board only' })).id;
  for (const user of [mira, omar]) {
    await admin.call('grants.set', { collectionId: shared, subjectType: 'user', subjectId: user.id, role: 'editor' });
  }
  photoshop = await RawSocket.signedIn(server.wsUrl, mira.token, 'photoshop');
  premiere = await RawSocket.signedIn(server.wsUrl, mira.token, 'premiere');
  colleague = await RawSocket.signedIn(server.wsUrl, omar.token, 'photoshop');
  for (const socket of [photoshop, premiere, colleague]) await socket.call('events.subscribe', { events: ['favourites.changed'] });
});
afterAll(async () => {
  for (const socket of [admin, photoshop, premiere, colleague]) socket?.close();
  await server?.destroy();
});

describe('favourites on the server', () => {
  it('a star made in one app reaches the same person’s other app live, and nobody else', async () => {
    const poster = await newAsset(shared, 'Summer poster');
    const heard = premiere.event('favourites.changed', (d) => d.assetId === poster);
    const colleagueQuiet = quiet(colleague);
    expect(await photoshop.call('favourites.set', { assetId: poster, starred: true })).toEqual({ assetId: poster, starred: true });
    expect((await heard).data).toEqual({ userId: mira.id, assetId: poster, starred: true });
    expect(await colleagueQuiet).toBe(true);
    expect((await premiere.call('favourites.list', {})).assetIds).toEqual([poster]);
    expect((await colleague.call('favourites.list', {})).assetIds).toEqual([]);

    // A new connection (another computer) finds it too; REST answers the same.
    const laptop = await RawSocket.signedIn(server.wsUrl, mira.token, 'figma');
    try {
      expect((await laptop.call('favourites.list', {})).assetIds).toEqual([poster]);
    } finally {
      laptop.close();
    }
    const rest = await fetch(`${server.url}/api/favourites`, { headers: { Authorization: `Bearer ${mira.token}` } });
    expect(await rest.json()).toEqual({ assetIds: [poster] });

    // Unstarred from the other app: told back; unstarring again is no error and tells nothing.
    const unheard = photoshop.event('favourites.changed', (d) => d.assetId === poster && d.starred === false);
    await premiere.call('favourites.set', { assetId: poster, starred: false });
    await unheard;
    expect((await photoshop.call('favourites.list', {})).assetIds).toEqual([]);
    const nothing = quiet(photoshop);
    expect(await premiere.call('favourites.set', { assetId: poster, starred: false })).toEqual({ assetId: poster, starred: false });
    expect(await nothing).toBe(true);
  });

  it('lists the most recent star first, and starring twice keeps the first date', async () => {
    const [a, b, c] = [await newAsset(shared, 'A-roll'), await newAsset(shared, 'B-roll'), await newAsset(shared, 'C-roll')];
    for (const id of [a, b, c]) await photoshop.call('favourites.set', { assetId: id, starred: true });
    await photoshop.call('favourites.set', { assetId: a, starred: true });
    expect((await photoshop.call('favourites.list', {})).assetIds.slice(0, 3)).toEqual([c, b, a]);
    for (const id of [a, b, c]) await photoshop.call('favourites.set', { assetId: id, starred: false });
  });

  it('refuses a star on what the person may not read, or what does not exist, as NOT_FOUND', async () => {
    const board = await newAsset(secret, 'Board deck');
    for (const assetId of [board, '00000000-0000-4000-8000-000000000000']) {
      const reply = await photoshop.request('favourites.set', { assetId, starred: true });
      expect(reply.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('cannot be starred') });
    }
    const invalid = await photoshop.request('favourites.set', { assetId: 'not-an-id', starred: true });
    expect(invalid.error?.code).toBe('VALIDATION_FAILED');
    expect((await photoshop.call('favourites.list', {})).assetIds).not.toContain(board);
  });

  it('hides the star of an asset in the trash and shows it again once restored; hides it when access is taken away', async () => {
    const clip = await newAsset(shared, 'Interview clip');
    await photoshop.call('favourites.set', { assetId: clip, starred: true });
    await admin.call('assets.delete', { id: clip });
    expect((await photoshop.call('favourites.list', {})).assetIds).not.toContain(clip);
    await admin.call('library.restore', { ids: [clip] });
    expect((await photoshop.call('favourites.list', {})).assetIds).toContain(clip);

    await admin.call('grants.remove', { collectionId: shared, subjectType: 'user', subjectId: mira.id });
    try {
      await expect.poll(async () => (await photoshop.call('favourites.list', {})).assetIds, { timeout: 5000 }).not.toContain(clip);
    } finally {
      await admin.call('grants.set', { collectionId: shared, subjectType: 'user', subjectId: mira.id, role: 'editor' });
    }
    await expect.poll(async () => (await photoshop.call('favourites.list', {})).assetIds, { timeout: 5000 }).toContain(clip);
    await photoshop.call('favourites.set', { assetId: clip, starred: false });
  });

  it('imports stars kept on a computer: readable ones join, the rest are skipped, the first given ends up the most recent', async () => {
    const [first, second] = [await newAsset(shared, 'Logo lockup'), await newAsset(shared, 'Logo mono')];
    const board = await newAsset(secret, 'Salary sheet');
    const heard = premiere.event('favourites.changed', (d) => d.assetId === second);
    const result = await photoshop.call('favourites.import', { assetIds: [first, board, '00000000-0000-4000-8000-000000000001', second, first] });
    expect(result.assetIds.slice(0, 2)).toEqual([first, second]);
    expect(result.assetIds).not.toContain(board);
    await heard;
    for (const id of [first, second]) await photoshop.call('favourites.set', { assetId: id, starred: false });
  });

  it(`stops at ${FAVOURITES_LIMIT} stars with CONFLICT and a message saying what to do`, async () => {
    const db = server.stockroom.database.prisma;
    // Assets without versions are enough for stars; the rows go in directly (500 uploads would only slow the test).
    await db.$executeRaw`
      WITH made AS (
        INSERT INTO assets (id, "collectionId", name, kind, "createdById", "updatedAt")
        SELECT gen_random_uuid(), ${shared}::uuid, 'Filler ' || i, 'image', ${mira.id}::uuid, now() FROM generate_series(1, ${FAVOURITES_LIMIT}) AS i
        RETURNING id)
      INSERT INTO favourites ("userId", "assetId") SELECT ${omar.id}::uuid, id FROM made`;
    const one = await newAsset(shared, 'One too many');
    const reply = await colleague.request('favourites.set', { assetId: one, starred: true });
    expect(reply.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Unstar some first'), data: { limit: FAVOURITES_LIMIT } });
    expect((await colleague.call('favourites.import', { assetIds: [one] })).assetIds).not.toContain(one);
    // Starring again what is starred already is no error, even at the limit.
    const starred = (await db.favourite.findFirstOrThrow({ where: { userId: omar.id } })).assetId;
    expect(await colleague.call('favourites.set', { assetId: starred, starred: true })).toEqual({ assetId: starred, starred: true });
    expect((await colleague.call('favourites.list', {})).assetIds).toHaveLength(FAVOURITES_LIMIT);

    // Three apps starring at once near the limit: it still holds.
    await db.favourite.deleteMany({ where: { userId: omar.id } });
    const fillers = (await db.asset.findMany({ where: { name: { startsWith: 'Filler ' } }, select: { id: true }, take: FAVOURITES_LIMIT })).map((a) => a.id);
    await db.favourite.createMany({ data: fillers.slice(0, FAVOURITES_LIMIT - 3).map((assetId) => ({ userId: omar.id, assetId })) });
    const apps = [colleague, await RawSocket.signedIn(server.wsUrl, omar.token, 'premiere'), await RawSocket.signedIn(server.wsUrl, omar.token, 'figma')];
    try {
      const candidates = fillers.slice(FAVOURITES_LIMIT - 3).concat([one, await newAsset(shared, 'Another'), await newAsset(shared, 'And another')]);
      const replies = await Promise.all(candidates.map((assetId, i) => apps[i % apps.length]!.request('favourites.set', { assetId, starred: true })));
      expect(replies.filter((r) => r.result).length).toBe(3);
      expect(replies.filter((r) => r.error?.code === 'CONFLICT').length).toBe(3);
      expect(await db.favourite.count({ where: { userId: omar.id } })).toBe(FAVOURITES_LIMIT);
    } finally {
      for (const app of apps.slice(1)) app.close();
    }
  });
});
