// A tus-js-client upload in its own process, so a test can kill it with SIGKILL.
// Usage: node --import tsx tus-client-process.ts <endpoint> <token> <file> <sha256> [uploadUrl]
// Prints one JSON object per line: created, progress (about every 32 MiB), success, error.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import * as tus from 'tus-js-client';

const [endpoint, token, file, sha256, uploadUrl] = process.argv.slice(2) as [string, string, string, string, string?];
const size = statSync(file).size;
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

let sent = 0;
let lastReported = -Infinity;
const upload = new tus.Upload(createReadStream(file), {
  endpoint,
  uploadUrl: uploadUrl ?? null,
  uploadSize: size,
  headers: { Authorization: `Bearer ${token}` },
  metadata: { sha256, filename: path.basename(file), filetype: 'application/octet-stream' },
  // Keep retrying while a killed server comes back: the upload resumes from the server's offset.
  retryDelays: [250, 500, 1000, 1000, 2000, 2000, 2000, 4000, 4000, 8000],
  onUploadUrlAvailable: () => say({ event: 'created', url: upload.url }),
  onProgress: (bytes) => {
    if (bytes - lastReported >= 32 * 1024 * 1024 || bytes === size) {
      lastReported = bytes;
      say({ event: 'progress', bytes });
    }
  },
  onChunkComplete: (chunk) => {
    sent += chunk;
  },
  onSuccess: () => {
    say({ event: 'success', url: upload.url, sent });
    process.exit(0);
  },
  onError: (error) => {
    say({ event: 'error', message: error.message });
    process.exit(1);
  },
});
upload.start();
