/**
 * A file from disk in Node goes up as a streamed request body (fileSource.stream), by
 * default the whole file in one PATCH. A connection cut in the middle of it resumes at the
 * bridge's offset, sends only the rest, and the bridge still verifies the SHA-256 that
 * the client computed (hash included, as a script or the import would upload).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';
import { fileSource } from '../../src/node.ts';
import { makeClient } from './support.ts';

const MiB = 1024 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'bridge-client-streamed-'));
const bytes = randomBytes(12 * MiB + 321);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const file = path.join(dir, 'clip.mov');
writeFileSync(file, bytes);

let server: TestServer;
let proxy: http.Server;
let proxyUrl: string;
/** Every PATCH that reached the proxy: its Upload-Offset and the body bytes it forwarded. */
const patches: Array<{ offset: number; forwarded: number }> = [];
/** When set, the next PATCH is cut (both sides) after this many body bytes. */
let cutAfter: number | null = null;

beforeAll(async () => {
  server = await startTestServer();
  proxy = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (req.method === 'PATCH') {
      const seen = { offset: Number(req.headers['upload-offset']), forwarded: 0 };
      patches.push(seen);
      const limit = cutAfter;
      cutAfter = null;
      req.on('data', (chunk: Buffer) => {
        seen.forwarded += chunk.length;
        if (limit !== null && seen.forwarded > limit) {
          upstream.destroy();
          req.socket.destroy();
        }
      });
    }
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('a file streamed from disk', () => {
  it('goes up in one request by default, hashed by the client and verified by the bridge', async () => {
    const client = makeClient(proxyUrl, server.adminToken);
    patches.length = 0;
    try {
      const progress: number[] = [];
      const result = await client.upload(await fileSource(file), { onProgress: (sent) => progress.push(sent) });
      expect(result).toMatchObject({ sha256, size: bytes.length, resumedFrom: 0, bytesSent: bytes.length });
      expect(patches).toEqual([{ offset: 0, forwarded: bytes.length }]);
      expect(progress.at(-1)).toBe(bytes.length);
    } finally {
      client.close();
    }
  });

  it('cut in the middle, resumes at the bridge’s offset with a new stream of the rest, and still verifies', async () => {
    const client = makeClient(proxyUrl, server.adminToken, { upload: { retryDelays: [100, 300, 600, 1000] } });
    patches.length = 0;
    cutAfter = 5 * MiB;
    // Other bytes than the test before, so the bridge cannot answer from a stored blob.
    const other = Buffer.from(bytes);
    other[0]! ^= 0xff;
    const otherFile = path.join(dir, 'other.mov');
    writeFileSync(otherFile, other);
    try {
      const result = await client.upload(await fileSource(otherFile));
      expect(result.sha256).toBe(createHash('sha256').update(other).digest('hex'));
      expect(patches).toHaveLength(2);
      const [cut, rest] = patches as [{ offset: number; forwarded: number }, { offset: number; forwarded: number }];
      expect(cut.offset).toBe(0);
      // The bridge kept what arrived of the cut request; the retry started there and sent only the rest.
      expect(rest.offset).toBeGreaterThan(0);
      expect(rest.offset).toBeLessThanOrEqual(cut.forwarded);
      expect(rest.forwarded).toBe(other.length - rest.offset);
      expect(result).toMatchObject({ size: other.length, resumedFrom: 0 });
    } finally {
      client.close();
    }
  });
});
