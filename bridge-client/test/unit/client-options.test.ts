import { describe, expect, it } from 'vitest';
import { BridgeClient } from '../../src/index.ts';
import { httpUrl, webSocketUrl } from '../../src/websocket.ts';

describe('BridgeClient options', () => {
  it('derives the socket and upload URLs from the server URL, keeping a base path', () => {
    expect(webSocketUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws');
    expect(webSocketUrl('https://dam.example.com/stockroom/')).toBe('wss://dam.example.com/stockroom/ws');
    expect(httpUrl('https://dam.example.com/stockroom', '/api/uploads')).toBe('https://dam.example.com/stockroom/api/uploads');
    expect(() => webSocketUrl('ftp://x')).toThrow(TypeError);
  });

  it('without any WebSocket class, connect() says what to pass (uploads still work without one)', async () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      const client = new BridgeClient({ serverUrl: 'http://127.0.0.1:1', token: 't', client: { app: 'script' } });
      await expect(client.connect()).rejects.toThrow(/pass options\.WebSocket/);
      expect(client.state).toBe('idle');
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });
});
