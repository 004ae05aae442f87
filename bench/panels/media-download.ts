// Media download into the Premiere panel's media folder: a 2 GiB original fetched with the
// panels' own download code (panels/core downloadToCache: ranged pieces appended to a
// partial file through the UXP-style fs calls, SHA-256 checked, renamed into place),
// against a bare streaming HTTP download of the same bytes to a file, in one run. Both
// are served by the bridge's own sendBlob (Range, ETag) from a disk blob store on
// loopback. Each side runs in its own process; RSS is sampled every 20 ms, so "peak RSS
// over the start" is what the download itself added. The point is memory: a download
// must not hold the file, so the panel's peak must stay near the bare client's. And time:
// the panel checks the SHA-256 as the bytes arrive, the bare download does not.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, rename, unlink, mkdir, lstat } from 'node:fs/promises';
import http from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CacheFolder, PieceWriteFs } from '@stockroom/panels-core/host';
import { cacheRelativePath, openPartialFile } from '@stockroom/panels-core/host';
import { DiskBlobStore } from '../../bridge-server/src/adapters/blob-store/disk.ts';
import { sendBlob } from '../../bridge-server/src/http/send-blob.ts';
import { downloadToCache } from '../../panels/core/src/bridge/download-to-cache.ts';
import { REPO } from '../core/lib.ts';
import { startPacedProxy } from './paced-proxy.ts';

const SIZE = Number(process.env.DOWNLOAD_BYTES ?? 2 * 1024 ** 3);
const side = process.argv[2];

interface SideResult {
  side: string;
  seconds: number;
  rssStartMb: number;
  rssPeakMb: number;
  sha256: string;
}

if (side === 'bare' || side === 'panel') {
  const [url, out, expectedSha] = process.argv.slice(3) as [string, string, string];
  const result = await runSide(side, url, out, expectedSha);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(REPO, '.tmp', 'bench-media-download-'));
  try {
    const store = new DiskBlobStore(path.join(dir, 'blobs'));
    const source = path.join(dir, 'source.bin');
    console.log(`writing ${(SIZE / 1024 ** 3).toFixed(2)} GiB of incompressible bytes…`);
    const sha256 = await writeSource(source, SIZE);
    await store.putFile(source, sha256, SIZE);
    const server = http.createServer((req, res) => {
      void sendBlob(req, res, store, { sha256, size: SIZE, fileName: 'original.mov', mimeType: 'video/quicktime' }).catch(() => res.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    // DOWNLOAD_LINK_MIBPS: both sides download through a proxy paced to that speed (112 for
    // 1 GbE), to see whether the panel's checking hides behind a real network's speed.
    const link = process.env.DOWNLOAD_LINK_MIBPS
      ? await startPacedProxy({ host: '127.0.0.1', port }, Number(process.env.DOWNLOAD_LINK_MIBPS) * 1024 ** 2)
      : null;
    const url = `http://127.0.0.1:${link?.port ?? port}/blob`;
    const results: SideResult[] = [];
    // Alternating, twice each, so a noisy neighbour colours both sides alike.
    for (const name of ['bare', 'panel', 'bare', 'panel']) {
      const out = path.join(dir, `${name}-media`);
      rmSync(out, { recursive: true, force: true });
      // Not spawnSync: this process serves the bytes meanwhile.
      const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', import.meta.filename, name, url, out, sha256], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SideResult;
      if (result.sha256 !== sha256) throw new Error(`${name}: the downloaded file's SHA-256 differs`);
      results.push(result);
      console.log(
        `${name.padEnd(5)} ${result.seconds.toFixed(2)} s (${(SIZE / 1024 ** 2 / result.seconds).toFixed(0)} MiB/s), RSS ${result.rssStartMb.toFixed(0)} → peak ${result.rssPeakMb.toFixed(0)} MB (+${(result.rssPeakMb - result.rssStartMb).toFixed(0)} MB)`,
      );
      rmSync(out, { recursive: true, force: true });
    }
    server.close();
    link?.close();
    const best = (name: string) => results.filter((r) => r.side === name).sort((a, b) => a.seconds - b.seconds)[0]!;
    const growth = (name: string) => Math.max(...results.filter((r) => r.side === name).map((r) => r.rssPeakMb - r.rssStartMb));
    console.log(`panel / bare wall time (best of 2 each): ${(best('panel').seconds / best('bare').seconds).toFixed(2)}`);
    console.log(
      `RSS growth during the download: panel +${growth('panel').toFixed(0)} MB, bare +${growth('bare').toFixed(0)} MB, for a ${(SIZE / 1024 ** 2).toFixed(0)} MiB file`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSide(name: string, url: string, out: string, expectedSha: string): Promise<SideResult> {
  await mkdir(out, { recursive: true });
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  let file: string;
  if (name === 'bare') {
    file = path.join(out, 'original.mov');
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as never), createWriteStream(file));
  } else {
    file = await downloadToCache(
      nodeCache(out),
      { assetId: '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10', version: 1, fileName: 'original.mov', contentUrl: url, size: SIZE, sha256: expectedSha },
      { serverUrl: url, token: 'bench' },
    );
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  if (statSync(file).size !== SIZE) throw new Error(`${name}: wrong size`);
  const hash = createHash('sha256');
  await pipeline((await open(file)).createReadStream(), hash);
  return { side: name, seconds, rssStartMb: rssStart / 1e6, rssPeakMb: rssPeak / 1e6, sha256: hash.digest('hex') };
}

/** The media folder on Node's fs, with the same calls UXP's fs offers the panel. */
function nodeCache(root: string): CacheFolder {
  const handles = new Map<number, Awaited<ReturnType<typeof open>>>();
  let nextFd = 3;
  const fs: PieceWriteFs = {
    mkdir: (p, options) => mkdir(p, options),
    open: async (p, flag) => {
      const fd = nextFd++;
      handles.set(fd, await open(p, flag));
      return fd;
    },
    read: async (fd, buffer, offset, length, position) => handles.get(fd)!.read(new Uint8Array(buffer), offset, length, position),
    write: async (fd, buffer, offset, length, position) => handles.get(fd)!.write(new Uint8Array(buffer), offset, length, position),
    close: async (fd) => {
      await handles.get(fd)?.close();
      handles.delete(fd);
    },
    lstat: (p) => lstat(p),
    rename: (a, b) => rename(a, b),
    unlink: (p) => unlink(p),
  };
  const pathFor = async (assetId: string, version: number, name: string) => path.join(root, cacheRelativePath(assetId, version, name));
  return {
    pathFor,
    has: async (a, v, n) =>
      lstat(await pathFor(a, v, n)).then(
        () => true,
        () => false,
      ),
    write: async () => {
      throw new Error('the benchmark measures the streamed path only');
    },
    open: async (a, v, n) => openPartialFile(fs, await pathFor(a, v, n)),
  };
}

/** Pseudo-random bytes (AES-CTR of zeros): incompressible, made at disk speed. */
async function writeSource(file: string, size: number): Promise<string> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 1));
  const hash = createHash('sha256');
  const block = Buffer.alloc(8 * 1024 * 1024);
  const stream = createWriteStream(file);
  for (let written = 0; written < size; written += block.byteLength) {
    const bytes = cipher.update(block.subarray(0, Math.min(block.byteLength, size - written)));
    hash.update(bytes);
    if (!stream.write(bytes)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  return hash.digest('hex');
}
