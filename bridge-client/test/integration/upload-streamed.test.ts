/**
 * A file from disk in Node goes up as a streamed request body (fileSource.stream), by
 * default the whole file in one PATCH, hashed by the client from the same reads; its
 * SHA-256 is declared after the bytes (an empty PATCH with Stockroom-Sha256). A connection
 * cut in the middle resumes at the bridge's offset, sends only the rest, and the bridge
 * still verifies the SHA-256 that the client computed (hash included, as a script or the
 * import would upload).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_INCOMPLETE_REASONS, UPLOAD_SHA256_HEADER } from '@stockroom/shared-types';
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
/** The SHA-256 each PATCH declared (Stockroom-Sha256), and each creation's Upload-Metadata. */
const declared: Array<string | undefined> = [];
const creations: string[] = [];
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
    if (req.method === 'POST') creations.push(String(req.headers['upload-metadata']));
    if (req.method === 'PATCH') {
      declared.push(req.headers[UPLOAD_SHA256_HEADER.toLowerCase()] as string | undefined);
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
  it('goes up in one request by default, hashed by the client while it sends, declared after the bytes and verified by the bridge', async () => {
    const client = makeClient(proxyUrl, server.adminToken);
    patches.length = 0;
    declared.length = 0;
    creations.length = 0;
    try {
      const progress: number[] = [];
      const hashed: number[] = [];
      const result = await client.upload(await fileSource(file), { onProgress: (sent) => progress.push(sent), onHashProgress: (n) => hashed.push(n) });
      expect(result).toMatchObject({ sha256, size: bytes.length, resumedFrom: 0, bytesSent: bytes.length });
      // The bytes in one request, then the declaration: an empty PATCH at the end.
      expect(patches).toEqual([
        { offset: 0, forwarded: bytes.length },
        { offset: bytes.length, forwarded: 0 },
      ]);
      expect(declared).toEqual([undefined, sha256]);
      // The creating request did not wait for a hash: it declares none.
      expect(creations).toHaveLength(1);
      expect(creations[0]).not.toMatch(/(^|,)sha256 /);
      expect(hashed.at(-1)).toBe(bytes.length);
      expect(progress.at(-1)).toBe(bytes.length);
      // The proxy carries no WebSocket: the call goes to the bridge directly.
      const direct = makeClient(server.url, server.adminToken);
      try {
        await direct.connect();
        const asset = await direct.call('assets.create', { uploadId: result.uploadId, name: 'Clip' });
        expect(asset.head).toMatchObject({ sha256, size: bytes.length });
      } finally {
        direct.close();
      }
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
      expect(patches).toHaveLength(3);
      const [cut, rest, declaration] = patches as [
        { offset: number; forwarded: number },
        { offset: number; forwarded: number },
        { offset: number; forwarded: number },
      ];
      expect(declaration).toEqual({ offset: other.length, forwarded: 0 });
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

  it('refuses a file that changed while it was sent, and declares nothing', async () => {
    const client = makeClient(proxyUrl, server.adminToken);
    declared.length = 0;
    const changing = path.join(dir, 'changing.mov');
    writeFileSync(changing, randomBytes(4 * MiB));
    const source = await fileSource(changing);
    try {
      const refused = await client
        .upload(source, {
          onProgress: (sent) => {
            if (sent > 0 && sent < 4 * MiB) writeFileSync(changing, randomBytes(4 * MiB));
          },
        })
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('changed') });
      expect(declared.filter(Boolean)).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('an upload whose SHA-256 was never declared is refused by assets.create, saying what to do', async () => {
    const client = makeClient(server.url, server.adminToken);
    const data = randomBytes(1000);
    const auth = { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${server.adminToken}` };
    try {
      const created = await fetch(`${server.url}/api/uploads`, {
        method: 'POST',
        headers: { ...auth, 'Upload-Length': String(data.length), 'Upload-Metadata': `filename ${Buffer.from('x.bin').toString('base64')}` },
      });
      const url = new URL(created.headers.get('location')!, server.url).toString();
      const sent = await fetch(url, {
        method: 'PATCH',
        headers: { ...auth, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: data,
      });
      expect(sent.status).toBe(204);
      await client.connect();
      const uploadId = url.slice(url.lastIndexOf('/') + 1);
      await expect(client.call('assets.create', { uploadId, name: 'Never declared' })).rejects.toMatchObject({
        code: 'UPLOAD_INCOMPLETE',
        message: expect.stringContaining(UPLOAD_SHA256_HEADER),
        data: { reason: UPLOAD_INCOMPLETE_REASONS.sha256Undeclared },
      });
    } finally {
      client.close();
    }
  });
});
