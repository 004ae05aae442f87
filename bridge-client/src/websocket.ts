/**
 * The part of the WebSocket API the client uses: the browser/UXP global and the
 * `ws` package's class both fit. Handlers take `any` so both libraries' event types fit.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /* eslint-disable @typescript-eslint/no-explicit-any */
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export const WS_OPEN = 1;

/** http://host/base → ws://host/base/ws (https → wss). */
export function webSocketUrl(serverUrl: string, path = '/ws'): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`serverUrl must be an http(s) URL, got ${serverUrl}`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** http://host/base + /api/uploads → http://host/base/api/uploads */
export function httpUrl(serverUrl: string, path: string): string {
  const url = new URL(serverUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
