/**
 * The two-designer scenario through @stockroom/bridge-client alone, in Node (no UI, no
 * host app), once for each way a client learns the version its document came from:
 * a fresh download, a file already in the cache (placed earlier), and a panel that was
 * reopened (its bookkeeping read back from storage). Each time: opened at v1 and checked
 * out, an administrator forces the lock open (the holder's client is told, with the
 * reason), a colleague checks in v2, the designer's check-in is refused (v2 intact, no
 * v3), and the explicit override makes v3 from the designer's bytes, audited.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BridgeClient } from '@stockroom/bridge-client';
import { cacheRelativePath, DocumentOrigins, initialState, lockNoticeFor, type DocumentOrigin, type OriginStorage } from '@stockroom/panels-core';
import { isStockroomError, type Asset, type EventData } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';
import { connectClient, createAsset } from './support/second-client.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;
let aliceClient: BridgeClient;
let bobClient: BridgeClient;
let adminClient: BridgeClient;
let cacheRoot: string;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (text: string) => new TextEncoder().encode(text.repeat(500));

/** Storage kept in a file, as a panel's localStorage outlives the panel. */
class FileStorage implements OriginStorage {
  constructor(private readonly file: string) {}
  getItem(key: string): string | null {
    try {
      return (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>)[key] ?? null;
    } catch {
      return null;
    }
  }
  setItem(key: string, value: string): void {
    let all: Record<string, string> = {};
    try {
      all = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      // first write
    }
    writeFileSync(this.file, JSON.stringify({ ...all, [key]: value }));
  }
}

/** Downloads asset@version into the cache layout every panel uses, as a panel does. */
async function download(asset: Asset, version: number): Promise<string> {
  const head = (await aliceClient.call('versions.list', { assetId: asset.id })).versions.find((v) => v.number === version)!;
  const response = await fetch(new URL(head.contentUrl, `${server.url}/`), { headers: { Authorization: `Bearer ${alice.token}` } });
  expect(response.status).toBe(200);
  const file = path.join(cacheRoot, cacheRelativePath(asset.id, version, head.originalName));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
  return file;
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice Designer' });
  bob = await server.createUser({ name: 'Bob Retoucher' });
  admin = await server.createUser({ name: 'Dana Admin', role: 'admin' });
  [aliceClient, bobClient, adminClient] = await Promise.all([
    connectClient(server.url, alice.token),
    connectClient(server.url, bob.token),
    connectClient(server.url, admin.token),
  ]);
  await aliceClient.subscribe(['asset.unlocked']);
  cacheRoot = path.join(os.tmpdir(), `stockroom-base-version-${process.pid}-${Date.now()}`);
  mkdirSync(cacheRoot, { recursive: true });
});

afterAll(async () => {
  for (const client of [aliceClient, bobClient, adminClient]) client?.close();
  await server?.destroy();
  rmSync(cacheRoot, { recursive: true, force: true });
});

/**
 * The scenario, given how this client comes to know its document's origin
 * (`learn` gets the asset at v1 and returns the origin the client would use).
 */
async function scenario(name: string, learn: (asset: Asset) => Promise<DocumentOrigin>) {
  const asset = await createAsset(bobClient, bytesOf(`${name} v1`), 'poster.psd', 'image/vnd.adobe.photoshop', `Poster (${name})`);
  await aliceClient.call('assets.checkout', { id: asset.id });
  const origin = await learn(asset);
  expect(origin).toMatchObject({ assetId: asset.id, version: 1 });

  const told = new Promise<EventData<'asset.unlocked'>>((resolve) => {
    const off = aliceClient.on('asset.unlocked', (data) => {
      if (data.assetId !== asset.id) return;
      off();
      resolve(data);
    });
  });
  await adminClient.call('assets.forceUnlock', { id: asset.id, reason: 'Bob needs it for the print deadline' });
  const unlocked = await told;
  const me = { ...initialState(''), user: { id: alice.id, name: alice.name, email: alice.email, role: 'member' as const, createdAt: '', disabledAt: null } };
  expect(lockNoticeFor(me, unlocked, 1)).toMatchObject({ by: { name: 'Dana Admin' }, reason: 'Bob needs it for the print deadline', assetId: asset.id });

  await bobClient.call('assets.checkout', { id: asset.id });
  const bobBytes = bytesOf(`${name} v2 by Bob`);
  const bobUpload = await bobClient.upload(bobBytes, { fileName: 'poster.psd', mimeType: 'image/vnd.adobe.photoshop' });
  await bobClient.checkIn({ id: asset.id, uploadId: bobUpload.uploadId, comment: 'Brighter sky', underLock: true });

  const aliceBytes = bytesOf(`${name} Alice from v1`);
  const { uploadId } = await aliceClient.upload(aliceBytes, { fileName: 'poster.psd', mimeType: 'image/vnd.adobe.photoshop' });
  const refused = await aliceClient.checkIn({ id: asset.id, uploadId, baseVersion: origin.version }).catch((error: unknown) => error);
  expect(isStockroomError(refused) && refused.code).toBe('VERSION_CONFLICT');
  expect(isStockroomError(refused) && refused.data).toMatchObject({ headVersion: 2, baseVersion: 1 });
  const after = (await aliceClient.call('versions.list', { assetId: asset.id })).versions;
  expect(after.map((v) => v.number)).toEqual([2, 1]);
  expect(after[0]!.sha256).toBe(sha256(bobBytes));

  // The explicit override: on top of v2, the same upload, recorded.
  const { version } = await aliceClient.checkIn({ id: asset.id, uploadId, baseVersion: 2, override: { startedFrom: origin.version } });
  expect(version).toMatchObject({ number: 3, sha256: sha256(aliceBytes) });
  const audit = await server.stockroom.database.prisma.auditEvent.findFirst({ where: { targetId: asset.id, action: 'asset.checkin', actorId: alice.id } });
  expect(audit?.data).toEqual({ number: 3, sha256: sha256(aliceBytes), baseVersion: 2, underLock: false, override: { startedFrom: 1 } });
}

describe('check-in against the version the document came from, through bridge-client in Node', () => {
  it('a fresh download: the version the client downloaded and opened', async () => {
    const origins = new DocumentOrigins(new FileStorage(path.join(cacheRoot, 'origins-download.json')));
    await scenario('fresh download', async (asset) => {
      const file = await download(asset, 1);
      // Saved documents are known by path; the downloaded file was opened as one.
      origins.remember({ id: file }, { assetId: asset.id, version: 1, source: 'download' });
      return origins.resolve({ id: file, path: file })!;
    });
  });

  it('a cached placement: the document is the cached file placed earlier, whose path names the version', async () => {
    const origins = new DocumentOrigins(null); // nothing written down: the path alone tells
    await scenario('cached placement', async (asset) => {
      const file = await download(asset, 1);
      expect(DocumentOrigins.ofPlacement({ assetId: asset.id, version: 1 })).toEqual({ assetId: asset.id, version: 1, source: 'placement' });
      const origin = origins.resolve({ id: file, path: file })!;
      expect(origin.source).toBe('cache');
      return origin;
    });
  });

  it('a reopened panel: the origin written down before the reload is read back from storage', async () => {
    const storageFile = path.join(cacheRoot, 'origins-reopen.json');
    await scenario('reopened panel', async (asset) => {
      // An unsaved document: no path tells its version, only the panel's own record.
      const doc = { id: 'unsaved:17', path: null };
      new DocumentOrigins(new FileStorage(storageFile)).remember(doc, { assetId: asset.id, version: 1, source: 'download' });
      const reopened = new DocumentOrigins(new FileStorage(storageFile));
      return reopened.resolve(doc)!;
    });
    // What the panel writes after a check-in wins over an older cache path after a reload too.
    const file = path.join(cacheRoot, cacheRelativePath('3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10', 1, 'poster.psd'));
    new DocumentOrigins(new FileStorage(storageFile)).remember(
      { id: file },
      { assetId: '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10', version: 3, source: 'checkin' },
    );
    expect(new DocumentOrigins(new FileStorage(storageFile)).resolve({ id: file, path: file })).toMatchObject({ version: 3, source: 'checkin' });
    expect(new DocumentOrigins(null).resolve({ id: file, path: file })).toMatchObject({ version: 1, source: 'cache' });
  });

  it('bridge-client refuses a check-in that names no base version, before the bridge sees it', async () => {
    const asset = await createAsset(bobClient, bytesOf('no base'), 'poster.psd', 'image/vnd.adobe.photoshop', 'Poster (no base)');
    const { uploadId } = await aliceClient.upload(bytesOf('no base, changed'), { fileName: 'poster.psd', mimeType: 'image/vnd.adobe.photoshop' });
    const refused = await aliceClient.checkIn({ id: asset.id, uploadId } as never).catch((error: unknown) => error);
    expect(isStockroomError(refused) && refused.code).toBe('VALIDATION_FAILED');
    // Nothing reached the bridge: the upload is unused and can still be checked in properly.
    const { version } = await aliceClient.checkIn({ id: asset.id, uploadId, baseVersion: 1 });
    expect(version.number).toBe(2);
  });
});
