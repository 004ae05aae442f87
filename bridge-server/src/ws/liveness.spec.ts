import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Liveness } from './liveness.ts';

/** A socket whose peer answers pings (or not, or only when told). */
class Socket extends EventEmitter {
  pings = 0;
  terminated = false;
  constructor(private readonly answers: boolean) {
    super();
  }
  ping(): void {
    this.pings += 1;
    if (this.answers) this.emit('pong');
  }
  terminate(): void {
    this.terminated = true;
  }
}

let liveness: Liveness | undefined;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(() => {
  liveness?.stop();
  vi.useRealTimers();
});

function watching(...sockets: Socket[]): Liveness {
  liveness = new Liveness(() => sockets.filter((s) => !s.terminated), 1000);
  for (const socket of sockets) liveness.watch(socket);
  return liveness;
}

describe('Liveness', () => {
  it('pings every socket each interval and keeps one that answers, however long it idles', () => {
    const socket = new Socket(true);
    watching(socket);
    vi.advanceTimersByTime(999);
    expect(socket.pings).toBe(0);
    vi.advanceTimersByTime(10_001);
    expect(socket.pings).toBe(11);
    expect(socket.terminated).toBe(false);
  });

  it('cuts off a socket that has not answered the last ping by the next interval, and keeps the others', () => {
    const deaf = new Socket(false);
    const alive = new Socket(true);
    watching(deaf, alive);
    vi.advanceTimersByTime(1000);
    expect([deaf.pings, deaf.terminated]).toEqual([1, false]);
    vi.advanceTimersByTime(1000);
    expect([deaf.pings, deaf.terminated]).toEqual([1, true]);
    expect([alive.pings, alive.terminated]).toEqual([2, false]);
  });

  it('counts a late answer that comes before the next interval', () => {
    const slow = new Socket(false);
    watching(slow);
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(900);
    slow.emit('pong');
    vi.advanceTimersByTime(100);
    expect([slow.pings, slow.terminated]).toEqual([2, false]);
  });

  it('pings no more once stopped', () => {
    const socket = new Socket(true);
    watching(socket).stop();
    vi.advanceTimersByTime(5000);
    expect(socket.pings).toBe(0);
  });
});
