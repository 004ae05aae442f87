import { ERROR_CODES, StockroomError } from '@stockroom/shared-types';
import { HostError, cacheRelativePath, humanError, parseCachePath } from '@stockroom/panels-core';
import { describe, expect, it } from 'vitest';

const ASSET = '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10';

describe('error sentences', () => {
  it('gives every error code its own sentence for people, never the code or the server’s text', () => {
    const sentences = ERROR_CODES.map((code) => humanError(new StockroomError(code, `raw server text for ${code}`)));
    for (const [i, sentence] of sentences.entries()) {
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toContain(ERROR_CODES[i]);
      expect(sentence).not.toContain('raw server text');
    }
    expect(new Set(sentences).size).toBe(ERROR_CODES.length);
  });

  it('names who holds a lock, and passes host messages through', () => {
    const locked = new StockroomError('ASSET_LOCKED', 'x', { holder: { id: ASSET, name: 'Alice Designer', email: 'a@example.test' } });
    expect(humanError(locked)).toBe('Alice Designer has this asset checked out. Wait until they check it in, or ask them to release it.');
    expect(humanError(new HostError('Open a document in Photoshop first.'))).toBe('Open a document in Photoshop first.');
    expect(humanError(new TypeError('Failed to fetch'))).toContain('cannot be reached');
    expect(humanError(new Error('boom'))).not.toContain('boom');
  });
});

describe('cache paths', () => {
  it('keep asset and version in the path, so a document opened from the cache is recognised', () => {
    const rel = cacheRelativePath(ASSET, 7, 'Hero: final/v2?.psd');
    expect(rel).toBe(`${ASSET}/v7/Hero_ final_v2_.psd`);
    expect(parseCachePath(`plugin-data:/cache/${rel}`)).toEqual({ assetId: ASSET, version: 7 });
    expect(parseCachePath(`C:\\Users\\a\\cache\\${ASSET}\\v3\\x.png`)).toEqual({ assetId: ASSET, version: 3 });
    expect(parseCachePath('/Users/a/Desktop/poster.psd')).toBeNull();
  });
});
