import type { MainEvent, MainToUi, RequestName, Requests, UiToMain } from '../src/protocol.ts';

export class MainThreadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The UI's side of the message protocol: typed requests to the main thread, and its events. */
export class MainThread {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: MainEvent) => void>();

  constructor(private readonly target: { postMessage(message: unknown, origin: string): void } = parent) {
    window.addEventListener('message', (e: MessageEvent) => {
      const message = (e.data as { pluginMessage?: MainToUi } | null)?.pluginMessage;
      if (!message) return;
      if (message.type === 'response') {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new MainThreadError(message.error.code, message.error.message));
      } else if (message.type === 'event') {
        for (const listener of this.listeners) listener(message as MainEvent);
      }
    });
  }

  ready(): void {
    this.post({ type: 'ready' });
  }

  request<N extends RequestName>(name: N, params: Requests[N]['params']): Promise<Requests[N]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ type: 'request', id, name, params });
    });
  }

  onEvent(listener: (event: MainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A drag from the grid ended over the canvas: Figma turns this into a drop event on the main thread. */
  drop(clientX: number, clientY: number, dropMetadata: unknown): void {
    this.target.postMessage({ pluginDrop: { clientX, clientY, items: [], dropMetadata } }, '*');
  }

  private post(message: UiToMain): void {
    this.target.postMessage({ pluginMessage: message }, '*');
  }
}
