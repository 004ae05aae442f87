import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeClient, type WebSocketConstructor } from '@stockroom/bridge-client';
import { bufferSource } from '@stockroom/bridge-client/node';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

let server: TestServer;
let editor: TestUser;
let designer: TestUser;
const clients: BridgeClient[] = [];

function connect(user: TestUser, app: 'photoshop' | 'premiere' | 'figma') {
  const client = new BridgeClient({
    serverUrl: server.url,
    token: user.token,
    client: { app, appVersion: '26.0', pluginVersion: '0.1.0' },
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    upload: { chunkSize: 256 * 1024 },
  });
  clients.push(client);
  return client;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.createUser({ name: 'Editor' });
  designer = await server.createUser({ name: 'Designer' });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server?.destroy();
});

describe('check in from Premiere, watched from Photoshop', () => {
  it('uploads, creates, checks out, checks in a new version, downloads any version with Range and ETag', async () => {
    const premiere = connect(editor, 'premiere');
    const photoshop = connect(designer, 'photoshop');
    await premiere.connect();
    await photoshop.connect();
    await photoshop.subscribe(['asset.locked', 'version.created', 'asset.unlocked']);
    const seen: string[] = [];
    photoshop.on('asset.locked', (d) => seen.push(`locked by ${d.lock.holder.name}`));
    photoshop.on('version.created', (d) => seen.push(`version ${d.version.number}`));
    photoshop.on('asset.unlocked', () => seen.push('unlocked'));

    const v1 = randomBytes(700 * 1024);
    const progress: number[] = [];
    const up1 = await premiere.upload(bufferSource(v1, { name: 'Interview Ä.mov', type: 'video/quicktime' }), {
      onProgress: (sent) => progress.push(sent),
    });
    expect(up1.sha256).toBe(sha256(v1));
    expect(progress.at(-1)).toBe(v1.length);
    expect(progress.length).toBeGreaterThan(2);
    const asset = await premiere.call('assets.create', { uploadId: up1.uploadId, tags: ['interview'] });
    expect(asset).toMatchObject({ name: 'Interview Ä', kind: 'video', headVersion: 1 });
    expect(asset.head).toMatchObject({ sha256: sha256(v1), size: v1.length, mimeType: 'video/quicktime', originalName: 'Interview Ä.mov' });

    await premiere.call('assets.checkout', { id: asset.id });
    const v2 = randomBytes(300 * 1024);
    const up2 = await premiere.upload(bufferSource(v2, { name: 'Interview Ä.mov', type: 'video/quicktime' }));
    const { version } = await premiere.checkIn({ id: asset.id, uploadId: up2.uploadId, comment: 'tightened the cut', baseVersion: 1 });
    expect(version).toMatchObject({ number: 2, comment: 'tightened the cut', sha256: sha256(v2) });

    await expect.poll(() => seen, { timeout: 3000 }).toEqual(['version 1', 'locked by Editor', 'version 2', 'unlocked']);

    const auth = { authorization: `Bearer ${designer.token}` };
    const one = await fetch(`${server.url}${asset.head!.contentUrl}`, { headers: auth });
    expect(one.status).toBe(200);
    expect(one.headers.get('etag')).toBe(`"${sha256(v1)}"`);
    expect(one.headers.get('content-disposition')).toContain("filename*=UTF-8''Interview%20%C3%84.mov");
    expect(sha256(new Uint8Array(await one.arrayBuffer()))).toBe(sha256(v1));

    const range = await fetch(`${server.url}${version.contentUrl}`, { headers: { ...auth, range: 'bytes=1000-1999' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 1000-1999/${v2.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(v2.subarray(1000, 2000))).toBe(true);

    const cached = await fetch(`${server.url}${version.contentUrl}`, { headers: { ...auth, 'if-none-match': `"${sha256(v2)}"` } });
    expect(cached.status).toBe(304);

    const anonymous = await fetch(`${server.url}${version.contentUrl}`);
    expect(anonymous.status).toBe(401);
    const missing = await fetch(`${server.url}/api/assets/${asset.id}/versions/9/content`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('NOT_FOUND');

    // Identical content is stored once.
    const again = await photoshop.upload(bufferSource(v1, { name: 'copy.mov', type: 'video/quicktime' }));
    const copy = await photoshop.call('assets.create', { uploadId: again.uploadId });
    expect(copy.head!.sha256).toBe(sha256(v1));
    expect(await server.stockroom.database.prisma.blob.count({ where: { sha256: sha256(v1) } })).toBe(1);
  });

  it('refuses to build a version from an upload that has not finished', async () => {
    const premiere = connect(editor, 'premiere');
    await premiere.connect();
    const bytes = randomBytes(512 * 1024);
    const controller = new AbortController();
    const partial = premiere.upload(bufferSource(bytes, { name: 'half.wav', type: 'audio/wav' }), {
      signal: controller.signal,
      onProgress: (sent) => sent >= 256 * 1024 && controller.abort(),
    });
    await expect(partial).rejects.toBeTruthy();
    const row = await server.stockroom.database.prisma.upload.findFirstOrThrow({ where: { fileName: 'half.wav' } });
    const refused = premiere.call('assets.create', { uploadId: row.id });
    await expect(refused).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    await expect(refused).rejects.toThrow(/262144 of 524288 bytes arrived/);
    expect(await server.stockroom.database.prisma.asset.count({ where: { name: 'half' } })).toBe(0);
  });
});
