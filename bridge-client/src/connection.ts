import { PROTOCOL_VERSION, StockroomError, type MethodParams, type MethodResult } from '@stockroom/shared-types';
import { backoffDelay, type ReconnectOptions } from './backoff.ts';
import { asStockroomError, closedByClientError, closeError, droppedRequestError, FATAL_HELLO_CODES, notConnectedError } from './connection-errors.ts';
import { sendRequest } from './link.ts';
import { Listeners } from './listeners.ts';
import { PendingRequests } from './pending.ts';
import type { WebSocketConstructor, WebSocketLike } from './websocket.ts';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
export type HelloResult = MethodResult<'session.hello'>;
export type ClientInfoInput = MethodParams<'session.hello'>['client'];

export interface ConnectionOptions {
  WebSocket: WebSocketConstructor | undefined;
  /** The socket's ws(s) URL. */
  url: string;
  /** Read at every sign-in, so a new token is used by the next (re)connect. */
  token: () => string;
  client: ClientInfoInput;
  /** Whether a dropped open connection is reconnected by itself. */
  autoReconnect: boolean;
  backoff: ReconnectOptions;
  /** Bounds the handshake and each of its requests. */
  requestTimeoutMs: number;
  /** 0 turns the heartbeat off. */
  heartbeatIntervalMs: number;
}

/** What the layer above does with a connection; the connection knows nothing of calls or events. */
export interface ConnectionHooks {
  /** A frame arrived on the current socket, whose waiting requests are `pending`. */
  onFrame(pending: PendingRequests, data: unknown): void;
  /** session.hello was answered; runs before the connection counts as open (re-subscribing). */
  onSignedIn(socket: WebSocketLike, pending: PendingRequests): Promise<void>;
  /** Problems no caller waits for: a refused reconnect, a drop without reconnecting. */
  onError(error: StockroomError): void;
  /** A state or reconnect listener threw. */
  onListenerError(error: unknown): void;
}

/** The socket of an open connection and the requests waiting for its answers. */
export interface OpenLink {
  socket: WebSocketLike;
  pending: PendingRequests;
}

interface Waiter {
  resolve: () => void;
  reject: (error: StockroomError) => void;
}

/**
 * The connection state machine: idle → connecting → open ⇄ reconnecting → closed.
 * Opens the socket, signs in, reconnects with backoff, watches a silent socket with a
 * heartbeat, and tells listeners about every state change.
 *
 * Hand-written rather than a reconnecting-WebSocket or state-machine library: those
 * reconnect on their own schedule and replay or buffer frames, while here a reconnect is
 * only done once session.hello and the re-subscription are answered, calls in flight must
 * fail (never be re-sent: they may have been applied), and a refused sign-in must stop the
 * retries; the five states fit in one small class with no dependency in browser bundles.
 */
export class Connection {
  private currentState: ConnectionState = 'idle';
  private socket: WebSocketLike | null = null;
  private pending = new PendingRequests();
  private hello: HelloResult | null = null;
  private connecting: Promise<HelloResult> | null = null;
  private cancelBackoff: (() => void) | null = null;
  private stopHeartbeat: (() => void) | null = null;
  /** Bumped by close(): work started under an older generation stops. */
  private generation = 0;
  private readonly waiters = new Set<Waiter>();
  private readonly stateListeners: Listeners<[ConnectionState, ConnectionState]>;
  private readonly reconnectedListeners: Listeners<[HelloResult]>;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.stateListeners = new Listeners((error) => hooks.onListenerError(error));
    this.reconnectedListeners = new Listeners((error) => hooks.onListenerError(error));
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The session.hello answer of the current connection (null while not open). */
  get session(): HelloResult | null {
    return this.hello;
  }

  /** The socket to send on, while the connection is open. */
  openLink(): OpenLink | null {
    return this.socket && this.currentState === 'open' ? { socket: this.socket, pending: this.pending } : null;
  }

  connect(retry: boolean): Promise<HelloResult> {
    if (this.currentState === 'open' && this.hello) return Promise.resolve(this.hello);
    if (this.connecting) return this.connecting;
    if (!this.options.WebSocket) {
      return Promise.reject(new TypeError("No WebSocket implementation: pass options.WebSocket (in Node 20, the 'ws' package's WebSocket)."));
    }
    return this.startConnecting(retry, false);
  }

  close(): void {
    this.generation++;
    this.cancelBackoff?.();
    this.stopHeartbeat?.();
    const socket = this.socket;
    this.socket = null;
    this.hello = null;
    this.pending.failAll(() => closedByClientError());
    this.failWaiters(closedByClientError());
    if (socket) closeQuietly(socket, 1000, 'client closed');
    this.setState('closed');
  }

  onStateChange(callback: (state: ConnectionState, previous: ConnectionState) => void): () => void {
    return this.stateListeners.add(callback);
  }

  onReconnected(callback: (hello: HelloResult) => void): () => void {
    return this.reconnectedListeners.add(callback);
  }

  /** Waits while connecting or reconnecting; rejects at once when idle or closed. */
  waitUntilOpen(method: string, timeoutMs: number): Promise<void> {
    if (this.currentState === 'idle' || this.currentState === 'closed') return Promise.reject(notConnectedError(method));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      // No timer for an unbounded wait (setTimeout would treat Infinity as 1 ms).
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.waiters.delete(waiter);
            reject(
              new StockroomError(
                'TIMEOUT',
                `Still not connected to the bridge after ${Math.round(timeoutMs / 1000)} s; ${method} was not sent. Check the connection and try again.`,
                {
                  method,
                  timeoutMs,
                },
              ),
            );
          }, timeoutMs)
        : undefined;
      this.waiters.add(waiter);
    });
  }

  private startConnecting(retry: boolean, isReconnect: boolean): Promise<HelloResult> {
    const run: Promise<HelloResult> = this.connectLoop(retry, isReconnect, this.generation).finally(() => {
      if (this.connecting === run) this.connecting = null;
    });
    this.connecting = run;
    return run;
  }

  private async connectLoop(retry: boolean, isReconnect: boolean, generation: number): Promise<HelloResult> {
    const backoff = this.options.backoff;
    this.setState(isReconnect ? 'reconnecting' : 'connecting');
    for (let attempt = 0; ; attempt++) {
      if (isReconnect || attempt > 0) await this.backoffWait(backoffDelay(isReconnect ? attempt : attempt - 1, backoff), generation);
      try {
        const hello = await this.openSession(generation);
        if (generation !== this.generation) throw closedByClientError();
        this.hello = hello;
        this.setState('open');
        for (const waiter of [...this.waiters]) waiter.resolve();
        this.waiters.clear();
        if (isReconnect) this.reconnectedListeners.emit(hello);
        return hello;
      } catch (caught) {
        if (generation !== this.generation) throw closedByClientError();
        const error = asStockroomError(caught);
        const refused = FATAL_HELLO_CODES.has(error.code);
        const exhausted = attempt + 1 >= (backoff.maxAttempts ?? Number.POSITIVE_INFINITY);
        if (refused || !retry || exhausted) {
          this.setState('closed');
          this.failWaiters(error);
          if (isReconnect) this.hooks.onError(error);
          throw error;
        }
        this.setState('reconnecting');
      }
    }
  }

  /** One socket: open, session.hello, re-subscribe. Resolves once the session is usable. */
  private openSession(generation: number): Promise<HelloResult> {
    const { requestTimeoutMs } = this.options;
    return new Promise<HelloResult>((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new this.options.WebSocket!(this.options.url);
      } catch (error) {
        reject(asStockroomError(error));
        return;
      }
      const pending = new PendingRequests();
      this.socket = socket;
      this.pending = pending;
      /** When this socket last received a frame (read by the heartbeat). */
      const lastFrameAt = { value: Date.now() };
      let established = false;
      let settled = false;
      const fail = (error: StockroomError) => {
        if (settled) return;
        settled = true;
        clearTimeout(handshakeTimer);
        reject(error);
        closeQuietly(socket, 1000, 'handshake failed');
      };
      const handshakeTimer = setTimeout(
        () => fail(new StockroomError('TIMEOUT', `The bridge did not complete the sign-in within ${requestTimeoutMs} ms.`)),
        requestTimeoutMs,
      );

      socket.onopen = () => {
        const helloParams: MethodParams<'session.hello'> = { token: this.options.token(), client: this.options.client, protocol: PROTOCOL_VERSION };
        sendRequest(socket, pending, 'session.hello', helloParams, requestTimeoutMs)
          .then(async (result) => {
            await this.hooks.onSignedIn(socket, pending);
            if (settled) return;
            settled = true;
            established = true;
            clearTimeout(handshakeTimer);
            this.startHeartbeat(socket, pending, lastFrameAt);
            resolve(result as HelloResult);
          })
          .catch((error: unknown) => fail(asStockroomError(error)));
      };
      socket.onmessage = (event: { data: unknown }) => {
        // Frames of a socket given up on (see abandon) are no longer read.
        if (this.socket !== socket) return;
        lastFrameAt.value = Date.now();
        this.hooks.onFrame(pending, event.data);
      };
      // An error is always followed by a close event, which does the work.
      socket.onerror = () => {};
      socket.onclose = (event: { code?: number; reason?: string }) => {
        pending.failAll(droppedRequestError);
        const current = this.socket === socket;
        if (current) {
          this.socket = null;
          this.stopHeartbeat?.();
        }
        if (!established) {
          fail(closeError(event));
          return;
        }
        if (current && generation === this.generation) this.handleDrop(closeError(event));
      };
    });
  }

  /**
   * Asks the bridge something whenever it has been silent for a heartbeat interval. A
   * socket whose peer vanished (laptop asleep, network changed) may not report a close
   * for minutes; no answer in time means it is given up and the client reconnects.
   */
  private startHeartbeat(socket: WebSocketLike, pending: PendingRequests, lastFrameAt: { value: number }): void {
    this.stopHeartbeat?.();
    const interval = this.options.heartbeatIntervalMs;
    if (!(interval > 0)) return;
    const timer = setInterval(() => {
      if (Date.now() - lastFrameAt.value < interval || this.socket !== socket) return;
      sendRequest(socket, pending, 'session.whoami', undefined, interval).catch((error: unknown) => {
        const failure = asStockroomError(error);
        if (failure.code === 'TIMEOUT') {
          this.abandon(socket, pending, new StockroomError('DISCONNECTED', 'The bridge stopped answering; reconnecting.'));
        }
      });
    }, interval);
    this.stopHeartbeat = () => {
      clearInterval(timer);
      this.stopHeartbeat = null;
    };
  }

  /** Gives up on a socket that no longer answers, without waiting for its close handshake. */
  private abandon(socket: WebSocketLike, pending: PendingRequests, reason: StockroomError): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.stopHeartbeat?.();
    pending.failAll(droppedRequestError);
    closeQuietly(socket, 4000, 'no answer to heartbeat');
    this.handleDrop(reason);
  }

  /** The open connection closed without close() being called. */
  private handleDrop(reason: StockroomError): void {
    this.hello = null;
    // The bridge ended the session on purpose (token revoked…): signing in again would be refused.
    if (!this.options.autoReconnect || reason.code === 'UNAUTHENTICATED') {
      this.setState('closed');
      const error =
        reason.code === 'UNAUTHENTICATED'
          ? reason
          : new StockroomError('DISCONNECTED', 'The connection to the bridge closed. Call connect() to reconnect.', reason.data);
      this.failWaiters(error);
      this.hooks.onError(error);
      return;
    }
    // Failures are reported through onError by connectLoop.
    this.startConnecting(true, true).catch(() => {});
  }

  private backoffWait(ms: number, generation: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (generation !== this.generation) {
        reject(closedByClientError());
        return;
      }
      const timer = setTimeout(() => {
        this.cancelBackoff = null;
        resolve();
      }, ms);
      this.cancelBackoff = () => {
        clearTimeout(timer);
        this.cancelBackoff = null;
        reject(closedByClientError());
      };
    });
  }

  private failWaiters(error: StockroomError): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiting) waiter.reject(error);
  }

  private setState(next: ConnectionState): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    this.stateListeners.emit(next, previous);
  }
}

function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closing or closed.
  }
}
