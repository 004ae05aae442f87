import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createSHA256 } from 'hash-wasm';

/**
 * A SHA-256 fed piece by piece, for the platforms without node:crypto (browsers, UXP,
 * the Figma UI). WebCrypto's digest() takes the whole input at once, so it cannot check
 * a file that never sits in memory.
 *
 * Where the JavaScript engine has WebAssembly, hash-wasm's SHA-256 runs at about 2.5×
 * the speed of the pure-JavaScript @noble/hashes (≈ 400 vs 150 MB/s on one core of the
 * machine in docs/benchmarks.md). Browsers and Node have it. For UXP, Adobe's Photoshop
 * documentation says "UXP also supports WebAssembly" (guides, code samples: its
 * wasm-rust-sample inlines the module, as hash-wasm does); Premiere Pro's UXP
 * documentation does not mention it. So it is detected, not assumed: when WebAssembly is
 * missing, or compiling the module fails (a host that forbids it), @noble/hashes does the
 * same work, more slowly.
 */
export interface IncrementalSha256 {
  /** Which implementation runs: 'wasm' (hash-wasm) or 'js' (@noble/hashes). */
  readonly engine: Sha256Engine;
  update(bytes: Uint8Array): void;
  /**
   * Remembers the state after the bytes so far; calling the returned function goes back
   * to it (bytes that were hashed while their write to disk was running, when that write
   * failed).
   */
  mark(): () => void;
  /** The digest in lower-case hex; the hasher is spent afterwards. */
  digestHex(): string;
}

export type Sha256Engine = 'wasm' | 'js';

/** 'wasm' when this engine can run hash-wasm, else 'js'; `prefer: 'js'` forces the fallback (tests). */
export async function createIncrementalSha256(options: { prefer?: Sha256Engine } = {}): Promise<IncrementalSha256> {
  // Read off globalThis: this package compiles without the DOM library, which declares WebAssembly.
  if (options.prefer !== 'js' && typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'object') {
    try {
      return wasmSha256(await createSHA256());
    } catch {
      // WebAssembly present but refused (compilation disabled): fall through to JavaScript.
    }
  }
  return jsSha256();
}

function wasmSha256(hasher: Awaited<ReturnType<typeof createSHA256>>): IncrementalSha256 {
  hasher.init();
  return {
    engine: 'wasm',
    update: (bytes) => void hasher.update(bytes),
    mark() {
      const state = hasher.save();
      return () => void hasher.load(state);
    },
    digestHex: () => hasher.digest('hex'),
  };
}

function jsSha256(): IncrementalSha256 {
  let hash = sha256.create();
  return {
    engine: 'js',
    update: (bytes) => void hash.update(bytes),
    mark() {
      const saved = hash.clone();
      return () => {
        hash = saved.clone();
      };
    },
    digestHex: () => bytesToHex(hash.digest()),
  };
}
