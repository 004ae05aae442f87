import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ErrorBody } from '@stockroom/shared-types';

export interface Frame {
  id?: number | string | null;
  result?: any;
  error?: ErrorBody;
  event?: string;
  data?: any;
}

/**
 * A bare WebSocket speaking raw frames, for protocol-level tests (bad frames,
 * ordering, close codes). Feature tests use @stockroom/bridge-client.
 */
export class RawSocket {
  readonly frames: Frame[] = [];
  private nextId = 1;
  private waiters: Array<{ test: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve((this.closeCode = code))));
  }

  static async open(wsUrl: string): Promise<RawSocket> {
    const ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RawSocket(ws);
  }

  static async signedIn(wsUrl: string, token: string, app = 'script'): Promise<RawSocket> {
    const socket = await RawSocket.open(wsUrl);
    const reply = await socket.request('session.hello', { token, client: { app, appVersion: '1.0', pluginVersion: '1.0' }, protocol: PROTOCOL_VERSION });
    if (reply.error) throw new Error(`hello failed: ${reply.error.code} ${reply.error.message}`);
    return socket;
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  next(test: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    const found = this.frames.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  async request(method: string, params?: unknown): Promise<Frame> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return this.next((f) => f.id === id);
  }

  /** Calls a method and returns its result, throwing on an error response. */
  async call(method: string, params?: unknown): Promise<any> {
    const reply = await this.request(method, params);
    if (reply.error) throw Object.assign(new Error(`${reply.error.code}: ${reply.error.message}`), { code: reply.error.code, data: reply.error.data });
    return reply.result;
  }

  event(name: string, test: (data: any) => boolean = () => true, timeoutMs = 15_000): Promise<Frame> {
    return this.next((f) => f.event === name && test(f.data), timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}
