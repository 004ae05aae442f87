import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { create as contentDisposition } from 'content-disposition';
import parseRange from 'range-parser';
import type { BlobStore } from '../ports/blob-store.ts';

export interface BlobToSend {
  sha256: string;
  size: number;
  /** The original file name, offered to the browser as the download's name. */
  fileName: string;
  mimeType: string;
}

/**
 * Sends stored bytes the way a download manager or video player expects: a strong
 * ETag (the content's SHA-256, so it never changes for a version), conditional
 * requests (If-None-Match → 304, If-Range), a single byte range (206 / 416), and the
 * original file name in Content-Disposition (RFC 6266, non-ASCII names via RFC 5987).
 * Bytes stream with backpressure; if the client goes away the blob stream is destroyed.
 * Multiple ranges in one request are answered with the whole body, which RFC 9110 allows.
 */
export async function sendBlob(req: IncomingMessage, res: ServerResponse, blobStore: BlobStore, blob: BlobToSend): Promise<void> {
  const etag = `"${blob.sha256}"`;
  const common = {
    ETag: etag,
    'Accept-Ranges': 'bytes',
    // Content-addressed: the bytes behind this ETag never change.
    'Cache-Control': 'private, max-age=31536000, immutable',
  };

  if (matchesAny(req.headers['if-none-match'], etag)) {
    res.writeHead(304, common).end();
    return;
  }

  let range: { start: number; end: number } | undefined;
  const rangeHeader = req.headers.range;
  if (rangeHeader && ifRangeAllows(req.headers['if-range'], etag)) {
    const ranges = parseRange(blob.size, rangeHeader, { combine: true });
    if (ranges === -1) {
      res.writeHead(416, { ...common, 'Content-Range': `bytes */${blob.size}` }).end();
      return;
    }
    // -2 (malformed), another unit, several ranges: ignore the header and send everything.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) range = ranges[0];
  }

  // Opened before any header goes out, so a missing blob still gets a proper error response.
  const body = req.method === 'HEAD' || blob.size === 0 ? undefined : await blobStore.createReadStream(blob.sha256, range);
  res.writeHead(range ? 206 : 200, {
    ...common,
    'Content-Type': blob.mimeType,
    'Content-Disposition': contentDisposition(blob.fileName, { type: 'attachment' }),
    'X-Content-Type-Options': 'nosniff',
    // An uploaded HTML or SVG file opened directly runs in an opaque origin: no scripts, no cookies.
    'Content-Security-Policy': 'sandbox',
    'Content-Length': range ? range.end - range.start + 1 : blob.size,
    ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${blob.size}` } : {}),
  });
  if (!body) {
    res.end();
    return;
  }
  try {
    // pipeline destroys the blob stream (closing its file or socket) if the client disconnects.
    await pipeline(body, res);
  } catch (error) {
    if (res.destroyed || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw error;
  }
}

function matchesAny(header: string | string[] | undefined, etag: string): boolean {
  if (!header || Array.isArray(header)) return false;
  if (header.trim() === '*') return true;
  // Weak comparison, as RFC 9110 asks for If-None-Match.
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** If-Range with our ETag (strong match) or absent: honour Range; anything else (an old ETag, a date): send the whole body. */
function ifRangeAllows(header: string | string[] | undefined, etag: string): boolean {
  return header === undefined || (typeof header === 'string' && header.trim() === etag);
}
