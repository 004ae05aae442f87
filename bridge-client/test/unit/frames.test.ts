import { describe, expect, it } from 'vitest';
import { encodeRequest, parseFrame } from '../../src/frames.ts';

describe('parseFrame', () => {
  it('reads a result', () => {
    expect(parseFrame('{"id":7,"result":{"ok":true}}')).toEqual({ kind: 'result', id: 7, result: { ok: true } });
  });

  it('reads an error frame as an error, never as a result', () => {
    const frame = parseFrame('{"id":7,"error":{"code":"ASSET_LOCKED","message":"locked by Ann","data":{"holder":"Ann"}}}');
    expect(frame).toEqual({ kind: 'error', id: 7, error: { code: 'ASSET_LOCKED', message: 'locked by Ann', data: { holder: 'Ann' } } });
  });

  it('keeps an error code this client does not know (newer server)', () => {
    const frame = parseFrame('{"id":1,"error":{"code":"SOMETHING_NEW","message":"m"}}');
    expect(frame.kind).toBe('error');
    expect(frame.kind === 'error' && frame.error.code).toBe('SOMETHING_NEW');
  });

  it('reads a connection-level error (id null)', () => {
    expect(parseFrame('{"id":null,"error":{"code":"PROTOCOL_ERROR","message":"bad"}}')).toMatchObject({ kind: 'error', id: null });
  });

  it('reads an event', () => {
    expect(parseFrame('{"event":"asset.locked","data":{"assetId":"a"}}')).toEqual({
      kind: 'event',
      event: 'asset.locked',
      data: { assetId: 'a' },
    });
  });

  it('reports what it cannot read', () => {
    expect(parseFrame('not json').kind).toBe('invalid');
    expect(parseFrame('[1,2]').kind).toBe('invalid');
    expect(parseFrame('null').kind).toBe('invalid');
    expect(parseFrame('{"id":1}').kind).toBe('invalid');
    expect(parseFrame('{"id":1,"error":{"message":"no code"}}').kind).toBe('invalid');
    expect(parseFrame('{"event":42,"data":{}}').kind).toBe('invalid');
  });
});

describe('encodeRequest', () => {
  it('writes the request envelope', () => {
    expect(JSON.parse(encodeRequest(3, 'assets.get', { id: 'x' }))).toEqual({ id: 3, method: 'assets.get', params: { id: 'x' } });
    expect(JSON.parse(encodeRequest(4, 'session.whoami', undefined))).toEqual({ id: 4, method: 'session.whoami' });
  });
});
