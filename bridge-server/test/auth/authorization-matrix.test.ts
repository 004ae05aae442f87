import { randomUUID } from 'node:crypto';
import { methods, PROTOCOL_VERSION } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { RawSocket, type Frame } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

/**
 * The authorization matrix: every WebSocket method of the contract and every REST
 * route of the MethodRegistry, called as each kind of caller, against the written
 * table below. A method or route without a row fails the test.
 *
 * Callers: anonymous (no token), viewer / contributor / editor of collection C,
 * manager of another collection D, administrator, and an editor of C whose token
 * was revoked or has expired.
 */
const WHO = ['anonymous', 'viewer', 'contributor', 'editor', 'otherManager', 'admin', 'revoked', 'expired'] as const;
type Who = (typeof WHO)[number];
const SIGNED_IN: Who[] = ['viewer', 'contributor', 'editor', 'otherManager', 'admin'];

interface Row {
  /** A = allowed (succeeds), D = denied (UNAUTHENTICATED / FORBIDDEN, or NOT_FOUND when `hides`), one per WHO column. */
  expect: string;
  /** Builds the params for one call (fresh objects for state-changing rows). */
  params: (who: Who) => Promise<Record<string, unknown>>;
  /** Denial looks like NOT_FOUND, so the existence of the thing does not leak: a signed-in caller who may not read collection C gets exactly NOT_FOUND. */
  hides?: boolean;
  /** Checks what an allowed caller sees (lists filtered by permission). */
  verify?: (who: Who, result: any) => void;
}

let server: TestServer;
let C: string; // the collection under test
let D: string; // another collection, managed by otherManager
let sharedAsset: string; // an asset in C, read-only rows use it
const users = {} as Record<Exclude<Who, 'anonymous'>, TestUser>;
const sockets = new Map<Who, RawSocket>();
let adminActor: Actor;

const actorOf = (u: TestUser, role: 'admin' | 'member' = 'member'): Actor => ({ user: { id: u.id, name: u.name, email: u.email, role }, clientApp: 'script' });
const userOf = (who: Who): TestUser => (who === 'anonymous' ? users.viewer : users[who]);
const s = () => server.stockroom.services;

async function assetIn(collectionId: string | null, owner: Actor = adminActor): Promise<string> {
  const upload = await seedUpload(server.stockroom, owner.user.id);
  return (await s().assets.create(owner, { uploadId: upload.uploadId, collectionId, name: `asset ${randomUUID().slice(0, 6)}` })).id;
}
async function lockedAssetInC(): Promise<string> {
  const id = await assetIn(C);
  await s().locks.checkout(adminActor, id);
  return id;
}
const uploadFor = async (who: Who) => (await seedUpload(server.stockroom, userOf(who).id)).uploadId;
const isSignedIn = (who: Who) => SIGNED_IN.includes(who);

/** A comment on the shared asset written by `who` (by the administrator for callers who may not comment there). */
async function commentBy(who: Who): Promise<string> {
  const author = isSignedIn(who) && who !== 'otherManager' ? userOf(who).id : adminActor.user.id;
  const row = await server.stockroom.database.prisma.reviewComment.create({
    data: { assetId: sharedAsset, versionNumber: 1, authorId: author, body: 'A note' },
  });
  return row.id;
}
async function shareByAdmin(): Promise<string> {
  return (await s().shares.create(adminActor, { target: { kind: 'asset', assetId: sharedAsset }, allowDownload: false, allowComments: true })).link.id;
}

const shared = async () => ({ id: sharedAsset });
const freshAsset = async (who: Who) => ({ id: isSignedIn(who) ? await assetIn(C) : sharedAsset });
const admins = 'D D D D D A D D';
const everybody = 'D A A A A A D D';

const ROWS: Record<string, Row> = {
  // connection
  'session.hello': { expect: everybody, params: async () => ({}) },
  'session.whoami': { expect: everybody, params: async () => ({}) },
  'events.subscribe': { expect: everybody, params: async () => ({}) },
  // assets and versions in collection C
  'assets.search': {
    expect: everybody,
    params: async () => ({ q: '' }),
    verify: (who, result) => {
      const seesC = result.hits.some((h: any) => (h.asset ?? h).collectionId === C);
      expect(seesC, `${who} sees assets of C in search`).toBe(who !== 'otherManager');
    },
  },
  'assets.get': { expect: 'D A A A D A D D', params: shared, hides: true },
  'assets.create': { hides: true, expect: 'D D A A D A D D', params: async (who) => ({ uploadId: await uploadFor(who), collectionId: C }) },
  'assets.update': { hides: true, expect: 'D D D A D A D D', params: async (who) => ({ ...(await freshAsset(who)), description: 'changed' }) },
  'assets.delete': { hides: true, expect: 'D D D A D A D D', params: freshAsset },
  'assets.checkout': { hides: true, expect: 'D D D A D A D D', params: freshAsset },
  'assets.checkin': {
    hides: true,
    expect: 'D D D A D A D D',
    params: async (who) => ({ ...(await freshAsset(who)), uploadId: await uploadFor(who), baseVersion: 1 }),
  },
  'assets.releaseCheckout': { hides: true, expect: 'D A A A D A D D', params: shared },
  'assets.forceUnlock': { hides: true, expect: admins, params: async (who) => ({ id: isSignedIn(who) ? await lockedAssetInC() : sharedAsset }) },
  'assets.forcedUnlocks': { expect: everybody, params: async () => ({ since: new Date(0).toISOString() }) },
  'versions.list': { hides: true, expect: 'D A A A D A D D', params: async () => ({ assetId: sharedAsset }) },
  'versions.restore': {
    hides: true,
    expect: 'D D D A D A D D',
    params: async (who) => ({ assetId: (await freshAsset(who)).id, number: 1, baseVersion: 1 }),
  },
  'derivatives.list': { hides: true, expect: 'D A A A D A D D', params: async () => ({ assetId: sharedAsset }) },
  // library: bulk actions, trash and restore (each asset needs the single action's permission)
  'library.bulk': {
    expect: 'D D D A D A D D',
    params: async (who) => ({ selection: { ids: [(await freshAsset(who)).id] }, action: { type: 'tag', add: ['bulk'] } }),
    hides: true,
  },
  'derivatives.regenerate': {
    expect: 'D D D A D A D D',
    params: async (who) => ({ selection: { ids: [(await freshAsset(who)).id] }, mode: 'missing' }),
    hides: true,
  },
  'library.trash': { expect: everybody, params: async () => ({}) },
  'library.restore': {
    hides: true,
    expect: 'D D D A D A D D',
    params: async (who) => {
      if (!isSignedIn(who)) return { ids: [sharedAsset] };
      const id = await assetIn(C);
      await s().assets.delete(adminActor, id);
      return { ids: [id] };
    },
  },
  'library.duplicates': {
    expect: everybody,
    params: async () => ({
      sha256: [(await server.stockroom.database.prisma.version.findFirstOrThrow({ where: { assetId: sharedAsset }, orderBy: { number: 'desc' } })).blobSha256],
    }),
    verify: (who, result) => expect(result.matches.length, `${who} sees the duplicate in C`).toBe(who === 'otherManager' ? 0 : 1),
  },
  'library.thumbnails': {
    expect: everybody,
    params: async () => ({ assetIds: [sharedAsset] }),
  },
  // a person's own stars
  'favourites.list': { expect: everybody, params: async () => ({}) },
  'favourites.set': { hides: true, expect: 'D A A A D A D D', params: async () => ({ assetId: sharedAsset, starred: true }) },
  'favourites.import': {
    expect: everybody,
    params: async () => ({ assetIds: [sharedAsset] }),
    verify: (who, result) => expect(result.assetIds.includes(sharedAsset), `${who} stars what they can read`).toBe(who !== 'otherManager'),
  },
  // collections and grants
  'collections.list': {
    expect: everybody,
    params: async () => ({}),
    verify: (who, result) =>
      expect(
        result.collections.some((c: any) => c.id === C),
        `${who} sees C`,
      ).toBe(who !== 'otherManager'),
  },
  'collections.create': { expect: admins, params: async () => ({ name: `Top ${randomUUID()}` }) },
  'collections.update': { hides: true, expect: admins, params: async () => ({ id: C, description: `changed ${randomUUID()}` }) },
  'collections.move': {
    hides: true,
    expect: admins,
    params: async () => ({ id: (await s().collections.create(adminActor, { name: `Moved ${randomUUID()}` })).id, parentId: C }),
  },
  'collections.delete': {
    hides: true,
    expect: admins,
    params: async () => ({ id: (await s().collections.create(adminActor, { name: `Empty ${randomUUID()}` })).id }),
  },
  'grants.list': { hides: true, expect: admins, params: async () => ({ collectionId: C }) },
  'grants.set': {
    hides: true,
    expect: admins,
    params: async () => ({ collectionId: C, subjectType: 'user', subjectId: (await server.createUser()).id, role: 'viewer' }),
  },
  'grants.remove': {
    hides: true,
    expect: admins,
    params: async () => {
      const someone = await server.createUser();
      await s().grants.set(adminActor, { collectionId: C, subjectType: 'user', subjectId: someone.id, role: 'viewer' });
      return { collectionId: C, subjectType: 'user', subjectId: someone.id };
    },
  },
  // brand kits (C becomes a brand kit on first use)
  'brandKits.list': {
    expect: everybody,
    params: async () => (await kitInC(), {}),
    verify: (who, result) =>
      expect(
        result.kits.some((k: any) => k.collectionId === C),
        `${who} sees the kit of C`,
      ).toBe(who !== 'otherManager'),
  },
  'brandKits.get': { expect: 'D A A A D A D D', hides: true, params: async () => (await kitInC(), { collectionId: C }) },
  'brandKits.save': {
    hides: true,
    expect: admins,
    params: async (who) => ({
      collectionId: who === 'admin' ? (await s().collections.create(adminActor, { name: `Kit ${randomUUID()}` })).id : (await kitInC()).collectionId,
      sections: [],
    }),
  },
  'brandKits.remove': {
    hides: true,
    expect: admins,
    params: async (who) => {
      if (who !== 'admin') return { collectionId: (await kitInC()).collectionId };
      const doomed = (await s().collections.create(adminActor, { name: `Old kit ${randomUUID()}` })).id;
      await s().brandKits.save(adminActor, { collectionId: doomed, sections: [] });
      return { collectionId: doomed };
    },
  },
  // structured metadata: schemas of C, field values of C's assets, tag suggestions
  'metadata.getSchema': { expect: 'D A A A D A D D', hides: true, params: async () => ({ collectionId: C }) },
  'metadata.saveSchema': {
    hides: true,
    expect: admins,
    params: async () => ({
      collectionId: C,
      fields: [{ key: 'client', label: 'Client', type: 'text' }],
      baseUpdatedAt: (await server.stockroom.database.prisma.metadataSchema.findUnique({ where: { collectionId: C } }))?.updatedAt.toISOString() ?? null,
    }),
  },
  'metadata.getFields': { expect: 'D A A A D A D D', hides: true, params: async () => ({ assetId: sharedAsset }) },
  'metadata.saveFields': {
    expect: 'D D D A D A D D',
    hides: true,
    params: async (who) => ({ assetId: (await freshAsset(who)).id, values: {}, baseUpdatedAt: null }),
  },
  'metadata.suggestTags': {
    expect: everybody,
    params: async () => (await taggedInC(), { prefix: 'matrix-' }),
    verify: (who, result) =>
      expect(
        result.tags.map((t: any) => t.tag),
        `${who} sees the tag used only in C`,
      ).toEqual(who === 'otherManager' ? [] : ['matrix-only-in-c']),
  },
  // placements
  'placements.report': {
    expect: 'D A A A D A D D',
    hides: true,
    params: async () => ({ documentId: `doc-${randomUUID()}`, documentName: 'Poster.psd', placements: [{ assetId: sharedAsset, versionNumber: 1 }] }),
  },
  'placements.list': {
    expect: everybody,
    params: async () => ({ assetId: sharedAsset }),
    verify: (who, result) => {
      if (who === 'otherManager') expect(result.placements).toEqual([]);
    },
  },
  // review: comments, approvals, share links
  'comments.list': { expect: 'D A A A D A D D', hides: true, params: async () => ({ assetId: sharedAsset }) },
  'comments.create': { expect: 'D A A A D A D D', hides: true, params: async () => ({ assetId: sharedAsset, version: 1, body: 'Looks good' }) },
  'comments.update': { expect: 'D A A A D A D D', hides: true, params: async (who) => ({ commentId: await commentBy(who), body: 'Edited' }) },
  'comments.resolve': { expect: 'D A A A D A D D', hides: true, params: async () => ({ commentId: await commentBy('admin'), resolved: true }) },
  'comments.delete': { expect: 'D A A A D A D D', hides: true, params: async (who) => ({ commentId: await commentBy(who) }) },
  'reviews.get': { expect: 'D A A A D A D D', hides: true, params: async () => ({ assetId: sharedAsset }) },
  'reviews.set': { expect: 'D D D A D A D D', hides: true, params: async () => ({ assetId: sharedAsset, version: 1, status: 'changes_requested' }) },
  'reviews.getRule': { expect: 'D A A A D A D D', hides: true, params: async () => ({ collectionId: C }) },
  'reviews.setRule': { expect: admins, hides: true, params: async () => ({ collectionId: C, requireApproval: false }) },
  'shares.list': {
    expect: everybody,
    params: async () => ({}),
    verify: (who, result) => {
      if (who === 'otherManager' || who === 'viewer') expect(result.links, `${who} sees no links of C`).toEqual([]);
    },
  },
  'shares.create': { expect: 'D D D A D A D D', hides: true, params: async () => ({ target: { kind: 'asset', assetId: sharedAsset } }) },
  'shares.revoke': { expect: 'D D D A D A D D', hides: true, params: async () => ({ id: await shareByAdmin() }) },
  'shares.usage': { expect: 'D D D A D A D D', hides: true, params: async () => ({ id: await shareByAdmin() }) },
  // accounts, tokens, groups, audit
  'users.list': { expect: 'D D D D A A D D', params: async () => ({}) },
  'users.create': { expect: admins, params: async () => ({ email: `new-${randomUUID()}@example.test`, name: 'New' }) },
  'users.update': { expect: admins, params: async () => ({ id: (await server.createUser()).id, name: 'Renamed' }) },
  'tokens.list': { expect: everybody, params: async () => ({}) },
  'tokens.create': { expect: everybody, params: async () => ({ name: 'script', scopes: ['read'], expiresInDays: 1 }) },
  'tokens.revoke': {
    expect: everybody,
    params: async (who) => ({ id: (await s().tokens.create(userOf(who).id, { name: 'to revoke' })).id }),
  },
  'groups.list': { expect: 'D D D D A A D D', params: async () => ({}) },
  'groups.create': { expect: admins, params: async () => ({ name: `Group ${randomUUID()}` }) },
  'groups.delete': { expect: admins, params: async () => ({ id: (await s().groups.create(adminActor, { name: `Doomed ${randomUUID()}` })).id }) },
  'groups.addMember': {
    expect: admins,
    params: async () => ({ groupId: (await s().groups.create(adminActor, { name: `Team ${randomUUID()}` })).id, userId: users.viewer.id }),
  },
  'groups.removeMember': {
    expect: admins,
    params: async () => {
      const group = await s().groups.create(adminActor, { name: `Team ${randomUUID()}` });
      await s().groups.addMember(adminActor, group.id, users.viewer.id);
      return { groupId: group.id, userId: users.viewer.id };
    },
  },
  'audit.query': { expect: admins, params: async () => ({ limit: 5 }) },
  'invitations.list': { expect: admins, params: async () => ({}) },
  'invitations.create': { expect: admins, params: async () => ({ email: `invitee-${randomUUID()}@example.test` }) },
  'invitations.revoke': {
    expect: admins,
    params: async () => ({
      id: (
        await server.stockroom.database.prisma.invitation.create({
          data: {
            tokenHash: randomUUID(),
            email: `withdrawn-${randomUUID()}@example.test`,
            invitedById: adminActor.user.id,
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        })
      ).id,
    }),
  },
  // administration
  'admin.clients': { expect: admins, params: async () => ({}) },
  'admin.stats': { expect: admins, params: async () => ({}) },
  'admin.locks': { expect: admins, params: async () => ({}) },
  'admin.settings': { expect: admins, params: async () => ({}) },
  'jobs.list': { expect: admins, params: async () => ({}) },
  'jobs.retry': {
    expect: admins,
    params: async () => ({ id: (await server.stockroom.database.prisma.derivative.findFirstOrThrow({ select: { id: true } })).id }),
  },
};

/** HTTP routes outside the MethodRegistry that need a caller: path builder and the same kind of row. */
const EXTRA_ROUTES: Record<string, { expect: string; path: () => string; hides?: boolean }> = {
  'GET /api/assets/:id/versions/:number/content': { expect: 'D A A A D A D D', hides: true, path: () => `/api/assets/${sharedAsset}/versions/1/content` },
  'GET /api/audit/export.csv': { expect: admins, path: () => '/api/audit/export.csv?action=asset.' },
  'GET /api/brand-kits/:collectionId/entries/:entryId/content': {
    expect: 'D A A A D A D D',
    hides: true,
    path: () => `/api/brand-kits/${C}/entries/${kitEntry}/content`,
  },
  'GET /api/library/download.zip': { expect: 'D A A A D A D D', hides: true, path: () => `/api/library/download.zip?ids=${sharedAsset}` },
};

let taggedOfC: Promise<void> | undefined;
/** One asset of C with a tag no other asset has, once. */
function taggedInC(): Promise<void> {
  taggedOfC ??= (async () => {
    await s().assets.update(adminActor, { id: await assetIn(C), tags: ['matrix-only-in-c'] });
  })();
  return taggedOfC;
}

let kitEntry = '';
let kitOfC: Promise<{ collectionId: string }> | undefined;
/** Makes C a brand kit with one SVG entry, once. */
function kitInC(): Promise<{ collectionId: string }> {
  kitOfC ??= (async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>');
    const upload = await seedUpload(server.stockroom, adminActor.user.id, { bytes: svg, fileName: 'mark.svg', mimeType: 'image/svg+xml' });
    const mark = await s().assets.create(adminActor, { uploadId: upload.uploadId, collectionId: C, name: 'Mark' });
    const kit = await s().brandKits.save(adminActor, {
      collectionId: C,
      sections: [
        {
          title: 'Logos',
          entries: [{ variants: [{ name: 'colour', assetId: mark.id }], usageNotes: '', expiresAt: null, withdrawn: false, withdrawnReason: '' }],
        },
      ],
    });
    kitEntry = kit.sections[0]!.entries[0]!.id;
    return { collectionId: C };
  })();
  return kitOfC;
}

function expected(row: { expect: string }, who: Who): 'A' | 'D' {
  const cells = row.expect.trim().split(/\s+/);
  if (cells.length !== WHO.length) throw new Error(`row "${row.expect}" needs ${WHO.length} cells`);
  return cells[WHO.indexOf(who)] as 'A' | 'D';
}

function tokenOf(who: Who): string | undefined {
  return who === 'anonymous' ? undefined : users[who].token;
}

/** One WebSocket call as `who`; returns the reply frame. */
async function callWs(who: Who, method: string, params: Record<string, unknown>): Promise<Frame> {
  if (method === 'session.hello') {
    const socket = await RawSocket.open(server.wsUrl);
    const reply = await socket.request('session.hello', { token: tokenOf(who) ?? 'sr_not_a_token', client: { app: 'script' }, protocol: PROTOCOL_VERSION });
    socket.close();
    return reply;
  }
  if (!isSignedIn(who)) {
    // Anonymous: no hello at all. Revoked/expired: their hello is refused, then the call too.
    const socket = await RawSocket.open(server.wsUrl);
    if (who !== 'anonymous') {
      const hello = await socket.request('session.hello', { token: tokenOf(who), client: { app: 'script' }, protocol: PROTOCOL_VERSION });
      if (!hello.error) return hello; // let the cell fail: the token was accepted
      await socket.closed;
      return hello;
    }
    const reply = await socket.request(method, params);
    socket.close();
    return reply;
  }
  return sockets.get(who)!.request(method, params);
}

/** The same call through its REST route. */
async function callRest(who: Who, method: string, params: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const entry = server.stockroom.registry.get(method)!;
  const { verb, path } = entry.rest!;
  const rest = { ...params };
  const url = new URL(
    path.replace(/:(\w+)/g, (_m, key: string) => {
      const value = rest[key];
      delete rest[key];
      return encodeURIComponent(String(value));
    }),
    server.url,
  );
  const hasBody = verb === 'post' || verb === 'patch';
  if (!hasBody) for (const [k, v] of Object.entries(rest)) url.searchParams.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  const token = tokenOf(who);
  const res = await fetch(url, {
    method: verb.toUpperCase(),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? JSON.stringify(rest) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

function checkCell(
  kind: string,
  method: string,
  who: Who,
  row: Row | { expect: string; hides?: boolean },
  outcome: { ok: boolean; code?: string; status?: number; result?: unknown },
) {
  const want = expected(row, who);
  const label = `${kind} ${method} as ${who}: expected ${want === 'A' ? 'allow' : 'deny'}, got ${outcome.ok ? 'success' : `${outcome.code ?? outcome.status}`}`;
  if (want === 'A') {
    expect(outcome.ok, label).toBe(true);
    (row as Row).verify?.(who, outcome.result);
  } else {
    const denials = ['UNAUTHENTICATED', 'FORBIDDEN', ...(row.hides ? ['NOT_FOUND'] : [])];
    expect(outcome.ok, label).toBe(false);
    expect(denials, label).toContain(outcome.code);
    if (who === 'anonymous' || who === 'revoked' || who === 'expired') expect(outcome.code, label).toBe('UNAUTHENTICATED');
    if (row.hides && who === 'otherManager') expect(outcome.code, `${label} (may not read C: must look missing)`).toBe('NOT_FOUND');
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.stockroom.database.prisma;
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  adminActor = { user: { id: admin.id, name: admin.name, email: admin.email, role: 'admin' }, clientApp: 'script' };
  users.admin = { id: admin.id, email: admin.email, name: admin.name, token: server.adminToken };
  for (const who of ['viewer', 'contributor', 'editor', 'otherManager', 'revoked', 'expired'] as const) users[who] = await server.createUser({ name: who });
  C = (await s().collections.create(adminActor, { name: 'Brand' })).id;
  D = (await s().collections.create(adminActor, { name: 'Elsewhere' })).id;
  const grant = (userId: string, collectionId: string, role: 'viewer' | 'contributor' | 'editor' | 'manager') =>
    s().grants.set(adminActor, { collectionId, subjectType: 'user', subjectId: userId, role });
  await grant(users.viewer.id, C, 'viewer');
  await grant(users.contributor.id, C, 'contributor');
  await grant(users.editor.id, C, 'editor');
  await grant(users.otherManager.id, D, 'manager');
  // Revoked and expired: editors of C, so only the token state can deny them.
  await grant(users.revoked.id, C, 'editor');
  await grant(users.expired.id, C, 'editor');
  const revoked = await prisma.apiToken.findFirstOrThrow({ where: { userId: users.revoked.id } });
  await s().tokens.revoke(revoked.id);
  await prisma.apiToken.updateMany({ where: { userId: users.expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  sharedAsset = await assetIn(C);
  await s().versions.checkin(adminActor, { id: sharedAsset, uploadId: (await seedUpload(server.stockroom, admin.id)).uploadId, baseVersion: 1 });
  for (const who of SIGNED_IN) sockets.set(who, await RawSocket.signedIn(server.wsUrl, users[who as Exclude<Who, 'anonymous'>].token));
  // The search index follows the outbox asynchronously: wait until the shared asset is findable.
  const deadline = Date.now() + 30_000;
  while (!(await sockets.get('admin')!.call('assets.search', { q: '' })).hits.some((h: any) => (h.asset ?? h).id === sharedAsset)) {
    if (Date.now() > deadline) throw new Error('the shared asset was never indexed');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});
afterAll(async () => {
  for (const socket of sockets.values()) socket.close();
  await server?.destroy();
});

describe('authorization matrix', () => {
  it('has a row for every method of the contract and every registered method and REST route', () => {
    const registered = server.stockroom.registry.list().map((e) => e.name as string);
    const all = new Set([...Object.keys(methods), ...registered]);
    const missing = [...all].filter((name) => !(name in ROWS));
    expect(missing, `methods without a row in the authorization matrix: ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(ROWS).filter((name) => !all.has(name));
    expect(stale, 'rows for methods that no longer exist').toEqual([]);
  });

  it('allows and denies every WebSocket method as written', { timeout: 300_000 }, async () => {
    const methodNames = new Set([...Object.keys(methods), ...server.stockroom.registry.list().map((e) => e.name as string)]);
    let cells = 0;
    for (const method of methodNames) {
      const row = ROWS[method]!;
      // The callers of one row run side by side (fixtures are per cell).
      await Promise.all(
        WHO.map(async (who) => {
          const params = await row.params(who);
          const reply = await callWs(who, method, params);
          checkCell('WS', method, who, row, { ok: reply.error === undefined && reply.result !== undefined, code: reply.error?.code, result: reply.result });
          cells++;
        }),
      );
    }
    expect(cells).toBe(methodNames.size * WHO.length);
  });

  it('allows and denies every REST route as written', { timeout: 300_000 }, async () => {
    let cells = 0;
    const routes = server.stockroom.registry.list().filter((e) => e.rest);
    for (const entry of routes) {
      const row = ROWS[entry.name]!;
      await Promise.all(
        WHO.map(async (who) => {
          const params = await row.params(who);
          const { status, body } = await callRest(who, entry.name, params);
          const ok = status >= 200 && status < 300;
          checkCell('REST', `${entry.rest!.verb.toUpperCase()} ${entry.rest!.path}`, who, row, {
            ok,
            status,
            code: ok ? undefined : body?.error?.code,
            result: body,
          });
          cells++;
        }),
      );
    }
    await kitInC();
    for (const [route, row] of Object.entries(EXTRA_ROUTES)) {
      for (const who of WHO) {
        const token = tokenOf(who);
        const res = await fetch(new URL(row.path(), server.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
        const text = await res.text();
        const ok = res.status >= 200 && res.status < 300;
        checkCell('HTTP', route, who, row, { ok, status: res.status, code: ok ? undefined : JSON.parse(text).error.code });
        cells++;
      }
    }
    expect(cells).toBe((routes.length + Object.keys(EXTRA_ROUTES).length) * WHO.length);
  });
});
