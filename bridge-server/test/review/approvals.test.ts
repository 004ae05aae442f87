import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFilterBy, toTypesenseDocument } from '../../src/adapters/search/typesense-requests.ts';
import type { Actor } from '../../src/services/actor.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { ensureReviewMedia, uploadFile, type ReviewMedia } from './media.ts';

let server: TestServer;
let media: ReviewMedia;
let admin: Actor;
let C: string;
const people = {} as Record<'producer' | 'editor' | 'viewer' | 'manager', TestUser>;
const sockets = {} as Record<'producer' | 'editor' | 'viewer' | 'manager', RawSocket>;
const s = () => server.stockroom.services;

beforeAll(async () => {
  [server, media] = await Promise.all([startTestServer(), ensureReviewMedia()]);
  const row = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  admin = { user: { id: row.id, name: row.name, email: row.email, role: 'admin' }, clientApp: 'script' };
  C = (await s().collections.create(admin, { name: 'Spot 30s' })).id;
  const roles = { producer: 'editor', editor: 'editor', viewer: 'viewer', manager: 'manager' } as const;
  for (const who of Object.keys(roles) as Array<keyof typeof roles>) {
    people[who] = await server.createUser({ name: who });
    await s().grants.set(admin, { collectionId: C, subjectType: 'user', subjectId: people[who].id, role: roles[who] });
    sockets[who] = await RawSocket.signedIn(server.wsUrl, people[who].token, 'premiere');
    await sockets[who].call('events.subscribe', {});
  }
});
afterAll(async () => {
  for (const socket of Object.values(sockets)) socket?.close();
  await server?.destroy();
});

async function newAsset(): Promise<string> {
  const upload = await uploadFile(server.stockroom, { ...admin, user: { ...admin.user, id: people.editor.id } }, media.image, 'image/png');
  return (await sockets.editor.call('assets.create', { uploadId: upload.uploadId, collectionId: C, name: 'Board' })).id;
}
async function checkIn(assetId: string, baseVersion: number) {
  const upload = await uploadFile(server.stockroom, { ...admin, user: { ...admin.user, id: people.editor.id } }, media.image2, 'image/png');
  return sockets.editor.call('assets.checkin', { id: assetId, uploadId: upload.uploadId, baseVersion });
}

describe('approvals', () => {
  it('without a rule, editors set the status and a viewer cannot', async () => {
    const id = await newAsset();
    expect(await sockets.viewer.call('reviews.get', { assetId: id })).toEqual({ assetId: id, versionNumber: 1, status: null, history: [] });
    const denied = await sockets.viewer.request('reviews.set', { assetId: id, version: 1, status: 'approved' });
    expect(denied.error?.code).toBe('FORBIDDEN');
    const review = await sockets.editor.call('reviews.set', { assetId: id, version: 1, status: 'changes_requested', note: 'Logo too small' });
    expect(review).toMatchObject({
      status: 'changes_requested',
      history: [{ status: 'changes_requested', note: 'Logo too small', by: { id: people.editor.id } }],
    });
    const approved = await sockets.editor.call('reviews.set', { assetId: id, version: 1, status: 'approved' });
    expect(approved.history.map((h: any) => h.status)).toEqual(['approved', 'changes_requested']);
    const event = await sockets.viewer.event('review.changed', (d) => d.assetId === id && d.review.status === 'approved');
    expect(event.data.collectionId).toBe(C);
  });

  it('a collection that requires approval keeps every check-in "in review" until the named approver approves', async () => {
    const rule = await sockets.manager.call('reviews.setRule', { collectionId: C, requireApproval: true, approverId: people.producer.id });
    expect(rule).toMatchObject({ collectionId: C, requireApproval: true, approver: { id: people.producer.id, name: 'producer' } });
    expect((await sockets.editor.request('reviews.setRule', { collectionId: C, requireApproval: false })).error?.code).toBe('FORBIDDEN');
    expect((await sockets.manager.request('reviews.setRule', { collectionId: C, requireApproval: true, approverId: people.viewer.id })).error?.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await sockets.viewer.call('reviews.getRule', { collectionId: C })).toEqual(rule);

    const id = await newAsset();
    expect((await sockets.viewer.call('reviews.get', { assetId: id })).status).toBe('in_review');
    await checkIn(id, 1);
    const v2 = await sockets.viewer.call('reviews.get', { assetId: id });
    expect(v2).toMatchObject({ versionNumber: 2, status: 'in_review', history: [{ status: 'in_review', by: null }] });
    await sockets.viewer.event('review.changed', (d) => d.assetId === id && d.review.versionNumber === 2);

    // Somebody else may request changes, but not approve; a viewer can do neither.
    const notApprover = await sockets.editor.request('reviews.set', { assetId: id, version: 2, status: 'approved' });
    expect(notApprover.error).toMatchObject({ code: 'FORBIDDEN', data: { reason: 'approver-required' } });
    expect(notApprover.error?.message).toContain('producer');
    expect((await sockets.viewer.request('reviews.set', { assetId: id, version: 2, status: 'approved' })).error?.code).toBe('FORBIDDEN');
    expect((await sockets.viewer.call('reviews.get', { assetId: id })).status).toBe('in_review');
    await sockets.editor.call('reviews.set', { assetId: id, version: 2, status: 'changes_requested', note: 'Fix the grade' });
    const approved = await sockets.producer.call('reviews.set', { assetId: id, version: 2, status: 'approved', note: 'Ship it' });
    expect(approved.status).toBe('approved');
    expect(approved.history.map((h: any) => [h.status, h.by?.name ?? 'rule'])).toEqual([
      ['approved', 'producer'],
      ['changes_requested', 'editor'],
      ['in_review', 'rule'],
    ]);
    // Version 1 keeps its own state; the next check-in starts in review again.
    expect((await sockets.viewer.call('reviews.get', { assetId: id, version: 1 })).status).toBe('in_review');
    await checkIn(id, 2);
    expect((await sockets.viewer.call('reviews.get', { assetId: id })).status).toBe('in_review');

    const audit = await sockets.manager.request('audit.query', { targetId: id });
    expect(audit.error?.code).toBe('FORBIDDEN');
    const rows = await server.stockroom.database.prisma.auditEvent.findMany({ where: { targetId: id, action: 'review.set' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [(r.data as any).versionNumber, (r.data as any).status, r.actorId])).toEqual([
      [1, 'in_review', null],
      [2, 'in_review', null],
      [2, 'changes_requested', people.editor.id],
      [2, 'approved', people.producer.id],
      [3, 'in_review', null],
    ]);
    expect(rows.every((r) => r.clientApp === null || r.clientApp === 'premiere')).toBe(true);
    const ruleAudit = await server.stockroom.database.prisma.auditEvent.findFirst({ where: { targetId: C, action: 'review.rule' } });
    expect(ruleAudit).toMatchObject({ actorId: people.manager.id, data: { requireApproval: true, approverId: people.producer.id } });
    await sockets.manager.call('reviews.setRule', { collectionId: C, requireApproval: false });
  });

  it('refuses unknown versions and assets clearly', async () => {
    const id = await newAsset();
    expect((await sockets.editor.request('reviews.set', { assetId: id, version: 7, status: 'approved' })).error?.code).toBe('NOT_FOUND');
    expect((await sockets.editor.request('reviews.set', { assetId: id, version: 1, status: 'done' })).error?.code).toBe('VALIDATION_FAILED');
    expect((await sockets.editor.request('reviews.get', { assetId: '00000000-0000-4000-8000-000000000000' })).error?.code).toBe('NOT_FOUND');
  });

  it('filters search by the head version’s review status', async () => {
    const approved = await newAsset();
    const changes = await newAsset();
    const untouched = await newAsset();
    await sockets.producer.call('reviews.set', { assetId: approved, version: 1, status: 'approved' });
    await sockets.editor.call('reviews.set', { assetId: changes, version: 1, status: 'changes_requested' });
    const search = async (reviewStatus: string[]) =>
      ((await sockets.viewer.call('assets.search', { q: '', filters: { collectionId: C, reviewStatus }, limit: 200 })).hits as any[]).map((h) => h.asset.id);
    // The index follows the outbox asynchronously: wait until the three are findable at all.
    await expect
      .poll(
        async () => ((await sockets.viewer.call('assets.search', { q: '', filters: { collectionId: C }, limit: 200 })).hits as any[]).map((h) => h.asset.id),
        { timeout: 30_000 },
      )
      .toEqual(expect.arrayContaining([approved, changes, untouched]));
    expect(await search(['approved'])).toContain(approved);
    expect(await search(['approved'])).not.toContain(changes);
    expect(await search(['approved'])).not.toContain(untouched);
    expect(await search(['changes_requested', 'approved'])).toEqual(expect.arrayContaining([approved, changes]));
    // A new version starts without a status: the approved asset leaves the "approved" list.
    await checkIn(approved, 1);
    await expect.poll(() => search(['approved']), { timeout: 30_000 }).not.toContain(approved);
    expect((await sockets.viewer.request('assets.search', { q: '', filters: { reviewStatus: ['done'] } })).error?.code).toBe('VALIDATION_FAILED');

    // The Typesense backend gets the same filter, from the same source document.
    expect(buildFilterBy({ filters: { reviewStatus: ['approved', 'in_review'] }, readableCollectionIds: 'all', userId: people.viewer.id } as any)).toBe(
      'review_status:=[`approved`,`in_review`]',
    );
    const doc = toTypesenseDocument({
      assetId: approved,
      collectionId: C,
      kind: 'image',
      name: 'x',
      description: '',
      tags: [],
      mimeType: 'image/png',
      orientation: null,
      lockedById: null,
      headVersion: 1,
      reviewStatus: 'approved',
      createdAt: new Date(),
      updatedAt: new Date(),
      metadataText: '',
    });
    expect(doc.review_status).toBe('approved');
  });
});
