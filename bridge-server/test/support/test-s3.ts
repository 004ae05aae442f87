// The S3 server the tests run against (see test-s3-server.ts): settings for a fresh bucket on it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { inject } from 'vitest';
import type { S3Settings } from '../../src/adapters/blob-store/s3.ts';

/** Settings for a fresh bucket on the test S3 server; waits for the gateway to be up. */
export async function testS3Settings(options: { bucketPrefix?: string } = {}): Promise<S3Settings> {
  const bucket = `${options.bucketPrefix ?? 'test'}-${randomBytes(4).toString('hex')}`;
  if (process.env.S3_ENDPOINT) {
    return {
      endpoint: process.env.S3_ENDPOINT,
      bucket,
      accessKey: process.env.S3_ACCESS_KEY ?? '',
      secretKey: process.env.S3_SECRET_KEY ?? '',
      region: process.env.S3_REGION ?? 'us-east-1',
    };
  }
  const dir = inject('testS3Dir');
  if (!dir) {
    throw new Error('No S3 server for the tests: install ceph-mon ceph-osd radosgw ceph-common (./stockroom test does), or set S3_ENDPOINT.');
  }
  const deadline = Date.now() + 180_000;
  while (!existsSync(path.join(dir, 'ready'))) {
    if (existsSync(path.join(dir, 'failed'))) throw new Error(`The test S3 server did not start: ${readFileSync(path.join(dir, 'failed'), 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`The test S3 server in ${dir} was not ready within 180 s`);
    await delay(250);
  }
  const env = Object.fromEntries(
    readFileSync(path.join(dir, 'env'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { endpoint: env.S3_ENDPOINT!, bucket, accessKey: env.S3_ACCESS_KEY!, secretKey: env.S3_SECRET_KEY!, region: env.S3_REGION ?? 'us-east-1' };
}
