import type { WebSocket } from 'ws';
import { StockroomError } from '@stockroom/shared-types';
import type { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DeliveredEvent } from '../adapters/event-bus.ts';
import { rateLimited, type RateLimits } from '../auth/rate-limits.ts';
import { invoke, toStockroomError } from '../rpc/call.ts';
import type { MethodRegistry } from '../rpc/registry.ts';
import type { Actor } from '../services/actor.ts';
import { CurrentRoles } from './current-roles.ts';
import { readFrame } from './framing.ts';
import { HelloGate } from './hello-gate.ts';
import { CLOSE_UNAUTHENTICATED, sendError, type Peer } from './peer.ts';
import { Revocation } from './revocation.ts';
import { ClientSession, type SessionDeps } from './session.ts';
import { Subscriptions } from './subscriptions.ts';

export interface ConnectionDeps extends SessionDeps {
  registry: MethodRegistry;
  maxFrameBytes: number;
  /** A socket that has not sent session.hello this long after opening is closed with 4408 (absent: never). */
  helloTimeoutMs?: number;
  /** Per-connection message limit (absent: unlimited). */
  limits?: Pick<RateLimits, 'wsMessages'>;
}

/**
 * One WebSocket connection: reads each message as a request (`framing.ts`), lets it through the
 * session's rules, and answers it — session.* and events.subscribe here, every other method from
 * the registry — and sends the live events the connection is due. The rules live beside it:
 * signing in (`session.ts`, `hello-gate.ts`), current roles (`current-roles.ts`), which events
 * it is sent (`subscriptions.ts`, over `AccessPolicy.canSeeEvent`), revocation (`revocation.ts`).
 */
export class Connection {
  private readonly peer: Peer;
  private readonly session: ClientSession;
  private readonly gate: HelloGate;
  private readonly roles: CurrentRoles;
  private readonly subscriptions: Subscriptions;
  private readonly revocation: Revocation;
  private readonly messageLimiter: RateLimiterMemory | undefined;
  private closed = false;

  constructor(
    socket: WebSocket,
    address: string | undefined,
    private readonly deps: ConnectionDeps,
  ) {
    this.peer = {
      send: (frame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      },
      close: (code, reason) => socket.close(code, reason),
      cutOff: () => socket.terminate(),
    };
    this.session = new ClientSession(deps, address);
    this.gate = new HelloGate(this.peer, this.session, deps.helloTimeoutMs);
    this.roles = new CurrentRoles(
      deps.access,
      () => this.session.actor,
      (error) => {
        deps.logger.warn({ err: error }, 'could not reload the roles of a connection; closing it');
        this.terminate(CLOSE_UNAUTHENTICATED, 'roles unavailable');
      },
    );
    this.subscriptions = new Subscriptions(deps.access);
    this.revocation = new Revocation(this.peer);
    this.messageLimiter = deps.limits?.wsMessages();
    socket.on('message', (data, isBinary) => void this.onMessage(data as Buffer, isBinary));
    socket.on('close', () => void this.onClose());
    socket.on('error', (error) => deps.logger.debug({ err: error }, 'websocket error'));
  }

  get userId(): string | undefined {
    return this.session.actor?.user.id;
  }

  get tokenId(): string | undefined {
    return this.session.actor?.tokenId;
  }

  /** Reloads the caller's collection roles (after a grants.changed event), ahead of what comes next. */
  refreshGrants(): Promise<void> {
    return this.roles.refresh();
  }

  /** Called by the server for every committed event; sends it if subscribed and readable. */
  deliver(event: DeliveredEvent): void {
    this.roles.inOrder(() => {
      const actor = this.session.actor;
      if (!actor || this.revocation.revoked || !this.subscriptions.sends(actor, event)) return;
      this.peer.send({ event: event.event, data: event.data });
    });
  }

  /** Ends the connection, e.g. when its token is revoked, once running requests are answered (briefly). */
  terminate(code: number, reason: string): void {
    this.revocation.revoke(code, reason);
  }

  private async onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.revocation.revoked) return;
    const incoming = readFrame(data, isBinary, this.deps.maxFrameBytes);
    if (!incoming.ok) return sendError(this.peer, incoming.replyId, incoming.error);
    const { id, method, params } = incoming.frame;
    if (this.gate.opens(method)) return this.gate.hello(id, params, () => this.limited(id));
    const hello = this.gate.running;
    if (hello) {
      await hello;
      if (this.closed || this.revocation.revoked) return;
    }
    if (await this.limited(id)) return;
    const actor = this.gate.admit(id);
    if (!actor) return;
    await this.revocation.answering(async () => {
      try {
        await this.roles.beforeRequest();
        const result = await this.dispatch(method, params, actor);
        await this.roles.afterRequest(method);
        this.peer.send({ id, result });
      } catch (error) {
        sendError(this.peer, id, toStockroomError(error, this.deps.logger, { method }));
      }
    });
  }

  /** Counts one message against the connection's limit; true (and answered RATE_LIMITED) when over it. */
  private async limited(id: number | string): Promise<boolean> {
    if (!this.messageLimiter) return false;
    const over = await this.messageLimiter.consume('messages').then(
      () => null,
      (res: unknown) => res,
    );
    if (!over) return false;
    // The connection stays open: the client only has to slow down.
    sendError(this.peer, id, rateLimited(over as RateLimiterRes, 'Too many messages on this connection.'));
    return true;
  }

  private async dispatch(method: string, params: unknown, actor: Actor): Promise<unknown> {
    switch (method) {
      case 'session.hello':
        return this.session.refuseSecondHello();
      case 'session.whoami':
        return this.session.whoami();
      case 'events.subscribe':
        return this.subscriptions.subscribe(params);
      default: {
        const entry = this.deps.registry.get(method);
        if (!entry) {
          throw new StockroomError('UNKNOWN_METHOD', `There is no method “${method}”. Check the name against the protocol.`, { method });
        }
        return invoke(entry, { actor }, params, this.deps.logger);
      }
    }
  }

  private async onClose(): Promise<void> {
    this.closed = true;
    this.gate.stop();
    await this.session.end();
  }
}
