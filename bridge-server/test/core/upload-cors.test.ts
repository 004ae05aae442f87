import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_ERROR_HEADER, UPLOAD_PATH } from '@stockroom/shared-types';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.destroy());

describe('upload refusals seen from another origin (a plugin UI)', () => {
  it('carry CORS headers, so the page can read the error code', async () => {
    const res = await fetch(`${server.url}${UPLOAD_PATH}`, {
      method: 'POST',
      headers: { origin: 'http://plugin-ui.test', 'tus-resumable': '1.0.0', 'upload-length': '10', authorization: 'Bearer sr_wrong' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://plugin-ui.test');
    expect(res.headers.get('access-control-expose-headers')).toContain(UPLOAD_ERROR_HEADER);
    expect(JSON.parse(res.headers.get(UPLOAD_ERROR_HEADER)!).code).toBe('UNAUTHENTICATED');
  });
});
