import { frameAtSeconds } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { CLIP_SECONDS, ensureReviewMedia, framePresentationTimes, RATES, uploadFile, waitForMetadata, type RateName, type ReviewMedia } from './media.ts';

let server: TestServer;
let media: ReviewMedia;
let admin: Actor;
let C: string; // a collection: editor and viewer can read it, outsider cannot
const people = {} as Record<'editor' | 'viewer' | 'outsider', TestUser>;
const sockets = {} as Record<'editor' | 'viewer' | 'outsider', RawSocket>;
const clips = {} as Record<RateName, string>;
let image: string;

const s = () => server.stockroom.services;

beforeAll(async () => {
  [server, media] = await Promise.all([startTestServer(), ensureReviewMedia()]);
  const row = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  admin = { user: { id: row.id, name: row.name, email: row.email, role: 'admin' }, clientApp: 'script' };
  C = (await s().collections.create(admin, { name: 'Campaign' })).id;
  for (const who of ['editor', 'viewer', 'outsider'] as const) people[who] = await server.createUser({ name: who });
  await s().grants.set(admin, { collectionId: C, subjectType: 'user', subjectId: people.editor.id, role: 'editor' });
  await s().grants.set(admin, { collectionId: C, subjectType: 'user', subjectId: people.viewer.id, role: 'viewer' });
  for (const who of ['editor', 'viewer', 'outsider'] as const) {
    sockets[who] = await RawSocket.signedIn(server.wsUrl, people[who].token);
    await sockets[who].call('events.subscribe', {});
  }
  for (const rate of Object.keys(RATES) as RateName[]) {
    const upload = await uploadFile(server.stockroom, admin, media.clips[rate], 'video/mp4');
    clips[rate] = (await s().assets.create(admin, { uploadId: upload.uploadId, collectionId: C, name: `Cut at ${rate} fps` })).id;
  }
  image = (
    await s().assets.create(admin, {
      uploadId: (await uploadFile(server.stockroom, admin, media.image, 'image/png')).uploadId,
      collectionId: C,
      name: 'Key visual',
    })
  ).id;
  await Promise.all(Object.values(clips).map((id) => waitForMetadata(server.stockroom, id, 1)));
});
afterAll(async () => {
  for (const socket of Object.values(sockets)) socket?.close();
  await server?.destroy();
});

/** The index of the frame on screen at `seconds`, from the file's own frame times (ffprobe). */
function frameOnScreen(ptsTimes: number[], seconds: number): number {
  let index = -1;
  // ffprobe prints times to the microsecond (rounded): allow that much, far below a frame's length.
  for (let i = 0; i < ptsTimes.length; i++) if (ptsTimes[i]! <= seconds + 1e-6) index = i;
  return index;
}

describe('time-coded comments', () => {
  for (const rate of Object.keys(RATES) as RateName[]) {
    it(`map seconds and frames to the right frame at ${rate} fps`, async () => {
      const { num, den } = RATES[rate];
      const pts = await framePresentationTimes(media.clips[rate]);
      expect(pts.length).toBe(Math.round((CLIP_SECONDS * num) / den));
      // Starts of frames (where rounding bites), the middle of a frame, and plain seconds.
      const frameStart = (f: number) => (f * den) / num;
      const cases = [0, 1, 1.5, frameStart(30), frameStart(31) - 1e-4, frameStart(47), 2.5, frameStart(pts.length - 1)];
      for (const startSeconds of cases) {
        const endSeconds = Math.max(startSeconds, Math.min(startSeconds + 0.5, frameStart(pts.length - 1)));
        const { comment } = await sockets.editor.call('comments.create', {
          assetId: clips[rate],
          version: 1,
          body: `at ${startSeconds}`,
          timeRange: { startSeconds, endSeconds },
        });
        // The oracle is the file itself: the frame a player shows at that time (ffprobe's frame times).
        expect(comment.timeRange.frameRate).toBeCloseTo(num / den, 9);
        expect(comment.timeRange.startFrame, `${rate} fps, start ${startSeconds}`).toBe(frameOnScreen(pts, startSeconds));
        expect(comment.timeRange.endFrame, `${rate} fps, end ${endSeconds}`).toBe(frameOnScreen(pts, endSeconds));
        expect(comment.timeRange.startSeconds).toBeCloseTo(startSeconds, 9);
      }
      // Given as frames: seconds are where the frame starts, and the frame survives the round trip.
      const { comment } = await sockets.editor.call('comments.create', {
        assetId: clips[rate],
        version: 1,
        body: 'by frame',
        timeRange: { startFrame: 45, endFrame: 60 },
      });
      expect(comment.timeRange).toMatchObject({ startFrame: 45, endFrame: 60 });
      expect(comment.timeRange.startSeconds).toBeCloseTo((45 * den) / num, 9);
      expect(frameAtSeconds(comment.timeRange.startSeconds, comment.timeRange.frameRate)).toBe(45);
      expect(frameOnScreen(pts, comment.timeRange.startSeconds)).toBe(45);
    });
  }

  it('counts audio without a picture in samples', async () => {
    const tone = (
      await s().assets.create(admin, { uploadId: (await uploadFile(server.stockroom, admin, media.tone, 'audio/wav')).uploadId, collectionId: C, name: 'Tone' })
    ).id;
    await waitForMetadata(server.stockroom, tone, 1);
    const { comment } = await sockets.editor.call('comments.create', {
      assetId: tone,
      version: 1,
      body: 'Click here',
      timeRange: { startSeconds: 1.5, endSeconds: 1.75 },
    });
    expect(comment.timeRange).toEqual({ startSeconds: 1.5, endSeconds: 1.75, startFrame: 72_000, endFrame: 84_000, frameRate: 48_000 });
  });

  it('refuses time ranges that cannot be placed, with a clear error', async () => {
    const onImage = await sockets.editor.request('comments.create', { assetId: image, version: 1, body: 'when?', timeRange: { startSeconds: 1 } });
    expect(onImage.error).toMatchObject({ code: 'CONFLICT', data: { reason: 'no-frame-rate' } });
    const backwards = await sockets.editor.request('comments.create', {
      assetId: clips['25'],
      version: 1,
      body: 'x',
      timeRange: { startSeconds: 2, endSeconds: 1 },
    });
    expect(backwards.error?.code).toBe('VALIDATION_FAILED');
    const beyond = await sockets.editor.request('comments.create', { assetId: clips['25'], version: 1, body: 'x', timeRange: { startSeconds: 60 } });
    expect(beyond.error?.code).toBe('VALIDATION_FAILED');
    expect(beyond.error?.message).toMatch(/long/);
    const both = await sockets.editor.request('comments.create', {
      assetId: clips['25'],
      version: 1,
      body: 'x',
      timeRange: { startSeconds: 1, startFrame: 3 },
    });
    expect(both.error?.code).toBe('VALIDATION_FAILED');
    const empty = await sockets.editor.request('comments.create', { assetId: clips['25'], version: 1, body: '   ' });
    expect(empty.error?.code).toBe('VALIDATION_FAILED');
    const outside = await sockets.editor.request('comments.create', {
      assetId: image,
      version: 1,
      body: 'x',
      region: { x: 0.8, y: 0.1, width: 0.5, height: 0.1 },
    });
    expect(outside.error?.code).toBe('VALIDATION_FAILED');
    const noVersion = await sockets.editor.request('comments.create', { assetId: image, version: 9, body: 'x' });
    expect(noVersion.error?.code).toBe('NOT_FOUND');
  });
});

describe('threads, resolve and carry-over', () => {
  it('keeps unresolved threads across versions ("on v1") and drops resolved ones', async () => {
    const id = (
      await s().assets.create(admin, {
        uploadId: (await uploadFile(server.stockroom, admin, media.image, 'image/png')).uploadId,
        collectionId: C,
        name: 'Poster',
      })
    ).id;
    const region = { x: 0.5, y: 0.125, width: 0.3, height: 0.5 };
    const a = (await sockets.editor.call('comments.create', { assetId: id, version: 1, body: 'Make the sun bigger', region })).comment;
    const b = (await sockets.viewer.call('comments.create', { assetId: id, version: 1, body: 'Typo in the headline' })).comment;
    const reply = (await sockets.viewer.call('comments.create', { assetId: id, version: 1, body: 'Agreed', parentId: a.id })).comment;
    // A reply to a reply joins the same thread.
    const reply2 = (await sockets.editor.call('comments.create', { assetId: id, version: 1, body: 'On it', parentId: reply.id })).comment;
    expect(a).toMatchObject({
      versionNumber: 1,
      parentId: null,
      region,
      timeRange: null,
      resolved: false,
      author: { kind: 'user', id: people.editor.id, name: 'editor' },
    });
    expect(reply.parentId).toBe(a.id);
    expect(reply2.parentId).toBe(a.id);

    const resolved = (await sockets.editor.call('comments.resolve', { commentId: b.id, resolved: true })).comment;
    expect(resolved).toMatchObject({ resolved: true });
    expect(resolved.resolvedAt).not.toBeNull();

    await s().versions.checkin(admin, { id, uploadId: (await uploadFile(server.stockroom, admin, media.image2, 'image/png')).uploadId, baseVersion: 1 });
    const c = (await sockets.editor.call('comments.create', { assetId: id, version: 2, body: 'Better. Now the logo.' })).comment;

    const onV2 = (await sockets.viewer.call('comments.list', { assetId: id })).comments;
    expect(onV2.map((x: any) => [x.body, x.versionNumber])).toEqual([
      ['Make the sun bigger', 1],
      ['Agreed', 1],
      ['On it', 1],
      ['Better. Now the logo.', 2],
    ]);
    const onV1 = (await sockets.viewer.call('comments.list', { assetId: id, version: 1 })).comments;
    expect(onV1.map((x: any) => x.id)).toEqual([a.id, b.id, reply.id, reply2.id]);
    expect(onV1.some((x: any) => x.id === c.id)).toBe(false);

    // Reopened, the thread comes back on v2; resolving the first thread drops it with its replies.
    await sockets.viewer.call('comments.resolve', { commentId: b.id, resolved: false });
    await sockets.viewer.call('comments.resolve', { commentId: a.id, resolved: true });
    const again = (await sockets.editor.call('comments.list', { assetId: id, version: 2 })).comments;
    expect(again.map((x: any) => x.body)).toEqual(['Typo in the headline', 'Better. Now the logo.']);
  });

  it('lets the author edit within the window, and the author or a manager delete', async () => {
    const id = image;
    const mine = (await sockets.viewer.call('comments.create', { assetId: id, version: 1, body: 'frist' })).comment;
    const edited = (await sockets.viewer.call('comments.update', { commentId: mine.id, body: 'first' })).comment;
    expect(edited.body).toBe('first');
    expect(edited.editedAt).not.toBeNull();
    const notMine = await sockets.editor.request('comments.update', { commentId: mine.id, body: 'hijacked' });
    expect(notMine.error?.code).toBe('FORBIDDEN');
    await server.stockroom.database.prisma.reviewComment.update({ where: { id: mine.id }, data: { createdAt: new Date(Date.now() - 16 * 60_000) } });
    const late = await sockets.viewer.request('comments.update', { commentId: mine.id, body: 'too late' });
    expect(late.error).toMatchObject({ code: 'FORBIDDEN', data: { reason: 'edit-window' } });

    const byOther = await sockets.editor.request('comments.delete', { commentId: mine.id });
    expect(byOther.error?.code).toBe('FORBIDDEN');
    const hidden = await sockets.outsider.request('comments.delete', { commentId: mine.id });
    expect(hidden.error?.code).toBe('NOT_FOUND');
    const withReply = (await sockets.viewer.call('comments.create', { assetId: id, version: 1, body: 'thread', parentId: mine.id })).comment;
    expect(await sockets.viewer.call('comments.delete', { commentId: mine.id })).toEqual({ commentId: mine.id, deleted: 2 });
    const left = (await sockets.viewer.call('comments.list', { assetId: id })).comments.map((x: any) => x.id);
    expect(left).not.toContain(mine.id);
    expect(left).not.toContain(withReply.id);

    const other = (await sockets.viewer.call('comments.create', { assetId: id, version: 1, body: 'moderate me' })).comment;
    const manager = await server.createUser({ name: 'manager' });
    await s().grants.set(admin, { collectionId: C, subjectType: 'user', subjectId: manager.id, role: 'manager' });
    const managerSocket = await RawSocket.signedIn(server.wsUrl, manager.token);
    expect((await managerSocket.call('comments.delete', { commentId: other.id })).deleted).toBe(1);
    managerSocket.close();
    const audit = await server.stockroom.database.prisma.auditEvent.findMany({ where: { targetId: id, action: { startsWith: 'comment.' } } });
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['comment.create', 'comment.update', 'comment.delete']));
  });

  it('checks mentions: only users who may read the asset', async () => {
    const ok = (await sockets.editor.call('comments.create', { assetId: image, version: 1, body: '@viewer look', mentions: [people.viewer.id] })).comment;
    expect(ok.mentions).toEqual([people.viewer.id]);
    const bad = await sockets.editor.request('comments.create', { assetId: image, version: 1, body: '@outsider look', mentions: [people.outsider.id] });
    expect(bad.error).toMatchObject({ code: 'VALIDATION_FAILED', data: { userId: people.outsider.id } });
  });
});

describe('live comment events', () => {
  it('reach the clients that may read the asset, and no others', async () => {
    const { comment } = await sockets.editor.call('comments.create', {
      assetId: clips['24'],
      version: 1,
      body: 'Cut two frames earlier',
      timeRange: { startSeconds: 1 },
    });
    const seen = await sockets.viewer.event('comment.created', (d) => d.comment.id === comment.id);
    expect(seen.data).toEqual({ assetId: clips['24'], collectionId: C, comment });
    await sockets.editor.call('comments.update', { commentId: comment.id, body: 'Cut three frames earlier' });
    expect((await sockets.viewer.event('comment.updated', (d) => d.comment.id === comment.id)).data.comment.body).toBe('Cut three frames earlier');
    await sockets.viewer.call('comments.resolve', { commentId: comment.id, resolved: true });
    expect((await sockets.editor.event('comment.resolved', (d) => d.comment.id === comment.id)).data.comment.resolved).toBe(true);

    // A marker the outsider may see (an unfiled asset: the team's shared inbox), written after
    // the others: events arrive in commit order, so once it is here the others would be too.
    const unfiled = (
      await s().assets.create(admin, { uploadId: (await uploadFile(server.stockroom, admin, media.image, 'image/png')).uploadId, name: 'Inbox' })
    ).id;
    const marker = (await sockets.editor.call('comments.create', { assetId: unfiled, version: 1, body: 'marker' })).comment;
    await sockets.outsider.event('comment.created', (d) => d.comment.id === marker.id);
    const leaked = sockets.outsider.frames.filter((f) => f.event?.startsWith('comment.') && f.data.assetId !== unfiled);
    expect(leaked).toEqual([]);
    // Nor can the outsider read them directly: to them the asset does not exist.
    expect((await sockets.outsider.request('comments.list', { assetId: clips['24'] })).error?.code).toBe('NOT_FOUND');
  });
});
