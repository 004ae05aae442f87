import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Client } from 'minio';
import { blobKey, blobNotFound, type BlobStore } from '../../ports/blob-store.ts';

export interface S3BlobStoreOptions {
  client: Client;
  bucket: string;
  /** Prepended to every object name, e.g. `stockroom/blobs/`. */
  prefix?: string;
  /** Objects above this many bytes go up in parts (default: 5 GiB, the most one PUT may carry). */
  multipartAbove?: number;
}

export interface S3Settings {
  /** e.g. `http://127.0.0.1:9000` or `https://s3.eu-west-1.amazonaws.com` */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region: string;
  prefix?: string;
  /** Bytes per part of a multipart upload (the client's default when absent; S3's minimum is 5 MiB). */
  partSize?: number;
  multipartAbove?: number;
}

/** Builds the store from configuration: the endpoint URL gives host, port and TLS. */
export function createS3BlobStore(settings: S3Settings): S3BlobStore {
  const url = new URL(settings.endpoint);
  const useSSL = url.protocol === 'https:';
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
    // MinIO and most self-hosted servers address buckets by path, not by sub-domain.
    pathStyle: true,
    ...(settings.partSize ? { partSize: settings.partSize } : {}),
  });
  return new S3BlobStore({ client, bucket: settings.bucket, prefix: settings.prefix, multipartAbove: settings.multipartAbove });
}

/** S3 refuses a single PUT above 5 GiB; larger objects must go multipart. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

/**
 * Content-addressed blobs in an S3 bucket (AWS, MinIO or anything speaking the
 * protocol), through the `minio` client. An object appears only when its PUT
 * completes, which gives the same all-or-nothing guarantee as a rename on disk.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly multipartAbove: number;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.multipartAbove = Math.min(options.multipartAbove ?? MAX_SINGLE_PUT, MAX_SINGLE_PUT);
  }

  /** Creates the bucket when it does not exist yet (run at start); a failure names the settings to check. */
  async ensureBucket(region?: string): Promise<void> {
    try {
      if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket, region ?? '');
    } catch (error) {
      throw new Error(
        `The S3 bucket "${this.bucket}" at ${this.endpoint} could not be found or created (${describeS3Error(error)}). Check S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY and S3_SECRET_KEY, or create the bucket yourself.`,
      );
    }
  }

  async checkReady(): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.client.bucketExists(this.bucket);
    } catch (error) {
      throw new Error(`S3 at ${this.endpoint} does not answer (${describeS3Error(error)}).`);
    }
    if (!exists) throw new Error(`The S3 bucket "${this.bucket}" does not exist any more; restart to create it, or create it yourself.`);
  }

  private get endpoint(): string {
    const { host, port, protocol } = this.client as unknown as { host: string; port: number; protocol: string };
    return `${protocol}//${host}:${port}`;
  }

  private objectName(sha256: string): string {
    return `${this.prefix}${blobKey(sha256)}`;
  }

  async putFile(localPath: string, sha256: string, size: number): Promise<{ storageKey: string; existed: boolean }> {
    const storageKey = this.objectName(sha256);
    const actual = (await stat(localPath)).size;
    if (actual !== size) throw new Error(`Refusing to store ${localPath}: ${actual} bytes on disk, ${size} expected`);
    if (!(await this.has(sha256))) {
      if (size <= this.multipartAbove) await this.putSingle(localPath, storageKey, sha256, size);
      else await this.client.putObject(this.bucket, storageKey, createReadStream(localPath), size);
      await rm(localPath, { force: true });
      return { storageKey, existed: false };
    }
    await rm(localPath, { force: true });
    return { storageKey, existed: true };
  }

  /**
   * One streamed PUT for anything up to 5 GiB. `client.putObject` is not used here
   * because (a) below its part size it reads the whole object into memory before
   * sending it, and (b) above it, it goes multipart and first calls
   * ListMultipartUploads, which s3rver does not implement (Ceph's gateway, the
   * S3 server the tests run, does: the multipart path is tested there). We already know the payload's SHA-256, which is exactly what SigV4
   * signs over plain HTTP, so the request can stream from disk and the server
   * still verifies the bytes it receives.
   */
  private async putSingle(localPath: string, objectName: string, sha256: string, size: number): Promise<void> {
    const response = await this.client.makeRequestStreamAsync(
      {
        method: 'PUT',
        bucketName: this.bucket,
        objectName,
        headers: { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' },
      },
      createReadStream(localPath),
      // Over TLS the client signs UNSIGNED-PAYLOAD and insists on an empty hash here.
      this.client.enableSHA256 ? sha256 : '',
      [200],
      '',
    );
    response.resume();
    await new Promise<void>((resolve, reject) => {
      response.once('end', resolve);
      response.once('error', reject);
    });
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      const info = await this.client.statObject(this.bucket, this.objectName(sha256));
      return { size: info.size };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async createReadStream(sha256: string, range?: { start: number; end: number }): Promise<NodeJS.ReadableStream> {
    try {
      if (range) {
        return await this.client.getPartialObject(this.bucket, this.objectName(sha256), range.start, range.end - range.start + 1);
      }
      return await this.client.getObject(this.bucket, this.objectName(sha256));
    } catch (error) {
      if (isNotFound(error)) throw blobNotFound(sha256);
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.removeObject(this.bucket, this.objectName(sha256));
  }
}

function describeS3Error(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code ? `${code}: ${message ?? ''}`.trim() : (message ?? String(error));
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'NotFound' || code === 'NoSuchKey';
}
