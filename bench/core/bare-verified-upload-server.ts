// The floor of a verified upload in Node, as its own process (like the real server): one
// HTTP request whose body is hashed (SHA-256) while it streams into TARGET, fsynced before
// the answer, which is the hex digest. No tus, no database, no blob store. Prints
// "listening on <port>" when ready.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';

const target = process.env.TARGET;
if (!target) throw new Error('TARGET (the file to write) is required');

const server = http.createServer((req, res) => {
  const hash = createHash('sha256');
  pipeline(
    req,
    async function* (body: AsyncIterable<Buffer>) {
      for await (const chunk of body) {
        hash.update(chunk);
        yield chunk;
      }
    },
    // flush: fsync before the stream closes, as the blob store does before its rename.
    createWriteStream(target, { flush: true }),
  ).then(
    () => res.end(hash.digest('hex')),
    (error: unknown) => res.destroy(error as Error),
  );
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
