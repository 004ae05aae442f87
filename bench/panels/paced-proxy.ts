// A TCP proxy that passes the server's answers on no faster than a given link (e.g. 1 GbE,
// about 112 MiB/s), so a download over loopback can be measured at the speed of a real
// network, where the client's own work (hashing) should hide behind the wire.
import { once } from 'node:events';
import net from 'node:net';
import { Transform } from 'node:stream';

export async function startPacedProxy(target: { host: string; port: number }, bytesPerSecond: number): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const started = performance.now();
    let sent = 0;
    const pace = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sent += chunk.length;
        // Each chunk leaves when the link would have carried every byte up to its end.
        const wait = started + (sent / bytesPerSecond) * 1000 - performance.now();
        // Timers wait at least a millisecond: a chunk due sooner goes now, later ones catch up.
        if (wait < 1) done(null, chunk);
        else setTimeout(() => done(null, chunk), wait);
      },
    });
    upstream.pipe(pace).pipe(client);
    client.pipe(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}
