import { StockroomError, type EventData, type EventName, type MethodName, type MethodParams, type MethodResult } from '@stockroom/shared-types';
import { asStockroomError, notConnectedError } from './connection-errors.ts';
import type { Connection } from './connection.ts';
import { parseFrame } from './frames.ts';
import { sendRequest } from './link.ts';
import { Listeners } from './listeners.ts';
import type { PendingRequests } from './pending.ts';
import type { WebSocketLike } from './websocket.ts';

export interface CallOptions {
  /** Overrides requestTimeoutMs for this call; it also bounds waiting for a reconnect. */
  timeoutMs?: number;
}

export interface RequestLayerHooks {
  /** Problems no call is waiting for: an unreadable frame, an error without a request id, a failed re-subscription. */
  onError(error: StockroomError): void;
  /** An event handler threw. */
  onListenerError(error: unknown): void;
}

/**
 * Calls and events on top of a Connection: sends typed requests once the connection is
 * open (waiting for a reconnect up to the call's timeout), reads the answers and events
 * the bridge sends, and remembers the subscription to send it again after a reconnect.
 */
export class RequestLayer {
  /** The last events.subscribe params, re-sent after every reconnect. */
  private subscription: MethodParams<'events.subscribe'> | null = null;
  private readonly eventListeners = new Map<string, Listeners<[unknown]>>();

  constructor(
    private readonly connection: Pick<Connection, 'state' | 'waitUntilOpen' | 'openLink'>,
    private readonly requestTimeoutMs: number,
    private readonly hooks: RequestLayerHooks,
  ) {}

  async send<M extends Exclude<MethodName, 'session.hello'>>(
    method: M,
    params: MethodParams<M> | undefined,
    options: CallOptions | undefined,
  ): Promise<MethodResult<M>> {
    const timeoutMs = options?.timeoutMs ?? this.requestTimeoutMs;
    const started = Date.now();
    if (this.connection.state !== 'open') await this.connection.waitUntilOpen(method, timeoutMs);
    const link = this.connection.openLink();
    if (!link) throw notConnectedError(method);
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    return (await sendRequest(link.socket, link.pending, method, params, remaining)) as MethodResult<M>;
  }

  async subscribe(events?: EventName[]): Promise<EventName[]> {
    const params: MethodParams<'events.subscribe'> = events ? { events } : {};
    const previous = this.subscription;
    // Remembered first, so a reconnect that happens meanwhile subscribes too.
    this.subscription = params;
    try {
      return (await this.send('events.subscribe', params, undefined)).events;
    } catch (error) {
      if (error instanceof StockroomError && error.code !== 'DISCONNECTED' && error.code !== 'TIMEOUT') {
        this.subscription = previous;
      }
      throw error;
    }
  }

  /** Sends the remembered subscription on a new socket, during its handshake. */
  async resubscribe(socket: WebSocketLike, pending: PendingRequests): Promise<void> {
    if (!this.subscription) return;
    try {
      await sendRequest(socket, pending, 'events.subscribe', this.subscription, this.requestTimeoutMs);
    } catch (error) {
      const failure = asStockroomError(error);
      // A dropped socket fails the handshake through its close event; anything else is reported.
      if (failure.code !== 'DISCONNECTED') this.hooks.onError(failure);
    }
  }

  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void {
    let listeners = this.eventListeners.get(event);
    if (!listeners) {
      listeners = new Listeners<[unknown]>((error) => this.hooks.onListenerError(error));
      this.eventListeners.set(event, listeners);
    }
    return listeners.add(handler as (data: unknown) => void);
  }

  handleFrame(pending: PendingRequests, data: unknown): void {
    if (typeof data !== 'string') {
      this.hooks.onError(new StockroomError('PROTOCOL_ERROR', 'The bridge sent a binary frame; this client expects JSON text.'));
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
          this.hooks.onError(new StockroomError(frame.error.code, frame.error.message, frame.error.data));
        }
        return;
      case 'event':
        this.eventListeners.get(frame.event)?.emit(frame.data);
        return;
      case 'invalid':
        this.hooks.onError(new StockroomError('PROTOCOL_ERROR', `The bridge sent a frame this client cannot read (${frame.reason}).`));
        return;
    }
  }
}
