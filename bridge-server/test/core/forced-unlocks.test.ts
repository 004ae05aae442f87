import { PROTOCOL_VERSION } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let admin: RawSocket;

async function lockedAsset(holder: TestUser, name: string, collectionId?: string): Promise<string> {
  const socket = await RawSocket.signedIn(server.wsUrl, holder.token, 'photoshop');
  const upload = await seedUpload(server.stockroom, holder.id);
  const asset = await socket.call('assets.create', { uploadId: upload.uploadId, name, ...(collectionId ? { collectionId } : {}) });
  await socket.call('assets.checkout', { id: asset.id });
  socket.close();
  return asset.id;
}

/** The server's clock as a client learns it: from the hello answer. */
async function serverTimeAtHello(token: string): Promise<string> {
  const socket = await RawSocket.open(server.wsUrl);
  const hello = await socket.call('session.hello', { token, client: { app: 'photoshop', appVersion: '1.0' }, protocol: PROTOCOL_VERSION });
  socket.close();
  return hello.serverTime;
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice' });
  bob = await server.createUser({ name: 'Bob' });
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
});
afterAll(async () => {
  admin?.close();
  await server?.destroy();
});

describe('locks removed while a panel was away (assets.forcedUnlocks)', () => {
  it('gives the hello answer the server time', async () => {
    const before = Date.now();
    const serverTime = await serverTimeAtHello(alice.token);
    expect(Date.parse(serverTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(serverTime)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("lists only the caller's locks that somebody else forced open after the moment asked, newest first, with who and why", async () => {
    const poster = await lockedAsset(alice, 'Poster');
    const banner = await lockedAsset(alice, 'Banner');
    const released = await lockedAsset(alice, 'Flyer');
    const bobs = await lockedAsset(bob, 'Bob’s sketch');
    const earlier = await lockedAsset(alice, 'Old logo');
    await admin.call('assets.forceUnlock', { id: earlier, reason: 'before the panel left' });
    const since = await serverTimeAtHello(alice.token);

    await admin.call('assets.forceUnlock', { id: poster, reason: '  holder on holiday ' });
    await admin.call('assets.forceUnlock', { id: banner });
    await admin.call('assets.forceUnlock', { id: bobs, reason: 'not Alice’s' });
    const own = await RawSocket.signedIn(server.wsUrl, alice.token);
    await own.call('assets.releaseCheckout', { id: released });

    const { unlocks } = await own.call('assets.forcedUnlocks', { since });
    expect(unlocks.map((u: { assetName: string }) => u.assetName)).toEqual(['Banner', 'Poster']);
    expect(unlocks[1]).toMatchObject({ assetId: poster, by: { email: 'admin@stockroom.local' }, reason: 'holder on holiday' });
    expect(unlocks[0].reason).toBeNull();
    expect(Date.parse(unlocks[1].at)).toBeGreaterThanOrEqual(Date.parse(since));

    const bobSocket = await RawSocket.signedIn(server.wsUrl, bob.token);
    const forBob = await bobSocket.call('assets.forcedUnlocks', { since });
    expect(forBob.unlocks.map((u: { assetId: string }) => u.assetId)).toEqual([bobs]);

    const later = new Date(Date.parse(unlocks[0].at) + 1).toISOString();
    expect((await own.call('assets.forcedUnlocks', { since: later })).unlocks).toEqual([]);
    [own, bobSocket].forEach((s) => s.close());
  });

  it('answers over REST the same, and refuses a moment that is not a date', async () => {
    const since = await serverTimeAtHello(bob.token);
    const asset = await lockedAsset(bob, 'Storyboard');
    await admin.call('assets.forceUnlock', { id: asset, reason: 'review' });
    const headers = { authorization: `Bearer ${bob.token}` };
    const res = await fetch(`${server.url}/api/assets/forced-unlocks?since=${encodeURIComponent(since)}`, { headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { unlocks: Array<{ assetId: string }> }).unlocks.map((u) => u.assetId)).toEqual([asset]);
    const bad = await fetch(`${server.url}/api/assets/forced-unlocks?since=yesterday`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('leaves out assets the caller can no longer read, and deleted ones', async () => {
    const carol = await server.createUser({ name: 'Carol' });
    const secret = await admin.call('collections.create', { name: 'Secret campaign' });
    await admin.call('grants.set', { collectionId: secret.id, subjectType: 'user', subjectId: carol.id, role: 'editor' });
    const since = await serverTimeAtHello(carol.token);
    const hidden = await lockedAsset(carol, 'Secret key visual', secret.id);
    const gone = await lockedAsset(carol, 'Deleted later');
    const kept = await lockedAsset(carol, 'Still visible');
    for (const id of [hidden, gone, kept]) await admin.call('assets.forceUnlock', { id });
    await admin.call('assets.delete', { id: gone });
    await admin.call('grants.remove', { collectionId: secret.id, subjectType: 'user', subjectId: carol.id });
    const socket = await RawSocket.signedIn(server.wsUrl, carol.token);
    const { unlocks } = await socket.call('assets.forcedUnlocks', { since });
    expect(unlocks.map((u: { assetId: string }) => u.assetId)).toEqual([kept]);
    socket.close();
  });
});
