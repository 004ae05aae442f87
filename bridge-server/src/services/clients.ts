import { randomUUID } from 'node:crypto';
import type { ClientInfo, ConnectedClient } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { AccessPolicy } from './access.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db } from '../repositories/db.ts';
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
      void this.db.clientSession
        .updateMany({ where: { processId: this.processId }, data: { lastSeenAt: new Date() } })
        .catch(() => {});
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Client sessions of processes that stopped without saying so (a crash): removed, and their clients reported gone. */
  readonly staleTask = {
    name: 'stale-client-sessions',
    everyMs: STALE_AFTER_MS,
    run: () => this.removeStale(),
  };

  async removeStale(now = Date.now()): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const stale = await tx.clientSession.findMany({ where: { lastSeenAt: { lt: new Date(now - STALE_AFTER_MS) } }, take: 1000 });
      if (stale.length === 0) return 0;
      await tx.clientSession.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
      const users = new Map((await tx.user.findMany({ where: { id: { in: [...new Set(stale.map((r) => r.userId))] } } })).map((u) => [u.id, u]));
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
    await this.db.clientSession.deleteMany({ where: { processId: this.processId } }).catch(() => {});
  }

  async connected(actor: Actor, client: ClientInfo, address?: string): Promise<ConnectedClient> {
    const sessionId = randomUUID();
    const connectedAt = new Date();
    const dto: ConnectedClient = { sessionId, user: toUserRef(actor.user), client, connectedAt: connectedAt.toISOString(), address };
    await this.db.$transaction(async (tx) => {
      await tx.clientSession.create({
        data: {
          id: sessionId,
          processId: this.processId,
          userId: actor.user.id,
          app: client.app,
          appVersion: client.appVersion,
          pluginVersion: client.pluginVersion,
          machine: client.machine ?? null,
          address: address ?? null,
          connectedAt,
        },
      });
      await this.changes.record(tx, actor, null, [{ event: 'client.connected', data: { client: dto } }]);
    });
    return dto;
  }

  async disconnected(actor: Actor, client: ConnectedClient): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.clientSession.deleteMany({ where: { id: client.sessionId } });
      await this.changes.record(tx, actor, null, [{ event: 'client.disconnected', data: { client } }]);
    });
  }

  async list(actor: Actor): Promise<ConnectedClient[]> {
    this.access.assert(actor, 'admin.read');
    const rows = await this.db.clientSession.findMany({
      where: { lastSeenAt: { gt: new Date(Date.now() - STALE_AFTER_MS) } },
      orderBy: { connectedAt: 'desc' },
      take: 1000,
    });
    const users = await this.db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.userId))] } } });
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
