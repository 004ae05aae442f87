import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

async function newAsset(owner: TestUser, name = 'Poster'): Promise<string> {
  const socket = await RawSocket.signedIn(server.wsUrl, owner.token);
  const upload = await seedUpload(server.stockroom, owner.id);
  const asset = await socket.call('assets.create', { uploadId: upload.uploadId, name });
  socket.close();
  return asset.id;
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice' });
  bob = await server.createUser({ name: 'Bob' });
});
afterAll(async () => server?.destroy());

describe('check-out locks', () => {
  it('lets exactly one of 50 racing clients win; the others get ASSET_LOCKED naming the holder', async () => {
    const assetId = await newAsset(alice);
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => server.createUser({ name: `Racer ${i}` })));
    const sockets = await Promise.all(users.map((u) => RawSocket.signedIn(server.wsUrl, u.token, 'photoshop')));
    const replies = await Promise.all(sockets.map((s) => s.request('assets.checkout', { id: assetId })));
    const winners = replies.filter((r) => r.result);
    const losers = replies.filter((r) => r.error);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    const winnerIndex = replies.findIndex((r) => r.result);
    const holder = users[winnerIndex]!;
    expect(winners[0]!.result.lock.holder.id).toBe(holder.id);
    for (const loser of losers) {
      expect(loser.error!.code).toBe('ASSET_LOCKED');
      expect((loser.error!.data as any).holder.id).toBe(holder.id);
      expect(loser.error!.message).toContain(holder.name);
    }
    const rows = await server.stockroom.database.prisma.lock.findMany({ where: { assetId } });
    expect(rows).toHaveLength(1);
    sockets.forEach((s) => s.close());
  });

  it('keeps the lock across a server restart', async () => {
    const assetId = await newAsset(alice);
    const socket = await RawSocket.signedIn(server.wsUrl, alice.token);
    await socket.call('assets.checkout', { id: assetId });
    socket.close();
    await server.restart();
    const again = await RawSocket.signedIn(server.wsUrl, bob.token);
    const reply = await again.request('assets.checkout', { id: assetId });
    expect(reply.error?.code).toBe('ASSET_LOCKED');
    expect((reply.error!.data as any).holder.id).toBe(alice.id);
    const asset = await again.call('assets.get', { id: assetId });
    expect(asset.lock.holder.id).toBe(alice.id);
    again.close();
  });

  it('lets an administrator force-unlock and refuses others with FORBIDDEN', async () => {
    const assetId = await newAsset(alice);
    const holder = await RawSocket.signedIn(server.wsUrl, alice.token);
    await holder.call('assets.checkout', { id: assetId });
    const member = await RawSocket.signedIn(server.wsUrl, bob.token);
    const refused = await member.request('assets.forceUnlock', { id: assetId });
    expect(refused.error?.code).toBe('FORBIDDEN');
    expect(await server.stockroom.database.prisma.lock.count({ where: { assetId } })).toBe(1);
    const admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
    const unlocked = await admin.call('assets.forceUnlock', { id: assetId, reason: 'holder on holiday' });
    expect(unlocked.lock).toBeNull();
    // Bob can now take it.
    const taken = await member.call('assets.checkout', { id: assetId });
    expect(taken.lock.holder.id).toBe(bob.id);
    const audit = await server.stockroom.database.prisma.auditEvent.findFirst({ where: { targetId: assetId, action: 'asset.forceUnlock' } });
    expect(audit?.data).toMatchObject({ reason: 'holder on holiday', previousHolder: alice.id });
    [holder, member, admin].forEach((s) => s.close());
  });

  it('sends every lock change to the other connected clients as an event', async () => {
    const assetId = await newAsset(alice);
    const watcher = await RawSocket.signedIn(server.wsUrl, bob.token, 'premiere');
    await watcher.call('events.subscribe', {});
    const actor = await RawSocket.signedIn(server.wsUrl, alice.token, 'photoshop');
    await actor.call('assets.checkout', { id: assetId });
    const locked = await watcher.event('asset.locked', (d) => d.assetId === assetId);
    expect(locked.data.lock.holder.id).toBe(alice.id);
    expect(locked.data.lock.clientApp).toBe('photoshop');
    await actor.call('assets.releaseCheckout', { id: assetId });
    const released = await watcher.event('asset.unlocked', (d) => d.assetId === assetId);
    expect(released.data).toMatchObject({ forced: false, previousHolder: { id: alice.id } });
    await actor.call('assets.checkout', { id: assetId });
    await watcher.event(
      'asset.locked',
      (d) => d.assetId === assetId && watcher.frames.filter((f) => f.event === 'asset.locked' && f.data.assetId === assetId).length === 2,
    );
    const admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
    await admin.call('assets.forceUnlock', { id: assetId });
    const forced = await watcher.event('asset.unlocked', (d) => d.assetId === assetId && d.forced === true);
    expect(forced.data.by.email).toBe('admin@stockroom.local');
    // A release by somebody who does not hold the lock is refused.
    await actor.call('assets.checkout', { id: assetId });
    const notYours = await watcher.request('assets.releaseCheckout', { id: assetId });
    expect(notYours.error?.code).toBe('ASSET_LOCKED');
    [watcher, actor, admin].forEach((s) => s.close());
  });
});
