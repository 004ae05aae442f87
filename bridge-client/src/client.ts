import { StockroomError, UPLOAD_PATH, type EventData, type EventName, type MethodName, type MethodParams, type MethodResult } from '@stockroom/shared-types';
import type { UrlStorage } from 'tus-js-client';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.ts';
import { checkInParams, type CheckInRequest } from './checkin.ts';
import { Connection, type ClientInfoInput, type ConnectionState, type HelloResult } from './connection.ts';
import { Listeners } from './listeners.ts';
import { RequestLayer, type CallOptions } from './requests.ts';
import { uploadResumable, type UploadOptions, type UploadResult } from './upload/upload.ts';
import type { UploadInput } from './upload/source.ts';
import { defaultUrlStorage } from './upload/url-storage.ts';
import { httpUrl, webSocketUrl, type WebSocketConstructor } from './websocket.ts';

export type { ClientInfoInput, ConnectionState, HelloResult } from './connection.ts';
export type { CallOptions } from './requests.ts';

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
    /**
     * Bytes per PATCH request. Default 8 MiB; a source that streams its bytes (a file in
     * Node, fileSource) goes in one request, which loses only the bytes in flight when it
     * breaks (the bridge keeps every byte that arrived).
     */
    chunkSize?: number;
    /** Where upload URLs are remembered for resuming. Default: localStorage in pages, memory in Node. */
    urlStorage?: UrlStorage;
    /** Waits between retries of a failed upload request. */
    retryDelays?: number[];
  };
}

/**
 * Methods a caller may send; session.hello is sent by the client itself, and
 * assets.checkin only through checkIn(), which insists on a base version.
 */
export type CallableMethod = Exclude<MethodName, 'session.hello' | 'assets.checkin'>;

type CallArgs<M extends CallableMethod> =
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  {} extends MethodParams<M> ? [params?: MethodParams<M>, options?: CallOptions] : [params: MethodParams<M>, options?: CallOptions];

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_HEARTBEAT_MS = 25_000;

/**
 * The typed client for the Stockroom bridge: one WebSocket for methods and live
 * events, plus resumable uploads over HTTP. Works in Node, browsers and UXP.
 * The connection's states live in Connection (connection.ts), calls and events in
 * RequestLayer (requests.ts); this class puts them together behind one API.
 */
export class BridgeClient {
  private readonly uploadEndpoint: string;
  private readonly uploadDefaults: { chunkSize: number | undefined; urlStorage: UrlStorage; retryDelays: number[] };
  private token: string;
  private readonly connection: Connection;
  private readonly requests: RequestLayer;
  private readonly errorListeners = new Listeners<[StockroomError]>((error) => console.error('bridge-client: an onError listener threw', error));

  constructor(options: BridgeClientOptions) {
    const wsUrl = webSocketUrl(options.serverUrl);
    this.uploadEndpoint = httpUrl(options.serverUrl, UPLOAD_PATH);
    this.token = options.token;
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.uploadDefaults = {
      chunkSize: options.upload?.chunkSize,
      urlStorage: options.upload?.urlStorage ?? defaultUrlStorage(),
      retryDelays: options.upload?.retryDelays ?? [0, 1000, 3000, 5000],
    };
    const report = {
      onError: (error: StockroomError) => this.errorListeners.emit(error),
      onListenerError: (error: unknown) => this.reportListenerError(error),
    };
    this.connection = new Connection(
      {
        WebSocket: options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
        url: wsUrl,
        token: () => this.token,
        client: options.client,
        autoReconnect: options.reconnect !== false,
        backoff: { ...DEFAULT_RECONNECT, ...(options.reconnect || {}) },
        requestTimeoutMs,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS,
      },
      {
        ...report,
        onFrame: (pending, data) => this.requests.handleFrame(pending, data),
        onSignedIn: (socket, pending) => this.requests.resubscribe(socket, pending),
      },
    );
    this.requests = new RequestLayer(this.connection, requestTimeoutMs, report);
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  /** The session.hello answer of the current connection (null while not open). */
  get session(): HelloResult | null {
    return this.connection.session;
  }

  /**
   * Opens the socket and signs in. Rejects with the bridge's StockroomError when it
   * refuses (UNAUTHENTICATED…: no retry), or DISCONNECTED when it cannot be reached.
   * With `retry: true`, unreachable bridges are retried with backoff until they answer.
   */
  connect(options: { retry?: boolean } = {}): Promise<HelloResult> {
    return this.connection.connect(options.retry ?? false);
  }

  /** Stops everything: closes the socket, fails waiting calls, never reconnects. */
  close(): void {
    this.connection.close();
  }

  /** Replaces the token for the next sign-in (connect / reconnect) and for uploads. */
  setToken(token: string): void {
    this.token = token;
  }

  /** Calls a bridge method. Rejects with StockroomError (the server's code, DISCONNECTED or TIMEOUT). */
  async call<M extends CallableMethod>(method: M, ...args: CallArgs<M>): Promise<MethodResult<M>> {
    const [params, options] = args as [MethodParams<M> | undefined, CallOptions | undefined];
    return this.requests.send(method, params, options);
  }

  /**
   * Checks in a finished upload as a new version, against the version the document came
   * from (`baseVersion`), or — for callers without a document — under the caller's lock
   * (`underLock: true`). Refused locally (VALIDATION_FAILED) without either; the bridge
   * answers VERSION_CONFLICT or ASSET_LOCKED when somebody else's change came first.
   */
  async checkIn(request: CheckInRequest, options?: CallOptions): Promise<MethodResult<'assets.checkin'>> {
    return this.requests.send('assets.checkin', checkInParams(request), options);
  }

  /**
   * Asks for live events (all, or the named ones) and remembers the choice: it is
   * sent again after every reconnect. Handlers are added with on().
   */
  subscribe(events?: EventName[]): Promise<EventName[]> {
    return this.requests.subscribe(events);
  }

  /** Runs handler for every `event` received; returns the function that stops it. */
  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void {
    return this.requests.on(event, handler);
  }

  onStateChange(callback: (state: ConnectionState, previous: ConnectionState) => void): () => void {
    return this.connection.onStateChange(callback);
  }

  /** After a reconnect (signed in and resubscribed): events may have been missed, refresh what is shown. */
  onReconnected(callback: (hello: HelloResult) => void): () => void {
    return this.connection.onReconnected(callback);
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

  private reportListenerError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errorListeners.emit(new StockroomError('INTERNAL', `A bridge-client listener threw: ${message}`, undefined, { cause: error }));
  }
}
