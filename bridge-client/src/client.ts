import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  StockroomError,
  UPLOAD_PATH,
  type EventData,
  type EventName,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from '@stockroom/shared-types';
import type { UrlStorage } from 'tus-js-client';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.ts';
import { checkInParams, type CheckInRequest } from './checkin.ts';
import {
  asStockroomError,
  closedByClientError,
  closeError,
  droppedRequestError,
  FATAL_HELLO_CODES,
  notConnectedError,
} from './connection-errors.ts';
import { encodeRequest, parseFrame } from './frames.ts';
import { Listeners } from './listeners.ts';
import { PendingRequests } from './pending.ts';
import { DEFAULT_CHUNK_BYTES, uploadResumable, type UploadOptions, type UploadResult } from './upload/upload.ts';
import type { UploadInput } from './upload/source.ts';
import { defaultUrlStorage } from './upload/url-storage.ts';
import { httpUrl, webSocketUrl, WS_OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket.ts';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
export type HelloResult = MethodResult<'session.hello'>;
export type ClientInfoInput = MethodParams<'session.hello'>['client'];

export interface BridgeClientOptions {
  /** The bridge's http(s) base URL; the socket goes to `<serverUrl>/ws`. */
  serverUrl: string;
  /** API token sent in session.hello and as the upload Bearer token. */
  token: string;
  /** Which app this is (shown to admins, stored with versions). */
  client: ClientInfoInput;
  /** WebSocket class; defaults to globalThis.WebSocket (Node 20 has none: pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /** Backoff between reconnect attempts, or false to never reconnect by itself. */
  reconnect?: Partial<ReconnectOptions> | false;
  /** How long a call (and the connect handshake) may wait for its answer. Default 30 s. */
  requestTimeoutMs?: number;
  /**
   * After this long without any frame from the bridge, the client asks it something;
   * no answer within the same time means the connection is dead (sleep, network change)
   * and it reconnects. Default 25 s; 0 turns it off.
   */
  heartbeatIntervalMs?: number;
  upload?: {
    /** Bytes per PATCH request. Default 8 MiB. */
    chunkSize?: number;
    /** Where upload URLs are remembered for resuming. Default: localStorage in pages, memory in Node. */
    urlStorage?: UrlStorage;
    /** Waits between retries of a failed upload request. */
    retryDelays?: number[];
  };
}

export interface CallOptions {
  /** Overrides requestTimeoutMs for this call; it also bounds waiting for a reconnect. */
  timeoutMs?: number;
}

/**
 * Methods a caller may send; session.hello is sent by the client itself, and
 * assets.checkin only through checkIn(), which insists on a base version.
 */
export type CallableMethod = Exclude<MethodName, 'session.hello' | 'assets.checkin'>;

type CallArgs<M extends CallableMethod> =
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  {} extends MethodParams<M> ? [params?: MethodParams<M>, options?: CallOptions] : [params: MethodParams<M>, options?: CallOptions];

interface Waiter {
  resolve: () => void;
  reject: (error: StockroomError) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_HEARTBEAT_MS = 25_000;

/**
 * The typed client for the Stockroom bridge: one WebSocket for methods and live
 * events, plus resumable uploads over HTTP. Works in Node, browsers and UXP.
 */
export class BridgeClient {
  private readonly WebSocketImpl: WebSocketConstructor | undefined;
  private readonly wsUrl: string;
  private readonly uploadEndpoint: string;
  private readonly clientInfo: ClientInfoInput;
  private readonly autoReconnect: boolean;
  private readonly backoff: ReconnectOptions;
  private readonly requestTimeoutMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly uploadDefaults: { chunkSize: number; urlStorage: UrlStorage; retryDelays: number[] };
  private token: string;

  private currentState: ConnectionState = 'idle';
  private socket: WebSocketLike | null = null;
  private pending = new PendingRequests();
  private hello: HelloResult | null = null;
  /** The last events.subscribe params, re-sent after every reconnect. */
  private subscription: MethodParams<'events.subscribe'> | null = null;
  private connecting: Promise<HelloResult> | null = null;
  private cancelBackoff: (() => void) | null = null;
  private stopHeartbeat: (() => void) | null = null;
  /** Bumped by close(): work started under an older generation stops. */
  private generation = 0;
  private readonly waiters = new Set<Waiter>();

  private readonly errorListeners = new Listeners<[StockroomError]>((error) => console.error('bridge-client: an onError listener threw', error));
  private readonly stateListeners = new Listeners<[ConnectionState, ConnectionState]>((error) => this.reportListenerError(error));
  private readonly reconnectedListeners = new Listeners<[HelloResult]>((error) => this.reportListenerError(error));
  private readonly eventListeners = new Map<string, Listeners<[unknown]>>();

  constructor(options: BridgeClientOptions) {
    this.WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    this.wsUrl = webSocketUrl(options.serverUrl);
    this.uploadEndpoint = httpUrl(options.serverUrl, UPLOAD_PATH);
    this.token = options.token;
    this.clientInfo = options.client;
    this.autoReconnect = options.reconnect !== false;
    this.backoff = { ...DEFAULT_RECONNECT, ...(options.reconnect || {}) };
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS;
    this.uploadDefaults = {
      chunkSize: options.upload?.chunkSize ?? DEFAULT_CHUNK_BYTES,
      urlStorage: options.upload?.urlStorage ?? defaultUrlStorage(),
      retryDelays: options.upload?.retryDelays ?? [0, 1000, 3000, 5000],
    };
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The session.hello answer of the current connection (null while not open). */
  get session(): HelloResult | null {
    return this.hello;
  }

  /**
   * Opens the socket and signs in. Rejects with the bridge's StockroomError when it
   * refuses (UNAUTHENTICATED…: no retry), or DISCONNECTED when it cannot be reached.
   * With `retry: true`, unreachable bridges are retried with backoff until they answer.
   */
  connect(options: { retry?: boolean } = {}): Promise<HelloResult> {
    if (this.currentState === 'open' && this.hello) return Promise.resolve(this.hello);
    if (this.connecting) return this.connecting;
    if (!this.WebSocketImpl) {
      return Promise.reject(new TypeError("No WebSocket implementation: pass options.WebSocket (in Node 20, the 'ws' package's WebSocket)."));
    }
    return this.startConnecting(options.retry ?? false, false);
  }

  /** Stops everything: closes the socket, fails waiting calls, never reconnects. */
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

  /** Replaces the token for the next sign-in (connect / reconnect) and for uploads. */
  setToken(token: string): void {
    this.token = token;
  }

  /** Calls a bridge method. Rejects with StockroomError (the server's code, DISCONNECTED or TIMEOUT). */
  async call<M extends CallableMethod>(method: M, ...args: CallArgs<M>): Promise<MethodResult<M>> {
    const [params, options] = args as [MethodParams<M> | undefined, CallOptions | undefined];
    return this.send(method, params, options);
  }

  /**
   * Checks in a finished upload as a new version, against the version the document came
   * from (`baseVersion`), or — for callers without a document — under the caller's lock
   * (`underLock: true`). Refused locally (VALIDATION_FAILED) without either; the bridge
   * answers VERSION_CONFLICT or ASSET_LOCKED when somebody else's change came first.
   */
  async checkIn(request: CheckInRequest, options?: CallOptions): Promise<MethodResult<'assets.checkin'>> {
    return this.send('assets.checkin', checkInParams(request), options);
  }

  private async send<M extends Exclude<MethodName, 'session.hello'>>(
    method: M,
    params: MethodParams<M> | undefined,
    options: CallOptions | undefined,
  ): Promise<MethodResult<M>> {
    const timeoutMs = options?.timeoutMs ?? this.requestTimeoutMs;
    const started = Date.now();
    if (this.currentState !== 'open') await this.waitUntilOpen(method, timeoutMs);
    const socket = this.socket;
    if (!socket || this.currentState !== 'open') throw notConnectedError(method);
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    return (await this.request(socket, this.pending, method, params, remaining)) as MethodResult<M>;
  }

  /**
   * Asks for live events (all, or the named ones) and remembers the choice: it is
   * sent again after every reconnect. Handlers are added with on().
   */
  async subscribe(events?: EventName[]): Promise<EventName[]> {
    const params: MethodParams<'events.subscribe'> = events ? { events } : {};
    const previous = this.subscription;
    // Remembered first, so a reconnect that happens meanwhile subscribes too.
    this.subscription = params;
    try {
      return (await this.call('events.subscribe', params)).events;
    } catch (error) {
      if (error instanceof StockroomError && error.code !== 'DISCONNECTED' && error.code !== 'TIMEOUT') {
        this.subscription = previous;
      }
      throw error;
    }
  }

  /** Runs handler for every `event` received; returns the function that stops it. */
  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void {
    let listeners = this.eventListeners.get(event);
    if (!listeners) {
      listeners = new Listeners<[unknown]>((error) => this.reportListenerError(error));
      this.eventListeners.set(event, listeners);
    }
    return listeners.add(handler as (data: unknown) => void);
  }

  onStateChange(callback: (state: ConnectionState, previous: ConnectionState) => void): () => void {
    return this.stateListeners.add(callback);
  }

  /** After a reconnect (signed in and resubscribed): events may have been missed, refresh what is shown. */
  onReconnected(callback: (hello: HelloResult) => void): () => void {
    return this.reconnectedListeners.add(callback);
  }

  /**
   * Problems no call is waiting for: the bridge refused a reconnect (token revoked),
   * reconnecting gave up, an unreadable frame, a handler that threw.
   */
  onError(callback: (error: StockroomError) => void): () => void {
    return this.errorListeners.add(callback);
  }

  /** Uploads bytes resumably (tus); the returned uploadId goes to assets.create / assets.checkin. */
  upload(input: UploadInput, options: UploadOptions = {}): Promise<UploadResult> {
    return uploadResumable(input, options, {
      endpoint: this.uploadEndpoint,
      token: () => this.token,
      ...this.uploadDefaults,
    });
  }

  // --- connection lifecycle -------------------------------------------------------

  private startConnecting(retry: boolean, isReconnect: boolean): Promise<HelloResult> {
    const run: Promise<HelloResult> = this.connectLoop(retry, isReconnect, this.generation).finally(() => {
      if (this.connecting === run) this.connecting = null;
    });
    this.connecting = run;
    return run;
  }

  private async connectLoop(retry: boolean, isReconnect: boolean, generation: number): Promise<HelloResult> {
    this.setState(isReconnect ? 'reconnecting' : 'connecting');
    for (let attempt = 0; ; attempt++) {
      if (isReconnect || attempt > 0) await this.backoffWait(backoffDelay(isReconnect ? attempt : attempt - 1, this.backoff), generation);
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
        const exhausted = attempt + 1 >= (this.backoff.maxAttempts ?? Number.POSITIVE_INFINITY);
        if (refused || !retry || exhausted) {
          this.setState('closed');
          this.failWaiters(error);
          if (isReconnect) this.errorListeners.emit(error);
          throw error;
        }
        this.setState('reconnecting');
      }
    }
  }

  /** One socket: open, session.hello, re-subscribe. Resolves once the session is usable. */
  private openSession(generation: number): Promise<HelloResult> {
    return new Promise<HelloResult>((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new this.WebSocketImpl!(this.wsUrl);
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
        () => fail(new StockroomError('TIMEOUT', `The bridge did not complete the sign-in within ${this.requestTimeoutMs} ms.`)),
        this.requestTimeoutMs,
      );

      socket.onopen = () => {
        const helloParams: MethodParams<'session.hello'> = { token: this.token, client: this.clientInfo, protocol: PROTOCOL_VERSION };
        this.request(socket, pending, 'session.hello', helloParams, this.requestTimeoutMs)
          .then(async (result) => {
            await this.resubscribe(socket, pending);
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
        this.handleFrame(pending, event.data);
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

  private async resubscribe(socket: WebSocketLike, pending: PendingRequests): Promise<void> {
    if (!this.subscription) return;
    try {
      await this.request(socket, pending, 'events.subscribe', this.subscription, this.requestTimeoutMs);
    } catch (error) {
      const failure = asStockroomError(error);
      // A dropped socket fails the handshake through its close event; anything else is reported.
      if (failure.code !== 'DISCONNECTED') this.errorListeners.emit(failure);
    }
  }

  /**
   * Asks the bridge something whenever it has been silent for a heartbeat interval. A
   * socket whose peer vanished (laptop asleep, network changed) may not report a close
   * for minutes; no answer in time means it is given up and the client reconnects.
   */
  private startHeartbeat(socket: WebSocketLike, pending: PendingRequests, lastFrameAt: { value: number }): void {
    this.stopHeartbeat?.();
    const interval = this.heartbeatIntervalMs;
    if (!(interval > 0)) return;
    const timer = setInterval(() => {
      if (Date.now() - lastFrameAt.value < interval || this.socket !== socket) return;
      this.request(socket, pending, 'session.whoami', undefined, interval).catch((error: unknown) => {
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
    if (!this.autoReconnect || reason.code === 'UNAUTHENTICATED') {
      this.setState('closed');
      const error =
        reason.code === 'UNAUTHENTICATED'
          ? reason
          : new StockroomError('DISCONNECTED', 'The connection to the bridge closed. Call connect() to reconnect.', reason.data);
      this.failWaiters(error);
      this.errorListeners.emit(error);
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

  private waitUntilOpen(method: string, timeoutMs: number): Promise<void> {
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
              new StockroomError('TIMEOUT', `Still not connected to the bridge after ${Math.round(timeoutMs / 1000)} s; ${method} was not sent. Check the connection and try again.`, {
                method,
                timeoutMs,
              }),
            );
          }, timeoutMs)
        : undefined;
      this.waiters.add(waiter);
    });
  }

  private failWaiters(error: StockroomError): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiting) waiter.reject(error);
  }

  // --- frames -----------------------------------------------------------------------

  private request(socket: WebSocketLike, pending: PendingRequests, method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    const { id, promise } = pending.add(method, timeoutMs);
    if (socket.readyState !== WS_OPEN) {
      pending.fail(id, droppedRequestError(method));
      return promise;
    }
    const frame = encodeRequest(id, method, params);
    const bytes = frameBytes(frame);
    if (bytes > MAX_FRAME_BYTES) {
      // The bridge would answer with an error it cannot tie to this request (id null).
      pending.fail(
        id,
        new StockroomError('PAYLOAD_TOO_LARGE', `${method} is too large to send (${bytes} bytes, the limit is ${MAX_FRAME_BYTES}). Send fewer items per call; send file contents as an upload.`, {
          method,
          bytes,
          limit: MAX_FRAME_BYTES,
        }),
      );
      return promise;
    }
    try {
      socket.send(frame);
    } catch (error) {
      pending.fail(id, asStockroomError(error));
    }
    return promise;
  }

  private handleFrame(pending: PendingRequests, data: unknown): void {
    if (typeof data !== 'string') {
      this.errorListeners.emit(new StockroomError('PROTOCOL_ERROR', 'The bridge sent a binary frame; this client expects JSON text.'));
      return;
    }
    const frame = parseFrame(data);
    switch (frame.kind) {
      case 'result':
        // No match: the call timed out before its answer arrived.
        pending.resolve(frame.id, frame.result);
        return;
      case 'error':
        if (!pending.reject(frame.id, frame.error)) {
          this.errorListeners.emit(new StockroomError(frame.error.code, frame.error.message, frame.error.data));
        }
        return;
      case 'event':
        this.eventListeners.get(frame.event)?.emit(frame.data);
        return;
      case 'invalid':
        this.errorListeners.emit(new StockroomError('PROTOCOL_ERROR', `The bridge sent a frame this client cannot read (${frame.reason}).`));
        return;
    }
  }

  private setState(next: ConnectionState): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    this.stateListeners.emit(next, previous);
  }

  private reportListenerError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errorListeners.emit(new StockroomError('INTERNAL', `A bridge-client listener threw: ${message}`, undefined, { cause: error }));
  }
}

/** UTF-8 size of a frame; the exact count only when it could matter (a JS char is at most 3 bytes). */
function frameBytes(frame: string): number {
  if (frame.length * 3 <= MAX_FRAME_BYTES) return frame.length;
  const Encoder = (globalThis as { TextEncoder?: new () => { encode(text: string): Uint8Array } }).TextEncoder;
  return Encoder ? new Encoder().encode(frame).byteLength : frame.length * 3;
}

function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closing or closed.
  }
}
