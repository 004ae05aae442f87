import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, MEMBER_TOKEN, settle, until, wsWorld } from '../../test/unit/fakes/ws.ts';

const ASSET = '00000000-0000-4000-8000-0000000000e5';

afterEach(() => {
  vi.useRealTimers();
});

async function signedInMember() {
  const world = wsWorld();
  return { world, ...(await world.subscribed(MEMBER_TOKEN)) };
}

/** A member's connection with request 1 running (until `finish`). */
async function withRunningRequest() {
  const member = await signedInMember();
  const slow = deferred();
  member.world.slow.gate = slow.promise;
  member.socket.request({ id: 1, method: 'assets.get', params: { id: ASSET } });
  await until(() => member.world.calls.length === 1, 'request running');
  return { ...member, finish: slow.resolve };
}

describe('a revoked connection', () => {
  it('closes at once with the code when nothing is running, and is cut off when the client does not answer the close', async () => {
    const { socket, connection } = await signedInMember();
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
