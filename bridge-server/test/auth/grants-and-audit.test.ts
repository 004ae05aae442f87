import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: RawSocket;
let adminActor: Actor;

const s = () => server.stockroom.services;
async function newAsset(collectionId: string | null, name: string): Promise<string> {
  const upload = await seedUpload(server.stockroom, adminActor.user.id);
  return (await s().assets.create(adminActor, { uploadId: upload.uploadId, collectionId, name })).id;
}
const created = (socket: RawSocket, assetId: string) => socket.frames.some((f) => f.event === 'asset.created' && f.data.asset.id === assetId);

beforeAll(async () => {
  server = await startTestServer();
  admin = await RawSocket.signedIn(server.wsUrl, server.adminToken, 'dashboard');
  const row = await server.stockroom.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@stockroom.local' } });
  adminActor = { user: { id: row.id, name: row.name, email: row.email, role: 'admin' }, clientApp: 'script' };
});
afterAll(async () => {
  admin?.close();
  await server?.destroy();
});

describe('collection grants', () => {
  it('sends events only to connections that may read the collection, and applies grant changes to open connections', async () => {
    const brand = await admin.call('collections.create', { name: 'Brand events' });
    const [viewer, outsider] = [await server.createUser({ name: 'Vera' }), await server.createUser({ name: 'Otto' })];
    await admin.call('grants.set', { collectionId: brand.id, subjectType: 'user', subjectId: viewer.id, role: 'viewer' });
    const v = await RawSocket.signedIn(server.wsUrl, viewer.token);
    const o = await RawSocket.signedIn(server.wsUrl, outsider.token);
    await v.call('events.subscribe', { events: ['asset.created'] });
    await o.call('events.subscribe', { events: ['asset.created'] });

    const secret = await newAsset(brand.id, 'Logo');
    const unfiled = await newAsset(null, 'Inbox file');
    await v.event('asset.created', (d) => d.asset.id === unfiled);
    await o.event('asset.created', (d) => d.asset.id === unfiled); // events arrive in order: the brand one came before
    expect(created(v, secret)).toBe(true);
    expect(created(o, secret)).toBe(false);
    expect((await o.request('assets.get', { id: secret })).error?.code).toBe('NOT_FOUND'); // no existence leak

    // Granting Otto takes effect on his open connection: events and calls.
    await admin.call('grants.set', { collectionId: brand.id, subjectType: 'user', subjectId: outsider.id, role: 'viewer' });
    const second = await newAsset(brand.id, 'Logo 2');
    await o.event('asset.created', (d) => d.asset.id === second);
    expect((await o.call('assets.get', { id: secret })).id).toBe(secret);

    // Taking it away does too.
    expect(await admin.call('grants.remove', { collectionId: brand.id, subjectType: 'user', subjectId: outsider.id })).toEqual({ removed: true });
    const third = await newAsset(brand.id, 'Logo 3');
    const marker = await newAsset(null, 'Marker');
    await o.event('asset.created', (d) => d.asset.id === marker);
    expect(created(o, third)).toBe(false);
    expect((await o.request('assets.get', { id: secret })).error?.code).toBe('NOT_FOUND'); // no existence leak
    [v, o].forEach((socket) => socket.close());
  });

  it('gives group members the group’s role, the strongest grant winning', async () => {
    const photos = await admin.call('collections.create', { name: 'Photos' });
    const member = await server.createUser({ name: 'Gus' });
    await admin.call('grants.set', { collectionId: photos.id, subjectType: 'user', subjectId: member.id, role: 'viewer' });
    const group = await admin.call('groups.create', { name: 'Retouchers' });
    await admin.call('grants.set', { collectionId: photos.id, subjectType: 'group', subjectId: group.id, role: 'editor' });
    const assetId = await newAsset(photos.id, 'Portrait');
    const socket = await RawSocket.signedIn(server.wsUrl, member.token, 'photoshop');
    expect((await socket.request('assets.checkout', { id: assetId })).error?.code).toBe('FORBIDDEN');
    const withMember = await admin.call('groups.addMember', { groupId: group.id, userId: member.id });
    expect(withMember.members.map((m: any) => m.id)).toEqual([member.id]);
    expect((await socket.call('assets.checkout', { id: assetId })).lock.holder.id).toBe(member.id);
    await socket.call('assets.releaseCheckout', { id: assetId });
    await admin.call('groups.removeMember', { groupId: group.id, userId: member.id });
    expect((await socket.request('assets.checkout', { id: assetId })).error?.code).toBe('FORBIDDEN');
    expect((await socket.call('assets.get', { id: assetId })).id).toBe(assetId); // still a viewer
    const { grants } = await admin.call('grants.list', { collectionId: photos.id });
    expect(grants.map((g: any) => [g.subjectType, g.subjectName, g.role])).toEqual(
      expect.arrayContaining([
        ['user', 'Gus', 'viewer'],
        ['group', 'Retouchers', 'editor'],
      ]),
    );
    socket.close();
  });

  it('lets a manager run their collection (grants, sub-collections, force-unlock) and nothing else', async () => {
    const brand = await admin.call('collections.create', { name: 'Brand managed' });
    const other = await admin.call('collections.create', { name: 'Not theirs' });
    const manager = await server.createUser({ name: 'Mia' });
    const editor = await server.createUser({ name: 'Ed' });
    const newcomer = await server.createUser({ name: 'Nell' });
    await admin.call('grants.set', { collectionId: brand.id, subjectType: 'user', subjectId: manager.id, role: 'manager' });
    await admin.call('grants.set', { collectionId: brand.id, subjectType: 'user', subjectId: editor.id, role: 'editor' });
    const m = await RawSocket.signedIn(server.wsUrl, manager.token);
    const e = await RawSocket.signedIn(server.wsUrl, editor.token);
    await m.call('grants.set', { collectionId: brand.id, subjectType: 'user', subjectId: newcomer.id, role: 'contributor' });
    expect((await m.request('grants.set', { collectionId: other.id, subjectType: 'user', subjectId: newcomer.id, role: 'viewer' })).error?.code).toBe(
      'NOT_FOUND',
    ); // a collection m may not see
    expect((await m.request('collections.create', { name: 'Top level' })).error?.code).toBe('FORBIDDEN');
    const sub = await m.call('collections.create', { name: 'Campaign 2027', parentId: brand.id });
    const subGrants = (await m.call('grants.list', { collectionId: sub.id })).grants;
    expect(subGrants).toEqual([expect.objectContaining({ subjectId: manager.id, role: 'manager' })]);
    const assetId = await newAsset(brand.id, 'Locked file');
    await e.call('assets.checkout', { id: assetId });
    expect((await e.request('assets.forceUnlock', { id: assetId })).error?.code).toBe('FORBIDDEN');
    const unlocked = await m.call('assets.forceUnlock', { id: assetId, reason: 'Ed is away' });
    expect(unlocked.lock).toBeNull();
    expect((await m.request('audit.query', {})).error?.code).toBe('FORBIDDEN');
    [m, e].forEach((socket) => socket.close());
  });
});

describe('audit log', () => {
  it('records grant changes and sign-in events, answers filtered pages, and exports CSV', async () => {
    const col = await admin.call('collections.create', { name: 'Audited' });
    const people = await Promise.all(['A1', 'A2', 'A3'].map((name) => server.createUser({ name })));
    for (const p of people) await admin.call('grants.set', { collectionId: col.id, subjectType: 'user', subjectId: p.id, role: 'viewer' });

    const first = await admin.call('audit.query', { action: 'grant.set', targetId: col.id, limit: 2 });
    expect(first.events).toHaveLength(2);
    expect(first.events[0]).toMatchObject({
      action: 'grant.set',
      targetType: 'collection',
      targetId: col.id,
      clientApp: 'dashboard',
      actor: { email: 'admin@stockroom.local' },
    });
    expect(first.events[0].data).toMatchObject({ subjectId: people[2]!.id, role: 'viewer', previousRole: null });
    expect(first.events[0].ip).toBeTruthy();
    expect(first.nextCursor).toBeTruthy();
    const second = await admin.call('audit.query', { action: 'grant.set', targetId: col.id, limit: 2, cursor: first.nextCursor });
    expect(second.events).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(BigInt(second.events[0].id)).toBeLessThan(BigInt(first.events[1].id));
    const prefix = await admin.call('audit.query', { action: 'grant.', targetId: col.id });
    expect(prefix.events).toHaveLength(3);

    // REST mirror and CSV export with the same filters.
    const auth = { authorization: `Bearer ${server.adminToken}` };
    const rest = (await (await fetch(`${server.url}/api/audit?action=grant.set&targetId=${col.id}`, { headers: auth })).json()) as any;
    expect(rest.events).toHaveLength(3);
    const csv = await fetch(`${server.url}/api/audit/export.csv?action=grant.&targetId=${col.id}`, { headers: auth });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="stockroom-audit-/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('id,at,actorId,actorName,actorEmail,action,targetType,targetId,clientApp,ip,data');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('admin@stockroom.local');
    // The person is named, not only identified: the spreadsheet is read by people.
    const [firstId, , , actorName] = lines[1]!.split(',');
    expect(actorName).toBe(prefix.events.find((e: { id: string }) => e.id === firstId)!.actor!.name);
    expect(actorName).not.toBe('');
    expect(lines[1]).toContain(people[2]!.id);
    const member = await server.createUser();
    const refused = await fetch(`${server.url}/api/audit/export.csv`, { headers: { authorization: `Bearer ${member.token}` } });
    expect(refused.status).toBe(403);
  });
});
