import { EventEmitter } from 'node:events';
import { PROTOCOL_VERSION, StockroomError, type CollectionRole, type ConnectedClient } from '@stockroom/shared-types';
import pino from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { WebSocket } from 'ws';
import type { Db } from '../../../src/repositories/db.ts';
import { MethodRegistry } from '../../../src/rpc/registry.ts';
import { AccessPolicy } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import type { AuthenticatedToken } from '../../../src/services/tokens.ts';
import { Connection, type ConnectionDeps } from '../../../src/ws/connection.ts';

/**
 * The server's side of one WebSocket as `ws` shows it to a Connection, driven by a spec:
 * frames it is sent, how it was closed, and what the client sends.
 */
export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly frames: any[] = [];
  closedWith: { code: number; reason: string } | undefined;
  terminated = false;

  send(text: string): void {
    this.frames.push(JSON.parse(text));
  }

  close(code: number, reason: string): void {
    if (this.readyState !== this.OPEN) return;
    this.readyState = 2;
    this.closedWith = { code, reason };
  }

  terminate(): void {
    this.terminated = true;
    this.gone();
  }

  /** The client sends a request frame (or any text). */
  request(frame: object | string): void {
    this.emit('message', Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false);
  }

  /** The client answers the close handshake, or goes away by itself. */
  gone(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close');
  }

  answer(id: number | string | null): any {
    return this.frames.find((f) => f.id === id);
  }

  events(): any[] {
    return this.frames.filter((f) => 'event' in f);
  }
}

export const ADMIN_TOKEN = 'sr_admin_token_for_specs_00000000';
export const MEMBER_TOKEN = 'sr_member_token_for_specs_0000000';
export const EXPIRED_TOKEN = 'sr_expired_token_for_specs_000000';
/** A token whose check fails for a reason that is not the caller's (the database is away). */
export const BROKEN_TOKEN = 'sr_broken_token_for_specs_0000000';

export const ADMIN_ID = '00000000-0000-4000-8000-0000000000a1';
export const MEMBER_ID = '00000000-0000-4000-8000-0000000000b2';

const user = (id: string, name: string, role: 'admin' | 'member') => ({
  id,
  name,
  email: `${name.toLowerCase()}@example.com`,
  role,
  createdAt: new Date('2026-01-02T03:04:05Z'),
  disabledAt: null,
});

export const helloParams = (token: string, protocol = PROTOCOL_VERSION) => ({
  token,
  client: { app: 'photoshop', appVersion: '26.1', pluginVersion: '1.4.0', machine: 'studio-7' },
  protocol,
});

/**
 * Connections over fake sockets with the session's real rules, and services in memory: tokens
 * as TokensService.authenticate answers them, client sessions as ClientsService records them,
 * collection grants read by the real AccessPolicy, and a registry with a few handlers.
 */
export function wsWorld(options: { helloTimeoutMs?: number; messagesPer2s?: number } = {}) {
  const tokens = new Map<string, AuthenticatedToken | Error>([
    [ADMIN_TOKEN, { tokenId: 't-admin', scopes: ['*'], user: user(ADMIN_ID, 'Al', 'admin') }],
    [MEMBER_TOKEN, { tokenId: 't-member', scopes: ['write'], user: user(MEMBER_ID, 'Mo', 'member') }],
    [EXPIRED_TOKEN, new StockroomError('UNAUTHENTICATED', 'This token has expired. Sign in again to get a new one.', { reason: 'expired' })],
    [BROKEN_TOKEN, new Error('connection to the database lost')],
  ]);
  /** Collection grants per user id; specs change them as an administrator would. */
  const grants = new Map<string, Array<{ collectionId: string; role: CollectionRole }>>();
  const grantLoads = { count: 0, fail: false, gate: undefined as Promise<void> | undefined };
  const access = new AccessPolicy({} as Db, {
    ofUser: async (_tx, userId) => {
      grantLoads.count += 1;
      if (grantLoads.gate) await grantLoads.gate;
      if (grantLoads.fail) throw new Error('grants table unavailable');
      return grants.get(userId) ?? [];
    },
  });
  const connected: ConnectedClient[] = [];
  const disconnected: ConnectedClient[] = [];
  const clients = {
    /** Holds session records until released (a slow database). */
    gate: undefined as Promise<void> | undefined,
    async connected(actor: Actor, client: ConnectedClient['client'], address?: string): Promise<ConnectedClient> {
      if (this.gate) await this.gate;
      const record = {
        sessionId: `session-${connected.length + 1}`,
        user: { id: actor.user.id, name: actor.user.name, email: actor.user.email },
        client,
        connectedAt: new Date().toISOString(),
        address,
      };
      connected.push(record);
      return record;
    },
    async disconnected(_actor: Actor, record: ConnectedClient): Promise<void> {
      disconnected.push(record);
    },
  };
  /** What a handler saw: method name and the actor's collection roles at the call. */
  const calls: Array<{ method: string; grants: Record<string, CollectionRole> }> = [];
  /** A request to assets.get waits for this while it is set (a slow request). */
  const slow = { gate: undefined as Promise<void> | undefined };
  const registry = new MethodRegistry();
  registry.register('collections.list', async ({ actor }) => {
    calls.push({ method: 'collections.list', grants: Object.fromEntries(actor.grants ?? []) });
    return { collections: [...(actor.grants?.keys() ?? [])] } as never;
  });
  registry.register('assets.get', async ({ actor }, params) => {
    calls.push({ method: 'assets.get', grants: Object.fromEntries(actor.grants ?? []) });
    if (slow.gate) await slow.gate;
    return { asset: { id: params.id } } as never;
  });
  registry.register('grants.set', async ({ actor }, params) => {
    calls.push({ method: 'grants.set', grants: Object.fromEntries(actor.grants ?? []) });
    grants.set(params.subjectId, [{ collectionId: params.collectionId, role: params.role }]);
    return {} as never;
  });
  const logs: any[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const points = options.messagesPer2s;
  const limits = points ? { wsMessages: () => new RateLimiterMemory({ points, duration: 2 }) } : undefined;
  const deps: ConnectionDeps = {
    registry,
    tokens: { authenticate: async (secret) => tokenOrThrow(tokens.get(secret)) },
    clients,
    access,
    logger,
    maxFrameBytes: 64 * 1024,
    helloTimeoutMs: options.helloTimeoutMs,
    limits,
  };

  const open = () => {
    const socket = new FakeSocket();
    const connection = new Connection(socket as unknown as WebSocket, '203.0.113.7', deps);
    return { socket, connection };
  };
  /** A connection signed in with this token (the hello answered). */
  const signedIn = async (token: string) => {
    const opened = open();
    opened.socket.request({ id: 'hello', method: 'session.hello', params: helloParams(token) });
    await until(() => opened.socket.answer('hello'));
    return opened;
  };
  /** A connection signed in with this token and subscribed to every event. */
  const subscribed = async (token: string) => {
    const opened = await signedIn(token);
    opened.socket.request({ id: 'sub', method: 'events.subscribe' });
    await until(() => opened.socket.answer('sub'), 'subscribe answer');
    return opened;
  };
  return { open, signedIn, subscribed, grants, grantLoads, connected, disconnected, clients, calls, slow, logs, logger };
}

function tokenOrThrow(found: AuthenticatedToken | Error | undefined): AuthenticatedToken {
  if (found instanceof Error) throw found;
  if (!found) throw new StockroomError('UNAUTHENTICATED', 'This token is not valid. Sign in again or create a new token in the dashboard.');
  return found;
}

/** Waits until `check` gives a value: everything here is in memory, so a few turns of the event loop suffice. */
export async function until<T>(check: () => T | undefined | false, what = 'condition'): Promise<T> {
  for (let turn = 0; turn < 200; turn += 1) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Lets whatever is under way in memory run to its end (a few turns of the event loop). */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise the spec resolves when it wants. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
