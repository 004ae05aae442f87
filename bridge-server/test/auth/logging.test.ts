import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

describe('logs', () => {
  it('redact tokens, passwords, cookies, CSRF tokens, device codes and client secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    const secrets = ['sr_secret_token_value', 'hunter2-password', 'sid=cookie-value', 'csrf-value', 'device-code-value', 'oidc-client-secret'];
    logger.info(
      {
        token: secrets[0],
        body: { password: secrets[1], deviceCode: secrets[4] },
        req: { headers: { cookie: secrets[2], authorization: `Bearer ${secrets[0]}`, 'x-csrf-token': secrets[3] } },
        settings: { clientSecret: secrets[5] },
        csrfToken: secrets[3],
      },
      'request',
    );
    const output = lines.join('');
    expect(output).toContain('[redacted]');
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
