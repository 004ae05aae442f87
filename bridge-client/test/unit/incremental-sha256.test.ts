/**
 * The incremental SHA-256 of the browser/UXP paths: WebAssembly (hash-wasm) where the
 * engine has it, pure JavaScript (@noble/hashes) where it does not, the same digest from
 * both however the bytes are cut, and a mark that takes the hash back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIncrementalSha256, type Sha256Engine } from '../../src/incremental-sha256.ts';

const bytes = randomBytes(5 * 1024 * 1024 + 333);
const expected = createHash('sha256').update(bytes).digest('hex');

/** Cuts `bytes` at pseudo-random points (a fixed seed), 1 byte to 300 KiB apart, block boundaries included. */
function cuts(seed: number): number[] {
  const points: number[] = [];
  let x = seed;
  for (let at = 0; at < bytes.length; ) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    at = Math.min(bytes.length, at + 1 + (x % (300 * 1024)));
    points.push(at);
  }
  return points;
}

afterEach(() => vi.unstubAllGlobals());

describe('incremental SHA-256', () => {
  it('uses WebAssembly where the engine has it, JavaScript when asked to', async () => {
    expect((await createIncrementalSha256()).engine).toBe('wasm');
    expect((await createIncrementalSha256({ prefer: 'js' })).engine).toBe('js');
  });

  it('falls back to JavaScript when WebAssembly is missing or refuses to compile', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect((await createIncrementalSha256()).engine).toBe('js');
    const refuse = () => Promise.reject(new Error('WebAssembly is disabled'));
    vi.stubGlobal('WebAssembly', { compile: refuse, instantiate: refuse });
    const hash = await createIncrementalSha256();
    expect(hash.engine).toBe('js');
    hash.update(bytes);
    expect(hash.digestHex()).toBe(expected);
  });

  for (const engine of ['wasm', 'js'] as Sha256Engine[]) {
    it(`${engine}: the digest of the whole, however the bytes are cut`, async () => {
      for (const seed of [1, 7, 42]) {
        const hash = await createIncrementalSha256({ prefer: engine });
        expect(hash.engine).toBe(engine);
        let from = 0;
        for (const to of cuts(seed)) {
          hash.update(bytes.subarray(from, to));
          from = to;
        }
        expect(hash.digestHex()).toBe(expected);
      }
      const empty = await createIncrementalSha256({ prefer: engine });
      expect(empty.digestHex()).toBe(createHash('sha256').digest('hex'));
    });

    it(`${engine}: a mark takes the hash back to where it was taken, as often as needed`, async () => {
      const hash = await createIncrementalSha256({ prefer: engine });
      hash.update(bytes.subarray(0, 1_000_001));
      const back = hash.mark();
      hash.update(randomBytes(70_000));
      back();
      hash.update(randomBytes(3));
      back();
      hash.update(bytes.subarray(1_000_001));
      expect(hash.digestHex()).toBe(expected);
    });
  }
});
