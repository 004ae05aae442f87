import { describe, expect, it } from 'vitest';
import { readFrame } from './framing.ts';

const read = (text: string, isBinary = false, max = 1000) => readFrame(Buffer.from(text), isBinary, max);

describe('readFrame', () => {
  it('reads a request frame', () => {
    expect(read('{"id":1,"method":"assets.get","params":{"id":"x"}}')).toEqual({ ok: true, frame: { id: 1, method: 'assets.get', params: { id: 'x' } } });
  });

  it('refuses binary, oversized and non-JSON messages without an id to answer', () => {
    for (const [incoming, code] of [
      [read('{}', true), 'PROTOCOL_ERROR'],
      [read('x'.repeat(1001)), 'PAYLOAD_TOO_LARGE'],
      [read('{nope'), 'PROTOCOL_ERROR'],
    ] as const) {
      expect(incoming.ok).toBe(false);
      if (!incoming.ok) expect([incoming.replyId, incoming.error.code]).toEqual([null, code]);
    }
  });

  it('answers a frame without a method under its own id', () => {
    const incoming = read('{"id":"r7","params":{}}');
    expect(incoming.ok).toBe(false);
    if (!incoming.ok) expect([incoming.replyId, incoming.error.code]).toEqual(['r7', 'PROTOCOL_ERROR']);
  });
});
