import type { Config } from './config.ts';

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
  path?: string;
}

/**
 * One sentence naming the setting or folder to fix, for the failures a person meets when
 * starting Stockroom (a port in use, a database it cannot reach, a folder PostgreSQL
 * cannot enter, an S3 bucket that is missing). `known` is false for anything else: then
 * the stack is worth logging too.
 */
export function describeStartupFailure(error: unknown, config: Config): { sentence: string; known: boolean } {
  const e = (error ?? {}) as SystemError;
  const where = `${config.host === '0.0.0.0' || config.host === '::' ? '' : ` on ${config.host}`}`;
  if (e.syscall === 'listen' && e.code === 'EADDRINUSE') {
    return { known: true, sentence: `Port ${config.port}${where} is in use: stop the other process or set PORT.` };
  }
  if (e.syscall === 'listen' && e.code === 'EACCES') {
    return { known: true, sentence: `Port ${config.port} needs administrator rights: set PORT to a number above 1023.` };
  }
  if (e.syscall === 'listen' && e.code === 'EADDRNOTAVAIL') {
    return { known: true, sentence: `HOST=${config.host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0.` };
  }
  if (e.syscall?.startsWith('spawn') && (e.code === 'EACCES' || e.code === 'ENOENT') && /initdb|postgres|pg_ctl/.test(e.path ?? e.message)) {
    return {
      known: true,
      sentence: `The embedded PostgreSQL could not run ${e.path ?? 'its programs'} (${e.code}): as root it runs as the "postgres" user, which must be able to enter every folder of this checkout and of STOCKROOM_DATA_DIR (chmod o+x on each), or set DATABASE_URL to a PostgreSQL server.`,
    };
  }
  if (config.databaseUrl && ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN'].includes(e.code ?? '')) {
    const url = new URL(config.databaseUrl);
    if (sameHost(url, e)) {
      return {
        known: true,
        sentence: `The database at ${url.hostname}:${url.port || 5432} cannot be reached (${e.code}): start PostgreSQL there or fix DATABASE_URL.`,
      };
    }
  }
  if (config.databaseUrl && e.code === '28P01') {
    return { known: true, sentence: 'The database refused the user name or password in DATABASE_URL: fix them.' };
  }
  if (config.databaseUrl && e.code === '3D000') {
    return { known: true, sentence: 'The database named in DATABASE_URL does not exist: create it (createdb) or fix DATABASE_URL.' };
  }
  if (config.s3 && e.code === 'NoSuchBucket') {
    return { known: true, sentence: `The S3 bucket "${config.s3.bucket}" does not exist at ${config.s3.endpoint}: create it or set S3_BUCKET.` };
  }
  if (config.s3 && ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT'].includes(e.code ?? '') && sameHost(new URL(config.s3.endpoint), e)) {
    return { known: true, sentence: `S3 at ${config.s3.endpoint} cannot be reached (${e.code}): start it or fix S3_ENDPOINT.` };
  }
  // Our own start-up checks throw a plain Error whose message already is the sentence.
  if (error instanceof Error && error.constructor === Error && e.code === undefined) return { known: true, sentence: error.message };
  return { known: false, sentence: `Stockroom could not start: ${error instanceof Error ? error.message : String(error)}` };
}

function sameHost(url: URL, e: SystemError): boolean {
  if (e.port !== undefined && url.port && Number(url.port) !== e.port) return false;
  return e.address === undefined || e.message.includes(url.hostname) || e.address === url.hostname || ['localhost', '127.0.0.1', '::1'].includes(url.hostname);
}
