import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMediaError, type MediaFailureReason } from '../../src/media/errors.ts';
import { extractMetadata } from '../../src/media/extract-metadata.ts';
import { mediaFamilyOf } from '../../src/media/families.ts';
import { DEFAULT_MEDIA_LIMITS } from '../../src/media/limits.ts';
import { makeDerivative } from '../../src/media/make-derivative.ts';
import { DEFAULT_PRESETS, presetsFor } from '../../src/media/presets.ts';
import { runTool } from '../../src/media/run-tool.ts';
import { ensureCorpus, type Corpus, type CorpusName } from './corpus.ts';

let corpus: Corpus;
let outDir: string;
beforeAll(async () => {
  corpus = await ensureCorpus();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'stockroom-corrupt-'));
});

async function failure(promise: Promise<unknown>): Promise<{ reason: MediaFailureReason; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isMediaError(error)) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected the media operation to fail');
}

describe.each<[CorpusName, MediaFailureReason, RegExp]>([
  ['truncatedJpeg', 'corrupt-file', /damaged or incomplete.*premature end/i],
  ['truncatedMp4', 'corrupt-file', /cannot be read as video.*invalid data/i],
  ['randomPsd', 'corrupt-file', /not a Photoshop document/],
  ['empty', 'empty-file', /empty \(0 bytes\)/],
  ['pixelBomb', 'too-many-pixels', /more pixels than this server decodes/],
])('%s', (key, reason, message) => {
  it('every derivative fails fast with a stable reason and a message that says what is wrong', async () => {
    const file = corpus[key];
    const family = mediaFamilyOf(file);
    const started = Date.now();
    for (const [name, preset] of presetsFor(family, DEFAULT_PRESETS)) {
      const out = await mkdtemp(path.join(outDir, `${key}-${name}-`));
      const failed = await failure(makeDerivative(file, family, name, preset, DEFAULT_MEDIA_LIMITS, { outDir: out }));
      expect(failed.reason).toBe(reason);
      expect(failed.message).toMatch(message);
      // Temporary paths mean nothing to the person reading the reason.
      expect(failed.message).not.toContain(path.dirname(file));
    }
    // A decompression bomb is refused from its header, not after decoding 900 MP.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('metadata of broken files', () => {
  it('names the problem instead of throwing something generic', async () => {
    expect((await failure(extractMetadata(corpus.pixelBomb, 'image', DEFAULT_MEDIA_LIMITS))).message).toMatch(/30000 × 30000/);
    expect((await failure(extractMetadata(corpus.truncatedMp4, 'video', DEFAULT_MEDIA_LIMITS))).reason).toBe('corrupt-file');
    expect((await failure(extractMetadata(corpus.randomPsd, 'psd', DEFAULT_MEDIA_LIMITS))).reason).toBe('corrupt-file');
    expect((await failure(extractMetadata(corpus.empty, 'image', DEFAULT_MEDIA_LIMITS))).reason).toBe('empty-file');
  });
});

describe('limits', () => {
  it('refuses media longer than the duration limit before transcoding', async () => {
    const out = await mkdtemp(path.join(outDir, 'too-long-'));
    const limits = { ...DEFAULT_MEDIA_LIMITS, maxDurationSeconds: 0.5 };
    const failed = await failure(makeDerivative(corpus.h264, 'video', 'proxy', DEFAULT_PRESETS.video.proxy!, limits, { outDir: out }));
    expect(failed.reason).toBe('too-long');
  });

  it('kills a tool that overruns its timeout, and runs it at lowered priority', async () => {
    const started = Date.now();
    const failed = await failure(runTool('sleep', ['30'], { niceness: 10, timeoutMs: 300 }));
    expect(failed.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    const { stdout } = await runTool('sh', ['-c', 'nice'], { niceness: 7, timeoutMs: 5_000, captureStdout: true });
    expect(Number(stdout.toString().trim())).toBe(7);
  });

  it('passes arguments without a shell: metacharacters stay literal', async () => {
    const { stdout } = await runTool('printf', ['%s', '$(echo pwned); rm -rf /'], { niceness: 0, timeoutMs: 5_000, captureStdout: true });
    expect(stdout.toString()).toBe('$(echo pwned); rm -rf /');
  });
});
