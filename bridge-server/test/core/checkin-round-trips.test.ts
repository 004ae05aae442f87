// Counts the database round trips of one assets.checkin on a real PostgreSQL, through a proxy
// that sees every statement of every connection (BEGIN and COMMIT, pg-boss's inserts, all).
// The numbers are the ones listed in docs/benchmarks.md ("Database round trips of one
// check-in"); a change that adds a round trip fails here until the list says why.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { PgStatementLog, type RoundTrip } from '../support/pg-statement-log.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/benchmarks.md'), 'utf8');

/** The documented count of a case: the row of the round-trips table whose first cell is `name`. */
function documented(name: string): number {
  const row = new RegExp(`^\\| \`${name}\` \\| (\\d+) \\|`, 'm').exec(doc);
  if (!row) throw new Error(`docs/benchmarks.md lists no round trips for \`${name}\``);
  return Number(row[1]);
}

let server: TestServer;
let log: PgStatementLog & { url: string };
let admin: RawSocket;
let adminId: string;
let member: RawSocket;
let memberId: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  log = await PgStatementLog.start(database.url);
  // Periodic work far apart, so the counting window holds only the check-in's own statements.
  server = await startTestServer({ database: { ...database, url: log.url }, env: { JOB_SUPERVISE_SECONDS: '3600', JOB_POLL_SECONDS: '60' } });
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
  adminId = (await admin.call('session.whoami')).user.id;
  const user = await server.createUser({ name: 'Mia' });
  memberId = user.id;
  member = await RawSocket.signedIn(server.wsUrl, user.token, 'photoshop');
});

afterAll(async () => {
  admin?.close();
  member?.close();
  await server?.destroy();
  await log?.stop();
});

/** Resolves once no statement has reached the database for `quietMs` (or after a deadline: the minimum of two runs absorbs a stray one). */
async function quiet(quietMs = 300, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let seen = log.trips.length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (log.trips.length !== seen) {
      seen = log.trips.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

/**
 * The round trips of one check-in: every statement on any connection from the request until
 * the COMMIT of its transaction (what the caller waits for). Work that follows the commit (the
 * event bus reading the new events, the search indexer, the worker) is not counted.
 */
async function countCheckin(
  socket: RawSocket,
  userId: string,
  file: { fileName: string; mimeType: string },
  keepLocked: boolean,
): Promise<{ trips: RoundTrip[]; transaction: RoundTrip[] }> {
  const asset = await socket.call('assets.create', { uploadId: (await seedUpload(server.stockroom, userId, file)).uploadId });
  await socket.call('assets.checkout', { id: asset.id });
  const runs: Array<{ trips: RoundTrip[]; transaction: RoundTrip[] }> = [];
  for (let run = 0; run < 2; run += 1) {
    if (!keepLocked && run > 0) await socket.call('assets.checkout', { id: asset.id });
    const { uploadId } = await seedUpload(server.stockroom, userId, file);
    await quiet();
    const mark = log.trips.length;
    const reply = await socket.call('assets.checkin', { id: asset.id, uploadId, keepLocked });
    expect(reply.version.number).toBe(run + 2);
    expect(reply.asset.lock === null).toBe(!keepLocked);
    const window = log.since(mark);
    const insert = window.findIndex((t) => /INSERT INTO (?:"public"\.)?"?versions\b/.test(t.sql));
    expect(insert, 'the version INSERT reached the database').toBeGreaterThanOrEqual(0);
    const connection = window[insert]!.connection;
    const begin = window.findLastIndex((t, i) => i < insert && t.connection === connection && /^\s*BEGIN\b/.test(t.sql));
    const commit = window.findIndex((t, i) => i > insert && t.connection === connection && /^\s*COMMIT\b/.test(t.sql));
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(commit).toBeGreaterThan(insert);
    runs.push({
      trips: window.slice(0, commit + 1),
      transaction: window.slice(begin, commit + 1).filter((t) => t.connection === connection),
    });
  }
  // Background work can only add statements to a window: the smaller run is the check-in's own.
  return runs.sort((a, b) => a.trips.length - b.trips.length)[0]!;
}

const listing = (trips: RoundTrip[]) => trips.map((t, i) => `${i + 1}. [conn ${t.connection}] ${t.sql.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n');
const unsupported = { fileName: 'bench.bin', mimeType: 'application/octet-stream' };
const image = { fileName: 'poster.png', mimeType: 'image/png' };

describe('database round trips of one assets.checkin', () => {
  it('an administrator, a file without derivatives, keeping the lock (the benchmark): one transaction and nothing else', async () => {
    const { trips, transaction } = await countCheckin(admin, adminId, unsupported, true);
    expect(trips.length, listing(trips)).toBe(documented('administrator, no derivatives, keep lock'));
    // Every statement of the call is in the check-in's transaction (an administrator's roles are not reloaded).
    expect(transaction).toEqual(trips);
  });

  it('a member (roles read afresh for every request), keeping the lock or releasing it: the same count', async () => {
    const kept = await countCheckin(member, memberId, unsupported, true);
    expect(kept.trips.length, listing(kept.trips)).toBe(documented('member, no derivatives, keep lock'));
    expect(kept.trips.length - kept.transaction.length, listing(kept.trips)).toBe(1);
    expect(kept.trips[0]!.sql).toMatch(/collection_grants/);
    const released = await countCheckin(member, memberId, unsupported, false);
    expect(released.trips.length, listing(released.trips)).toBe(documented('member, no derivatives, release lock'));
  });

  it('a member checking in an image: derivative rows and both jobs are written inside the same transaction', async () => {
    const { trips, transaction } = await countCheckin(member, memberId, image, false);
    expect(trips.length, listing(trips)).toBe(documented('member, image, release lock'));
    const jobs = transaction.filter((t) => /INSERT INTO pgboss\.job/.test(t.sql));
    expect(jobs, listing(trips)).toHaveLength(2);
    expect(transaction.filter((t) => /INSERT INTO outbox_events/.test(t.sql))).toHaveLength(1);
    expect(transaction.at(-1)!.sql).toMatch(/^\s*COMMIT/);
  });
});
