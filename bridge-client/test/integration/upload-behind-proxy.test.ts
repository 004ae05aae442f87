import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';
import { makeClient } from './support.ts';

const MiB = 1024 * 1024;
let server: TestServer;
let proxy: http.Server;
let proxyUrl: string;
/** While true the proxy answers every request with 502, as nginx does while the bridge restarts. */
let upstreamDown = false;
const seen: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  proxy = http.createServer((req, res) => {
    if (upstreamDown) {
      seen.push(`${req.method} 502`);
      req.resume();
      res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      seen.push(`${req.method} ${answer.statusCode}`);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.destroy();
});

describe('an upload through a proxy that answers 502 while the bridge is away', () => {
  it('resumes the same upload at the server offset instead of starting a new one from byte 0', async () => {
    const bytes = new Uint8Array(randomBytes(8 * MiB));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const client = makeClient(proxyUrl, server.adminToken, { upload: { chunkSize: MiB, retryDelays: [0, 300, 600, 1000, 2000] } });
    let cut = false;
    seen.length = 0;
    try {
      const result = await client.upload(bytes, {
        fileName: 'behind-proxy.bin',
        onProgress: (sent) => {
          if (cut || sent < 2 * MiB) return;
          cut = true;
          upstreamDown = true;
          setTimeout(() => (upstreamDown = false), 700);
        },
      });
      expect(result).toMatchObject({ sha256, size: bytes.byteLength });
      expect(seen).toContain('HEAD 502'); // the proxy did answer for the absent bridge while the client asked for the offset
      expect(seen.filter((entry) => entry.startsWith('POST'))).toEqual(['POST 201']); // one upload, resumed
      expect(result.bytesSent).toBe(bytes.byteLength); // every chunk went through once: none was sent again
    } finally {
      client.close();
    }
  });
});
