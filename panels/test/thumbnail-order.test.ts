/**
 * The order in which the panels load thumbnails, over real HTTP from a server that holds every
 * answer until the test lets it go: a new page of results goes first, in its order; what was
 * waiting for a page that is gone is dropped (and loaded again when its card comes back);
 * thumbnails asked for elsewhere (a placed item's) are kept.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ThumbnailLoader } from '@stockroom/panels-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: http.Server;
let url: string;
let png: Buffer;
/** Paths in the order they were asked for. */
const asked: string[] = [];
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#6a8caf' } })
    .png()
    .toBuffer();
  server = http.createServer((req, res) => {
    asked.push(req.url!);
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of held.splice(0)) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Answers whatever is held, again and again, until `count` requests in all have been answered. */
async function answerUntil(count: number): Promise<void> {
  let answered = 0;
  while (answered < count) {
    await until(() => held.length > 0, `request ${answered + 1} of ${count}`);
    for (const res of held.splice(0)) {
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
      answered++;
    }
  }
}

const item = (id: string) => ({ assetId: id, version: 1, path: `/thumb/${id}` });

describe('the thumbnail queue', () => {
  it('loads a new page of results first, in its order, drops what waited for a page that is gone, and keeps other requests', async () => {
    const loaded: string[] = [];
    const loader = new ThumbnailLoader(
      () => ({ url, token: 't' }),
      (key, dataUrl) => {
        expect(dataUrl).toBe(`data:image/png;base64,${png.toString('base64')}`);
        loaded.push(key.split('@')[0]!);
      },
    );
    // The page shown while typing: four go out at once, two wait.
    loader.showFirst(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map(item));
    await until(() => asked.length === 4, 'the first four requests');
    // A placed item's thumbnail, asked for by its own view.
    loader.request('placed', 3, '/thumb/placed');
    // The answer to the finished query: its first row goes before everything else waiting.
    loader.showFirst(['b1', 'b2', 'b3', 'a6', 'a1'].map(item));
    // Answered a round at a time (a round is what four free slots send), so that the next round
    // is all asked for before any of it is answered: an early answer would free a slot for the
    // placed item while the round's last requests are still on their way.
    await answerUntil(4);
    await until(() => held.length === 4, 'the second round of four requests');
    await answerUntil(4);
    await answerUntil(1);
    await until(() => loaded.length === 9, 'nine thumbnails loaded');
    expect(asked).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'a6', 'placed'].map((id) => `/thumb/${id}`));
    expect(loaded.sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a6', 'b1', 'b2', 'b3', 'placed']);

    // a5 was dropped, not forgotten for good: its card asking again loads it; a loaded one is not asked for twice.
    loader.request('a5', 1, '/thumb/a5');
    loader.request('b1', 1, '/thumb/b1');
    loader.showFirst(['a1', 'b2'].map(item));
    await answerUntil(1);
    await until(() => loaded.length === 10, 'a5 loaded');
    expect(asked.slice(9)).toEqual(['/thumb/a5']);
  });
});
