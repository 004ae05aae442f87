import { StockroomError, type ErrorBody } from '@stockroom/shared-types';

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: StockroomError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Requests sent on one connection and waiting for their response, by id. */
export class PendingRequests {
  private nextId = 1;
  private readonly byId = new Map<number, Pending>();

  /** Registers a request; the promise settles with its response, a timeout, or failAll(). */
  add(method: string, timeoutMs: number): { id: number; promise: Promise<unknown> } {
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer =
        Number.isFinite(timeoutMs) && timeoutMs > 0
          ? setTimeout(() => {
              this.byId.delete(id);
              reject(
                new StockroomError(
                  'TIMEOUT',
                  `The bridge did not answer ${method} within ${Math.round(timeoutMs / 1000)} s. Check the connection and try again.`,
                  {
                    method,
                    timeoutMs,
                  },
                ),
              );
            }, timeoutMs)
          : undefined;
      this.byId.set(id, { method, resolve, reject, timer });
    });
    return { id, promise };
  }

  /** Settles the request a response answers; false when no request has that id. */
  resolve(id: number | string | null, result: unknown): boolean {
    const pending = this.take(id);
    pending?.resolve(result);
    return pending !== undefined;
  }

  reject(id: number | string | null, error: ErrorBody): boolean {
    const pending = this.take(id);
    pending?.reject(new StockroomError(error.code, error.message, error.data));
    return pending !== undefined;
  }

  /** Fails one request (its frame could not be sent). */
  fail(id: number, error: StockroomError): void {
    const pending = this.take(id);
    pending?.reject(error);
  }

  /** Fails every waiting request (the connection is gone). */
  failAll(makeError: (method: string) => StockroomError): void {
    const all = [...this.byId.values()];
    this.byId.clear();
    for (const pending of all) {
      if (pending.timer !== undefined) clearTimeout(pending.timer);
      pending.reject(makeError(pending.method));
    }
  }

  get size(): number {
    return this.byId.size;
  }

  private take(id: number | string | null): Pending | undefined {
    if (typeof id !== 'number') return undefined;
    const pending = this.byId.get(id);
    if (!pending) return undefined;
    this.byId.delete(id);
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    return pending;
  }
}
