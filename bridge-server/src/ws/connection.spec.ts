import type { EventName } from '@stockroom/shared-types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, deferred, MEMBER_ID, MEMBER_TOKEN, settle, until, wsWorld } from '../../test/unit/fakes/ws.ts';
import { applyAccessEvent } from './access-events.ts';

/*
 * The rules of one connection after sign-in, over a fake socket (signing in: session.spec.ts):
 * from a frame to its answer, live events, current roles (current-roles.ts), revocation
 * (revocation.ts) and the access events that end or refresh connections (access-events.ts).
 */

const C = '00000000-0000-4000-8000-00000000000c';
const ASSET = '00000000-0000-4000-8000-0000000000e5';
const event = (name: EventName, data: unknown) => ({ id: 1n, event: name, data });
const unfiled = event('version.created', { assetId: 'a', collectionId: null });

afterEach(() => {
  vi.useRealTimers();
});

async function subscribedMember() {
  const world = wsWorld();
  return { world, ...(await world.subscribed(MEMBER_TOKEN)) };
}

describe('Connection: from a frame to its answer', () => {
  it('answers a message it cannot read with the framing error under id null, and keeps the socket', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request('{not json');
    socket.request({ id: 2, method: 'collections.list' });
    await until(() => socket.answer(2), 'answer');
    expect(socket.answer(null).error.code).toBe('PROTOCOL_ERROR');
    expect(socket.closedWith).toBeUndefined();
  });

  it('answers an unknown method with UNKNOWN_METHOD naming it', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request({ id: 2, method: 'assets.teleport', params: {} });
    const answer = await until(() => socket.answer(2), 'answer');
    expect(answer.error).toMatchObject({ code: 'UNKNOWN_METHOD', data: { method: 'assets.teleport' } });
    expect(answer.error.message).toMatch(/assets\.teleport/);
  });

  it('validates parameters against the contract before a handler runs', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request({ id: 2, method: 'assets.get', params: { id: 'not-a-uuid' } });
    const answer = await until(() => socket.answer(2), 'answer');
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    expect(world.calls).toEqual([]);
  });

  it('answers over the per-connection message limit with RATE_LIMITED and the seconds to wait, and keeps the socket', async () => {
    const world = wsWorld({ messagesPer2s: 3 });
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    for (const id of [1, 2, 3]) socket.request({ id, method: 'collections.list' });
    await until(() => socket.frames.length === 4, 'three answers');
    expect(socket.answer(1).result).toBeDefined();
    expect(socket.answer(2).result).toBeDefined();
    expect(socket.answer(3).error).toMatchObject({ code: 'RATE_LIMITED', data: { retryAfterSeconds: expect.any(Number) } });
    expect(world.calls).toHaveLength(2);
    expect(socket.closedWith).toBeUndefined();
  });
});

describe('live events on a connection', () => {
  it('reach a signed-in connection only after events.subscribe, filtered by its list and by what its user may read', async () => {
    const world = wsWorld();
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    const { socket, connection } = await world.signedIn(MEMBER_TOKEN);
    connection.deliver(unfiled);
    await settle();
    expect(socket.events()).toEqual([]);
    socket.request({ id: 2, method: 'events.subscribe', params: { events: ['version.created', 'asset.locked', 'client.connected'] } });
    await until(() => socket.answer(2), 'subscribe answer');
    const other = '00000000-0000-4000-8000-0000000000d0';
    for (const e of [
      event('version.created', { assetId: 'a', collectionId: C, number: 2 }),
      event('version.created', { assetId: 'b', collectionId: other, number: 2 }),
      event('asset.unlocked', { assetId: 'a', collectionId: C }),
      event('client.connected', { client: { sessionId: 's' } }),
      event('asset.locked', { assetId: 'a', collectionId: null }),
    ]) {
      connection.deliver(e);
    }
    await settle();
    expect(socket.events()).toEqual([
      { event: 'version.created', data: { assetId: 'a', collectionId: C, number: 2 } },
      { event: 'asset.locked', data: { assetId: 'a', collectionId: null } },
    ]);
  });

  it('do not reach a socket that has not signed in', async () => {
    const world = wsWorld();
    const { socket, connection } = world.open();
    connection.deliver(unfiled);
    await settle();
    expect(socket.frames).toEqual([]);
  });

  it('reach an administrator’s connection whatever the collection, client events included', async () => {
    const world = wsWorld();
    const { socket, connection } = await world.subscribed(ADMIN_TOKEN);
    connection.deliver(event('version.created', { assetId: 'a', collectionId: C }));
    connection.deliver(event('client.connected', { client: { sessionId: 's' } }));
    await settle();
    expect(socket.events().map((e) => e.event)).toEqual(['version.created', 'client.connected']);
  });
});

const inC = { id: 7n, event: 'version.created' as const, data: { assetId: 'a', collectionId: C } };

describe('the roles a connection is judged by', () => {
  it('are read afresh before every request: a grant given elsewhere applies to the very next call', async () => {
    const { world, socket } = await subscribedMember();
    socket.request({ id: 1, method: 'collections.list' });
    await until(() => socket.answer(1), 'first answer');
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'editor' }]);
    socket.request({ id: 2, method: 'collections.list' });
    await until(() => socket.answer(2), 'second answer');
    expect(world.calls.map((c) => c.grants)).toEqual([{}, { [C]: 'editor' }]);
  });

  it('are reloaded before the answer to a method that changes the caller’s own roles, so the next event is judged by them', async () => {
    const { world, socket, connection } = await subscribedMember();
    socket.request({ id: 1, method: 'grants.set', params: { collectionId: C, subjectType: 'user', subjectId: MEMBER_ID, role: 'viewer' } });
    await until(() => socket.answer(1), 'grants.set answer');
    connection.deliver(inC);
    await settle();
    expect(socket.events()).toEqual([{ event: 'version.created', data: inC.data }]);
    expect(world.calls.map((c) => c.method)).toEqual(['grants.set']);
  });

  it('after grants.changed: events that arrive during the reload wait for it and are judged by the new roles, in order', async () => {
    const { world, socket, connection } = await subscribedMember();
    const slowLoad = deferred();
    world.grantLoads.gate = slowLoad.promise;
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    const reloaded = connection.refreshGrants();
    connection.deliver(inC);
    connection.deliver({ ...inC, id: 8n, data: { assetId: 'b', collectionId: C } });
    await settle();
    expect(socket.events()).toEqual([]);
    slowLoad.resolve();
    await reloaded;
    await settle();
    expect(socket.events().map((e) => e.data.assetId)).toEqual(['a', 'b']);
  });

  it('after grants.changed: a grant taken away hides the events that arrive during the reload', async () => {
    const world = wsWorld();
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    const { socket, connection } = await world.subscribed(MEMBER_TOKEN);
    connection.deliver(inC);
    await settle();
    expect(socket.events()).toHaveLength(1);
    const slowLoad = deferred();
    world.grantLoads.gate = slowLoad.promise;
    world.grants.set(MEMBER_ID, []);
    const reloaded = connection.refreshGrants();
    connection.deliver({ ...inC, id: 8n });
    slowLoad.resolve();
    await reloaded;
    await settle();
    expect(socket.events()).toHaveLength(1);
  });

  it('that cannot be loaded end the connection with 4401, logged', async () => {
    const { world, socket, connection } = await subscribedMember();
    world.grantLoads.fail = true;
    await expect(connection.refreshGrants()).rejects.toThrow(/grants table unavailable/);
    await until(() => socket.closedWith, 'close');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'roles unavailable' });
    expect(world.logs.find((l) => l.msg === 'could not reload the roles of a connection; closing it')?.level).toBe(40);
    connection.deliver({ ...inC, data: { assetId: 'a', collectionId: null } });
    await settle();
    expect(socket.events()).toEqual([]);
  });

  it('are not loaded for an administrator, who has no collection roles', async () => {
    const world = wsWorld();
    const { socket, connection } = await world.signedIn(ADMIN_TOKEN);
    const atSignIn = world.grantLoads.count;
    socket.request({ id: 1, method: 'collections.list' });
    await until(() => socket.answer(1), 'answer');
    await connection.refreshGrants();
    expect(world.grantLoads.count).toBe(atSignIn);
  });
});

/** A member's connection with request 1 running (until `finish`). */
async function withRunningRequest() {
  const member = await subscribedMember();
  const slow = deferred();
  member.world.slow.gate = slow.promise;
  member.socket.request({ id: 1, method: 'assets.get', params: { id: ASSET } });
  await until(() => member.world.calls.length === 1, 'request running');
  return { ...member, finish: slow.resolve };
}

describe('a revoked connection', () => {
  it('closes at once with the code when nothing is running, and is cut off when the client does not answer the close', async () => {
    const { socket, connection } = await subscribedMember();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    connection.terminate(4401, 'token revoked');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'token revoked' });
    await vi.advanceTimersByTimeAsync(999);
    expect(socket.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.terminated).toBe(true);
  });

  it('answers the request that is running first, then closes', async () => {
    const { socket, connection, finish } = await withRunningRequest();
    connection.terminate(4401, 'token revoked');
    await settle();
    expect(socket.closedWith).toBeUndefined();
    finish();
    await until(() => socket.closedWith, 'close');
    expect(socket.answer(1).result).toEqual({ asset: { id: ASSET } });
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'token revoked' });
  });

  it('closes after half a second even when the running request has not finished', async () => {
    const { socket, connection } = await withRunningRequest();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    connection.terminate(4401, 'account disabled');
    await vi.advanceTimersByTimeAsync(499);
    expect(socket.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'account disabled' });
  });

  it('takes no new request and sends no event while it closes', async () => {
    const { world, socket, connection, finish } = await withRunningRequest();
    connection.terminate(4401, 'token revoked');
    socket.request({ id: 2, method: 'collections.list' });
    connection.deliver({ id: 9n, event: 'version.created', data: { assetId: 'a', collectionId: null } });
    finish();
    await until(() => socket.closedWith, 'close');
    await settle();
    expect(socket.frames.map((f) => f.id ?? f.event)).toEqual(['hello', 'sub', 1]);
    expect(world.calls.map((c) => c.method)).toEqual(['assets.get']);
  });
});

const internal = (event: string, data: unknown) => ({ id: 1n, event: event as never, data });

async function twoConnections() {
  const world = wsWorld();
  const member = await world.subscribed(MEMBER_TOKEN);
  const admin = await world.signedIn(ADMIN_TOKEN);
  return { world, member, admin, connections: [member.connection, admin.connection] };
}

describe('applyAccessEvent', () => {
  it('closes the connections of a revoked token with 4401, and only those', async () => {
    const { world, member, admin, connections } = await twoConnections();
    expect(applyAccessEvent(internal('token.revoked', { tokenIds: ['t-member', 't-unknown'] }), connections, world.logger)).toBe(true);
    expect(member.socket.closedWith).toEqual({ code: 4401, reason: 'token revoked' });
    expect(admin.socket.closedWith).toBeUndefined();
  });

  it('closes the connections of a disabled or demoted account with 4401 and says which', async () => {
    for (const [reason, said] of [
      [undefined, 'account disabled'],
      ['role', 'role changed'],
    ] as const) {
      const { world, member, admin, connections } = await twoConnections();
      expect(applyAccessEvent(internal('user.disabled', { userId: MEMBER_ID, reason }), connections, world.logger)).toBe(true);
      expect(member.socket.closedWith).toEqual({ code: 4401, reason: said });
      expect(admin.socket.closedWith).toBeUndefined();
    }
  });

  it('reloads every connection’s roles on grants.changed', async () => {
    const { world, member, connections } = await twoConnections();
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    expect(applyAccessEvent(internal('grants.changed', {}), connections, world.logger)).toBe(true);
    member.connection.deliver({ id: 2n, event: 'version.created', data: { assetId: 'a', collectionId: C } });
    await until(() => member.socket.events().length > 0, 'event after reload');
  });

  it('leaves every other event to be delivered', async () => {
    const { world, connections } = await twoConnections();
    expect(applyAccessEvent(internal('version.created', { assetId: 'a', collectionId: null }), connections, world.logger)).toBe(false);
  });
});
