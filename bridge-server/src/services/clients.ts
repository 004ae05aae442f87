import { randomUUID } from 'node:crypto';
import type { ClientInfo, ConnectedClient } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { AccessPolicy } from './access.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { HousekeepingTask } from './housekeeping.ts';
import { clientRows } from '../repositories/clients.ts';
import type { Db } from '../repositories/db.ts';
import { userRows } from '../repositories/people.ts';
import { toUserRef } from './mappers.ts';

const HEARTBEAT_MS = 15_000;
const STALE_AFTER_MS = 45_000;

/**
 * Connected clients of every server process, kept in Postgres so the dashboard of
 * any process sees all of them; a heartbeat ages out the sessions of a crashed process.
 */
export class ClientsService {
  readonly processId = randomUUID();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      void clientRows.touchProcess(this.db, this.processId, new Date()).catch(() => {});
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Client sessions of processes that stopped without saying so (a crash): removed, and their clients reported gone. */
  readonly staleTask: HousekeepingTask = {
    name: 'housekeeping-stale-client-sessions',
    everyMs: STALE_AFTER_MS,
    run: () => this.removeStale(),
  };

  async removeStale(now = Date.now()): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const stale = await clientRows.seenBefore(tx, new Date(now - STALE_AFTER_MS), 1000);
      if (stale.length === 0) return 0;
      await clientRows.delete(
        tx,
        stale.map((row) => row.id),
      );
      const users = new Map((await userRows.byIds(tx, [...new Set(stale.map((r) => r.userId))])).map((u) => [u.id, u]));
      const events = stale.flatMap((row) => {
        const user = users.get(row.userId);
        return user ? [{ event: 'client.disconnected' as const, data: { client: toConnectedClient(row, user) } }] : [];
      });
      await this.changes.record(tx, null, null, events);
      return stale.length;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await clientRows.deleteOfProcess(this.db, this.processId).catch(() => {});
  }

  async connected(actor: Actor, client: ClientInfo, address?: string): Promise<ConnectedClient> {
    const sessionId = randomUUID();
    const connectedAt = new Date();
    const dto: ConnectedClient = { sessionId, user: toUserRef(actor.user), client, connectedAt: connectedAt.toISOString(), address };
    await this.db.$transaction(async (tx) => {
      await clientRows.create(tx, {
        id: sessionId,
        processId: this.processId,
        userId: actor.user.id,
        app: client.app,
        appVersion: client.appVersion,
        pluginVersion: client.pluginVersion,
        machine: client.machine ?? null,
        address: address ?? null,
        connectedAt,
      });
      await this.changes.record(tx, actor, null, [{ event: 'client.connected', data: { client: dto } }]);
    });
    return dto;
  }

  async disconnected(actor: Actor, client: ConnectedClient): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await clientRows.delete(tx, [client.sessionId]);
      await this.changes.record(tx, actor, null, [{ event: 'client.disconnected', data: { client } }]);
    });
  }

  async list(actor: Actor): Promise<ConnectedClient[]> {
    this.access.assert(actor, 'admin.read');
    const rows = await clientRows.seenAfter(this.db, new Date(Date.now() - STALE_AFTER_MS), 1000);
    const users = await userRows.byIds(this.db, [...new Set(rows.map((r) => r.userId))]);
    const byId = new Map(users.map((u) => [u.id, u]));
    return rows.flatMap((r) => {
      const user = byId.get(r.userId);
      return user ? [toConnectedClient(r, user)] : [];
    });
  }
}

type SessionRow = { id: string; app: string; appVersion: string; pluginVersion: string; machine: string | null; address: string | null; connectedAt: Date };

function toConnectedClient(r: SessionRow, user: Parameters<typeof toUserRef>[0]): ConnectedClient {
  return {
    sessionId: r.id,
    user: toUserRef(user),
    client: { app: r.app as ClientInfo['app'], appVersion: r.appVersion, pluginVersion: r.pluginVersion, ...(r.machine ? { machine: r.machine } : {}) },
    connectedAt: r.connectedAt.toISOString(),
    ...(r.address ? { address: r.address } : {}),
  };
}
