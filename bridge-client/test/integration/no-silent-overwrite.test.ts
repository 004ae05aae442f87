/**
 * Property: whatever three clients do, in whatever order and overlap — open the latest
 * version, check out, force-unlock, release, check in (and, after a conflict, check in
 * anyway) — every version is made from a document that started from the previous head,
 * unless the check-in was an explicit override, which its audit row records. Clients
 * check in through bridge-client's checkIn() against the version their document came
 * from; a client that sends the head it knows instead (the old panel bug) is caught.
 */
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { isStockroomError, type Asset } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../../bridge-server/test/support/server.ts';
import type { BridgeClient } from '../../src/index.ts';
import { makeClient } from './support.ts';

type Kind = 'open' | 'checkout' | 'forceUnlock' | 'release' | 'checkin' | 'checkinAnyway';
interface Action {
  client: number;
  kind: Kind;
}
/** A version as its maker knows it: what its document started from, and whether it overrode. */
interface Made {
  number: number;
  startedFrom: number;
  override: boolean;
  sha256: string;
}

const MIME = 'image/vnd.adobe.photoshop';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What the runs exercised, so a property that held only because nothing happened is noticed. */
const tally = { versions: 0, overrides: 0 };
/** The exact two-designer scenario, always among the examples: both open v1, a lock forced open, a colleague's v2, then the override. */
const SCENARIO: Action[][] = [
  [{ client: 0, kind: 'checkout' }],
  [{ client: 2, kind: 'forceUnlock' }],
  [{ client: 1, kind: 'open' }],
  [{ client: 1, kind: 'checkin' }],
  [{ client: 0, kind: 'checkin' }],
  [{ client: 0, kind: 'checkinAnyway' }],
];

let server: TestServer;
let users: TestUser[];
let clients: BridgeClient[];

beforeAll(async () => {
  server = await startTestServer();
  // The third person administers, so force-unlock succeeds for them and is refused for the others.
  users = [await server.createUser({ name: 'Ann' }), await server.createUser({ name: 'Ben' }), await server.createUser({ name: 'Cat', role: 'admin' })];
  clients = users.map((user) => makeClient(server.url, user.token, { reconnect: false }));
  await Promise.all(clients.map((client) => client.connect()));
});

afterAll(async () => {
  for (const client of clients ?? []) client.close();
  await server?.destroy();
});

/** One person's app: at most one open document of the asset, and the version it came from. */
class Designer {
  private documentFrom: number | null = null;

  constructor(
    private readonly client: BridgeClient,
    /** `document`: the version the document came from (the rule); `head`: the head it knows now (the old bug). */
    private readonly base: 'document' | 'head',
  ) {}

  async act(kind: Kind, asset: Asset, made: Made[]): Promise<void> {
    const id = asset.id;
    try {
      switch (kind) {
        case 'open':
          this.documentFrom = (await this.client.call('assets.get', { id })).headVersion;
          return;
        case 'checkout': {
          // As the panels do: take the lock, then open the head it locked.
          const locked = await this.client.call('assets.checkout', { id });
          this.documentFrom = locked.headVersion;
          return;
        }
        case 'forceUnlock':
          await this.client.call('assets.forceUnlock', { id, reason: 'property test' });
          return;
        case 'release':
          await this.client.call('assets.releaseCheckout', { id });
          return;
        case 'checkin':
        case 'checkinAnyway':
          await this.checkIn(id, kind === 'checkinAnyway', made);
          return;
      }
    } catch (error) {
      // Refusals are expected outcomes of an interleaving; anything else fails the run.
      if (isStockroomError(error) && ['ASSET_LOCKED', 'VERSION_CONFLICT', 'FORBIDDEN'].includes(error.code)) return;
      throw error;
    }
  }

  private async checkIn(id: string, anyway: boolean, made: Made[]): Promise<void> {
    const startedFrom = this.documentFrom;
    if (startedFrom === null) return;
    const bytes = randomBytes(48);
    const { uploadId } = await this.client.upload(bytes, { fileName: 'doc.psd', mimeType: MIME });
    const baseVersion = this.base === 'document' ? startedFrom : (await this.client.call('assets.get', { id })).headVersion;
    try {
      const { version } = await this.client.checkIn({ id, uploadId, baseVersion });
      made.push({ number: version.number, startedFrom, override: false, sha256: sha256(bytes) });
      this.documentFrom = version.number;
    } catch (error) {
      if (!anyway || !isStockroomError(error) || error.code !== 'VERSION_CONFLICT') throw error;
      const head = Number(error.data?.headVersion);
      if (!(head > startedFrom)) throw error;
      // The person saw the conflict and chose to replace what came since, on top of `head`.
      const { version } = await this.client.checkIn({ id, uploadId, baseVersion: head, override: { startedFrom } });
      made.push({ number: version.number, startedFrom, override: true, sha256: sha256(bytes) });
      this.documentFrom = version.number;
    }
  }
}

const action = fc.record({
  client: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom<Kind>(
    'open',
    'open',
    'checkout',
    'checkout',
    'forceUnlock',
    'release',
    'checkin',
    'checkin',
    'checkin',
    'checkinAnyway',
    'checkinAnyway',
  ),
});
/** Steps of one to three actions by different clients that run at the same time (their requests interleave at the bridge). */
const steps = fc.array(fc.uniqueArray(action, { minLength: 1, maxLength: 3, selector: (a) => a.client }), { minLength: 4, maxLength: 14 });

/** Runs the steps on a new asset; throws when a version was made from a stale document without a recorded override. */
async function run(plan: Action[][], base: 'document' | 'head'): Promise<void> {
  const first = await clients[0]!.upload(randomBytes(48), { fileName: 'doc.psd', mimeType: MIME });
  const asset = await clients[0]!.call('assets.create', { uploadId: first.uploadId, name: 'Property poster' });
  const designers = clients.map((client) => new Designer(client, base));
  const made: Made[] = [];
  for (const step of plan) await Promise.all(step.map((a) => designers[a.client]!.act(a.kind, asset, made)));
  tally.versions += made.length;
  tally.overrides += made.filter((m) => m.override).length;

  const { versions } = await clients[2]!.call('versions.list', { assetId: asset.id });
  const audit = await server.stockroom.database.prisma.auditEvent.findMany({ where: { targetId: asset.id, action: 'asset.checkin' } });
  // Every version after the first was made by one of the designers above, and holds their bytes.
  expect(made.map((m) => m.number).sort((a, b) => a - b)).toEqual(
    versions
      .map((v) => v.number)
      .filter((n) => n > 1)
      .sort((a, b) => a - b),
  );
  for (const m of made) {
    expect(versions.find((v) => v.number === m.number)?.sha256).toBe(m.sha256);
    const row = audit.find((r) => (r.data as { number?: number }).number === m.number);
    const data = row?.data as { baseVersion: number; override?: { startedFrom: number } } | undefined;
    expect(data?.baseVersion, `v${m.number}: audited base`).toBe(m.number - 1);
    if (m.startedFrom !== m.number - 1) {
      // Made from a document older than the previous head: only as a recorded override.
      expect(data?.override, `v${m.number} was made from v${m.startedFrom} without a recorded override`).toEqual({ startedFrom: m.startedFrom });
    } else {
      expect(data?.override).toBeUndefined();
    }
  }
}

describe('no silent overwrite, for any interleaving of three clients', () => {
  it('every version starts from the previous head, unless an override is recorded', async () => {
    await fc.assert(
      fc.asyncProperty(steps, (plan) => run(plan, 'document')),
      { numRuns: 25, endOnFailure: true, examples: [[SCENARIO]] },
    );
    console.info(`no-silent-overwrite property: 26 runs, ${tally.versions} versions checked in, ${tally.overrides} of them overrides`);
    expect(tally.overrides).toBeGreaterThan(0);
    expect(tally.versions).toBeGreaterThan(tally.overrides);
  }, 180_000);

  it('catches a client that checks in against the head it knows instead of its document’s version', async () => {
    const result = await fc.check(
      fc.asyncProperty(steps, (plan) => run(plan, 'head')),
      { numRuns: 60, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/without a recorded override/);
  }, 180_000);
});
