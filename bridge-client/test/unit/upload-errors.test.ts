import { describe, expect, it } from 'vitest';
import { uploadErrorFromResponse } from '../../src/upload/errors.ts';

describe('uploadErrorFromResponse', () => {
  it('takes code, message and data from the JSON body', () => {
    const error = uploadErrorFromResponse({
      status: 460,
      errorHeader: undefined,
      body: JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'The bytes do not match', data: { expected: 'aa' } }),
    });
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: 'The bytes do not match', data: { status: 460, expected: 'aa' } });
  });

  it('accepts a body wrapped in {error}', () => {
    const error = uploadErrorFromResponse({ status: 413, errorHeader: undefined, body: '{"error":{"code":"UPLOAD_TOO_LARGE","message":"too big"}}' });
    expect(error.code).toBe('UPLOAD_TOO_LARGE');
  });

  it('falls back to the Stockroom-Error header (JSON or bare code)', () => {
    expect(uploadErrorFromResponse({ status: 403, errorHeader: '{"code":"FORBIDDEN","message":"no"}', body: 'Forbidden' }).code).toBe('FORBIDDEN');
    expect(uploadErrorFromResponse({ status: 409, errorHeader: 'UPLOAD_INCOMPLETE', body: '' }).code).toBe('UPLOAD_INCOMPLETE');
  });

  it('falls back to the HTTP status', () => {
    expect(uploadErrorFromResponse({ status: 401, errorHeader: undefined, body: 'Unauthorized' }).code).toBe('UNAUTHENTICATED');
    expect(uploadErrorFromResponse({ status: 423, errorHeader: undefined, body: '' }).code).toBe('ASSET_LOCKED');
    expect(uploadErrorFromResponse({ status: 502, errorHeader: undefined, body: '<html>' }).code).toBe('INTERNAL');
  });
});
