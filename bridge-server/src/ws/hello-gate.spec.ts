import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, deferred, EXPIRED_TOKEN, helloParams, settle, until, wsWorld } from '../../test/unit/fakes/ws.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('before session.hello', () => {
  it('refuses a first request that is not session.hello with UNAUTHENTICATED under its id, and closes with 4401', async () => {
    const world = wsWorld();
    const { socket } = world.open();
    socket.request({ id: 1, method: 'collections.list', params: {} });
    await until(() => socket.closedWith, 'close');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'authenticate first' });
    expect(socket.answer(1).error.code).toBe('UNAUTHENTICATED');
    expect(socket.answer(1).error.message).toMatch(/session\.hello/);
    expect(world.calls).toEqual([]);
  });

  it('answers requests pipelined behind a hello once it is answered, after its answer, as the signed-in user', async () => {
    const world = wsWorld();
    const recording = deferred();
    world.clients.gate = recording.promise;
    const { socket } = world.open();
    socket.request({ id: 1, method: 'session.hello', params: helloParams(ADMIN_TOKEN) });
    socket.request({ id: 2, method: 'session.whoami' });
    socket.request({ id: 3, method: 'collections.list', params: {} });
    socket.request({ id: 'four', method: 'events.subscribe', params: {} });
    await settle();
    expect([socket.frames, world.calls, world.connected]).toEqual([[], [], []]);
    expect(socket.closedWith).toBeUndefined();
    recording.resolve();
    await until(() => socket.answer('four'), 'the last answer');
    await until(() => socket.frames.length === 4, 'every answer');
    // Answers are matched by id and may overtake each other; the hello's comes first.
    expect(socket.frames[0].id).toBe(1);
    expect(socket.answer(1).result.user.email).toBe('al@example.com');
    expect(socket.answer(2).result.sessionId).toBe(socket.answer(1).result.sessionId);
    expect(socket.answer(3).result).toEqual({ collections: [] });
    expect(socket.answer('four').result.events.length).toBeGreaterThan(0);
    expect(socket.closedWith).toBeUndefined();
  });

  it('runs nothing that was pipelined behind a hello that failed, and closes with 4401', async () => {
    const world = wsWorld();
    const { socket } = world.open();
    socket.request({ id: 1, method: 'session.hello', params: helloParams(EXPIRED_TOKEN) });
    socket.request({ id: 2, method: 'collections.list', params: {} });
    await until(() => socket.closedWith, 'close');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'authentication failed' });
    expect(socket.answer(1).error.code).toBe('UNAUTHENTICATED');
    // The pipelined request would have been answered by now.
    await settle();
    expect(socket.answer(2)).toBeUndefined();
    expect(world.calls).toEqual([]);
    expect(world.connected).toEqual([]);
  });

  it('closes a socket that has not said hello within the deadline with 4408, and cuts it off when it does not answer the close', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = wsWorld({ helloTimeoutMs: 10_000 });
    const { socket } = world.open();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(socket.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.closedWith).toEqual({ code: 4408, reason: 'session.hello not sent in time' });
    expect(socket.frames).toEqual([
      { id: null, error: expect.objectContaining({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/within 10 seconds/) }) },
    ]);
    expect(socket.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.terminated).toBe(true);
  });

  it('lets a hello that is still being checked at the deadline finish, and keeps a signed-in socket open past it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = wsWorld({ helloTimeoutMs: 10_000 });
    const recording = deferred();
    world.clients.gate = recording.promise;
    const { socket } = world.open();
    await vi.advanceTimersByTimeAsync(9_000);
    socket.request({ id: 1, method: 'session.hello', params: helloParams(ADMIN_TOKEN) });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.closedWith).toBeUndefined();
    recording.resolve();
    await until(() => socket.answer(1), 'hello answer');
    expect(socket.answer(1).result.sessionId).toBe('session-1');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.closedWith).toBeUndefined();
    expect(socket.frames).toHaveLength(1);
  });

  it('stops the deadline when the socket closes first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = wsWorld({ helloTimeoutMs: 10_000 });
    const { socket } = world.open();
    socket.gone();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.frames).toEqual([]);
    expect(socket.terminated).toBe(false);
  });
});
