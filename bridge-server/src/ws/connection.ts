import type { WebSocket } from 'ws';
import { EVENT_NAMES, methods, PROTOCOL_VERSION, StockroomError, type ConnectedClient, type EventName, type MethodResult } from '@stockroom/shared-types';
import type { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DeliveredEvent } from '../adapters/event-bus.ts';
import { actorForToken } from '../auth/actors.ts';
import { rateLimited, type RateLimits } from '../auth/rate-limits.ts';
import type { Logger } from '../logger.ts';
import { invoke, toStockroomError, validationError } from '../rpc/call.ts';
import type { MethodRegistry } from '../rpc/registry.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';
import type { ClientsService } from '../services/clients.ts';
import type { TokensService } from '../services/tokens.ts';
import { SERVER_VERSION } from '../version.ts';
import { errorFrame, readFrame } from './framing.ts';

export interface ConnectionDeps {
  registry: MethodRegistry;
  tokens: TokensService;
  clients: ClientsService;
  access: AccessPolicy;
  logger: Logger;
  maxFrameBytes: number;
  /** A socket that has not sent session.hello this long after opening is closed with 4408 (absent: never). */
  helloTimeoutMs?: number;
  /** Per-connection message limit (absent: unlimited). */
  limits?: RateLimits;
}

/** Methods that can change the caller's own roles: the connection reloads them before answering (read your writes). */
const CHANGES_OWN_ROLES = new Set(['collections.create', 'grants.set', 'grants.remove', 'groups.addMember', 'groups.removeMember', 'groups.delete']);

/** How long a closing connection waits for its running requests to be answered. */
const ANSWER_BEFORE_CLOSE_MS = 500;

/** Close codes in the 4000 range are ours; 4401 means "authenticate first / again". */
export const CLOSE_UNAUTHENTICATED = 4401;
/** session.hello did not come in time. */
export const CLOSE_HELLO_TIMEOUT = 4408;

/**
 * One WebSocket connection's session: session.hello and authentication, method calls, and
 * event delivery in order behind role reloads. Reading frames is `framing.ts`; who may see
 * an event is the access policy's decision (`AccessPolicy.canSeeEvent`).
 */
export class Connection {
  private actor: Actor | undefined;
  private session: ConnectedClient | undefined;
  private user: MethodResult<'session.hello'>['user'] | undefined;
  private subscribed = new Set<EventName>();
  private closed = false;
  private readonly messageLimiter: RateLimiterMemory | undefined;
  /** Set when access ended (token revoked, account disabled): nothing more is answered or delivered. */
  private actorRevoked = false;
  /** A grant reload in progress, and the deliveries queued behind it. */
  private pending: Promise<void> | undefined;
  /** Requests being answered now, and what waits for none to be left. */
  private inFlight = 0;
  private readonly whenIdle: Array<() => void> = [];
  /** session.hello being answered: requests pipelined behind it wait for it instead of being refused. */
  private helloing: Promise<void> | undefined;
  private helloTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly address: string | undefined,
    private readonly deps: ConnectionDeps,
  ) {
    this.messageLimiter = deps.limits?.wsMessages();
    socket.on('message', (data, isBinary) => void this.onMessage(data as Buffer, isBinary));
    socket.on('close', () => void this.onClose());
    socket.on('error', (error) => deps.logger.debug({ err: error }, 'websocket error'));
    if (deps.helloTimeoutMs !== undefined) {
      this.helloTimer = setTimeout(() => {
        if (this.actor || this.helloing) return;
        this.sendError(
          null,
          new StockroomError('UNAUTHENTICATED', `Send session.hello within ${Math.round(deps.helloTimeoutMs! / 1000)} seconds of connecting.`),
        );
        this.socket.close(CLOSE_HELLO_TIMEOUT, 'session.hello not sent in time');
        setTimeout(() => this.socket.terminate(), 1000).unref();
      }, deps.helloTimeoutMs);
      this.helloTimer.unref();
    }
  }

  get userId(): string | undefined {
    return this.actor?.user.id;
  }

  get tokenId(): string | undefined {
    return this.actor?.tokenId;
  }

  /**
   * Reloads the caller's collection roles (after a grants.changed event). Events and
   * requests that arrive meanwhile wait for it, so none is judged by the old roles.
   */
  refreshGrants(): Promise<void> {
    const actor = this.actor;
    if (!actor || actor.user.role === 'admin') return Promise.resolve();
    const load = this.deps.access.grantsOf(actor.user.id).then((grants) => {
      if (this.actor === actor) actor.grants = grants;
    });
    this.enqueue(() => load);
    return load;
  }

  private async reloadGrants(): Promise<void> {
    const actor = this.actor;
    if (!actor || actor.user.role === 'admin') return;
    const grants = await this.deps.access.grantsOf(actor.user.id);
    if (this.actor === actor) actor.grants = grants;
  }

  /** Runs after everything queued before it (grant reloads, deliveries waiting for them). */
  private enqueue(task: () => Promise<void> | void): void {
    const next = (this.pending ?? Promise.resolve()).then(task).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not reload the roles of a connection; closing it');
      this.terminate(CLOSE_UNAUTHENTICATED, 'roles unavailable');
    });
    this.pending = next;
    void next.then(() => {
      if (this.pending === next) this.pending = undefined;
    });
  }

  private async onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.actorRevoked) return;
    const incoming = readFrame(data, isBinary, this.deps.maxFrameBytes);
    if (!incoming.ok) return this.sendError(incoming.replyId, incoming.error);
    const { id, method, params } = incoming.frame;
    if (!this.actor && !this.helloing && method === 'session.hello') {
      // Taken before any await, so a request sent right behind it (without waiting for the answer) waits for it.
      this.helloing = this.limited(id).then((over) => (over ? undefined : this.hello(id, params)));
      void this.helloing.finally(() => {
        if (!this.actor) this.helloing = undefined;
      });
      return;
    }
    if (!this.actor && this.helloing) {
      await this.helloing;
      if (this.closed || this.actorRevoked) return;
    }
    if (await this.limited(id)) return;
    if (!this.actor) {
      this.sendError(id, new StockroomError('UNAUTHENTICATED', 'Send session.hello with your token first.'));
      this.socket.close(CLOSE_UNAUTHENTICATED, 'authenticate first');
      return;
    }
    this.requestStarted();
    try {
      if (this.pending) await this.pending;
      // Roles are read afresh for every request (one indexed query), so a grant change made
      // through any connection or process applies to the very next call.
      await this.reloadGrants();
      const result = await this.dispatch(method, params);
      if (CHANGES_OWN_ROLES.has(method)) await this.refreshGrants();
      this.send({ id, result });
    } catch (error) {
      this.sendError(id, toStockroomError(error, this.deps.logger, { method }));
    } finally {
      this.requestEnded();
    }
  }

  /** Counts one message against the connection's limit; true (and answered RATE_LIMITED) when over it. */
  private async limited(id: number | string): Promise<boolean> {
    if (this.messageLimiter) {
      const over = await this.messageLimiter.consume('messages').then(
        () => null,
        (res: unknown) => res,
      );
      if (over) {
        // The connection stays open: the client only has to slow down.
        this.sendError(id, rateLimited(over as RateLimiterRes, 'Too many messages on this connection.'));
        return true;
      }
    }
    return false;
  }

  private async dispatch(method: string, params: unknown): Promise<unknown> {
    const actor = this.actor!;
    switch (method) {
      case 'session.hello':
        throw new StockroomError('PROTOCOL_ERROR', 'This connection is signed in already; open a new connection to sign in as somebody else.');
      case 'session.whoami':
        return { sessionId: this.session!.sessionId, user: this.user!, client: this.session!.client };
      case 'events.subscribe': {
        const parsed = methods['events.subscribe'].params.safeParse(params ?? {});
        if (!parsed.success) throw validationError(method, parsed.error);
        this.subscribed = new Set(parsed.data.events ?? EVENT_NAMES);
        return { events: [...this.subscribed] };
      }
      default: {
        const entry = this.deps.registry.get(method);
        if (!entry) {
          throw new StockroomError('UNKNOWN_METHOD', `There is no method “${method}”. Check the name against the protocol.`, { method });
        }
        return invoke(entry, { actor }, params, this.deps.logger);
      }
    }
  }

  private async hello(id: number | string, params: unknown): Promise<void> {
    const parsed = methods['session.hello'].params.safeParse(params ?? {});
    if (!parsed.success) {
      this.sendError(id, validationError('session.hello', parsed.error));
      this.socket.close(CLOSE_UNAUTHENTICATED, 'invalid hello');
      return;
    }
    const { token, client, protocol } = parsed.data;
    if (protocol !== PROTOCOL_VERSION) {
      this.sendError(
        id,
        new StockroomError('PROTOCOL_ERROR', `This server speaks protocol ${PROTOCOL_VERSION}, the client ${protocol}. Update the plugin or the server.`, {
          serverProtocol: PROTOCOL_VERSION,
        }),
      );
      this.socket.close(CLOSE_UNAUTHENTICATED, 'protocol mismatch');
      return;
    }
    try {
      // The same token check as an HTTP bearer header; grants and scopes come with it.
      const auth = await this.deps.tokens.authenticate(token);
      const actor = await actorForToken(this.deps.access, auth, client.app, this.address);
      this.session = await this.deps.clients.connected(actor, client, this.address);
      actor.sessionId = this.session.sessionId;
      // Set last: a request waiting behind hello sees either no actor or a complete session.
      this.user = { ...actor.user, createdAt: auth.user.createdAt.toISOString(), disabledAt: null };
      this.actor = actor;
      clearTimeout(this.helloTimer);
      if (this.closed) return void this.onClose();
      this.send({
        id,
        result: {
          sessionId: this.session.sessionId,
          user: this.user,
          protocol: PROTOCOL_VERSION,
          serverVersion: SERVER_VERSION,
        },
      });
    } catch (error) {
      this.actor = undefined;
      this.sendError(id, toStockroomError(error, this.deps.logger, { method: 'session.hello' }));
      this.socket.close(CLOSE_UNAUTHENTICATED, 'authentication failed');
    }
  }

  /** Called by the server for every committed event; sends it if subscribed and readable. */
  deliver(event: DeliveredEvent): void {
    if (this.pending) this.enqueue(() => this.deliverNow(event));
    else this.deliverNow(event);
  }

  private deliverNow(event: DeliveredEvent): void {
    if (!this.actor || this.actorRevoked || !this.subscribed.has(event.event)) return;
    if (!this.deps.access.canSeeEvent(this.actor, event)) return;
    this.send({ event: event.event, data: event.data });
  }

  /**
   * Ends the connection, e.g. when its token is revoked. Nothing new is taken from then
   * on, but requests already running are answered first (briefly): a client that revokes
   * its own token learns that it worked.
   */
  terminate(code: number, reason: string): void {
    this.actorRevoked = true;
    const close = () => {
      this.socket.close(code, reason);
      // A client that does not answer the close handshake is cut off anyway.
      setTimeout(() => this.socket.terminate(), 1000).unref();
    };
    if (this.inFlight === 0) return close();
    const timer = setTimeout(close, ANSWER_BEFORE_CLOSE_MS);
    this.whenIdle.push(() => {
      clearTimeout(timer);
      close();
    });
  }

  private requestStarted(): void {
    this.inFlight += 1;
  }

  private requestEnded(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
  }

  private async onClose(): Promise<void> {
    this.closed = true;
    clearTimeout(this.helloTimer);
    const session = this.session;
    this.session = undefined;
    if (session && this.actor) {
      await this.deps.clients.disconnected(this.actor, session).catch((error) => {
        this.deps.logger.warn({ err: error }, 'could not record a disconnect');
      });
    }
  }

  private send(frame: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private sendError(id: number | string | null, error: StockroomError): void {
    this.send(errorFrame(id, error));
  }
}
