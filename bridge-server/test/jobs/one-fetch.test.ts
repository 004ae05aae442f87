// A new version's original is read from the blob store once for its metadata and all its
// derivatives: counted at the real S3 server (the Ceph gateway's own request log) and at the
// store the worker was given; a store on this disk is read in place, never copied.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Asset } from '@stockroom/shared-types';
import type { BlobStore } from '../../src/ports/blob-store.ts';
import { ensureCorpus, type Corpus } from '../media/corpus.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { testS3Settings } from '../support/test-s3.ts';
import { addAsset, adminActor, settled } from './helpers.ts';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await ensureCorpus();
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

/** An image and a video, added as new assets; resolves when every derivative and both versions' metadata are done. */
async function addAndSettle(server: TestServer): Promise<Array<{ asset: Asset; sha256: string; presets: string[] }>> {
  const actor = await adminActor(server.stockroom);
  const assets = [await addAsset(server.stockroom, actor, corpus.jpegOrientation6), await addAsset(server.stockroom, actor, corpus.h264)];
  const rows = await settled(
    server.stockroom,
    assets.map((a) => a.id),
  );
  const db = server.stockroom.database.prisma;
  const versions = await until('both versions to have their metadata', async () => {
    const found = await db.version.findMany({ where: { assetId: { in: assets.map((a) => a.id) } } });
    return found.every((v) => (v.metadata as { family?: string }).family) ? found : undefined;
  });
  return assets.map((asset) => {
    const derivatives = rows.get(asset.id)!;
    expect(derivatives.map((d) => [d.preset, d.status, d.failure])).toEqual(derivatives.map((d) => [d.preset, 'ready', null]));
    return { asset, sha256: versions.find((v) => v.assetId === asset.id)!.blobSha256, presets: derivatives.map((d) => d.preset).sort() };
  });
}

const scratchFolders = (server: TestServer) => readdirSync(path.join(server.dataDir, 'work')).filter((name) => name.startsWith('job-'));

describe('on S3 (a real Ceph gateway)', () => {
  let server: TestServer;
  let bucket: string;
  let endpoint: string;

  beforeAll(async () => {
    const settings = await testS3Settings({ bucketPrefix: 'one-fetch' });
    bucket = settings.bucket;
    endpoint = settings.endpoint;
    server = await startTestServer({
      env: {
        S3_ENDPOINT: settings.endpoint,
        S3_BUCKET: settings.bucket,
        S3_ACCESS_KEY: settings.accessKey,
        S3_SECRET_KEY: settings.secretKey,
        S3_REGION: settings.region,
        WORKER_CONCURRENCY: '2',
      },
    });
  }, 240_000);
  afterAll(async () => {
    await server?.destroy();
  });

  /** The gateway's request log (beast access lines), when the tests started the gateway. */
  const gatewayLog = () => {
    const dir = inject('testS3Dir');
    return dir ? readFileSync(path.join(dir, 'log', 'client.rgw.a.log'), 'utf8').split('\n') : null;
  };

  it("fetches a new image's and a new video's original once each, for the metadata job and every derivative", async () => {
    const store: BlobStore = server.stockroom.blobStore;
    const reads = vi.spyOn(store, 'createReadStream');
    const made = await addAndSettle(server);
    expect(made.map((m) => m.presets)).toEqual([
      ['preview', 'thumbnail'],
      ['filmstrip', 'poster', 'proxy', 'thumbnail'],
    ]);
    for (const { sha256, asset } of made) {
      expect(
        reads.mock.calls.filter(([sha]) => sha === sha256),
        `reads of ${asset.name}'s original through the blob store`,
      ).toHaveLength(1);
    }
    const log = gatewayLog();
    if (log) {
      // A request after all the worker's: once its line is in the log, every earlier one is too.
      const marker = `/${bucket}/log-marker-${Date.now()}`;
      await (await fetch(`${endpoint}${marker}`)).arrayBuffer();
      const lines = await until('the gateway to log the marker request', () => {
        const now = gatewayLog()!;
        return now.some((line) => line.includes(`"GET ${marker} `)) ? now : undefined;
      });
      for (const { sha256, asset } of made) {
        const gets = lines.filter((line) => line.includes(' beast: ') && line.includes(`"GET /${bucket}/`) && line.includes(sha256));
        expect(gets, `GETs of ${asset.name}'s original at the S3 server`).toHaveLength(1);
        expect(gets[0]).toMatch(/" 200 /);
      }
    }
    // The copies are kept a while for other jobs of the same bytes, and removed when the worker stops.
    await server.stop();
    expect(scratchFolders(server)).toEqual([]);
    await server.start();
  });
});

describe('on a disk blob store', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '2' } });
  }, 120_000);
  afterAll(async () => {
    await server?.destroy();
  });

  it('reads the original in place: no copy through the store, none in the scratch folder', async () => {
    const reads = vi.spyOn(server.stockroom.blobStore, 'createReadStream');
    const made = await addAndSettle(server);
    for (const { sha256 } of made) expect(reads.mock.calls.filter(([sha]) => sha === sha256)).toEqual([]);
    // Only the jobs' own folders for what they make, each removed when its job ends.
    await until('the jobs to remove their scratch folders', () => (scratchFolders(server).length === 0 ? true : undefined));
  });
});
