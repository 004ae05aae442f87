import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAND_CONTENT_HEADERS, brandContentPath, type BrandKit } from '@stockroom/shared-types';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { api, createBrandKit, kitInput as toInput, type BrandFixture } from './fixture.ts';

let server: TestServer;
let kit: BrandFixture;
let viewer: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  kit = await createBrandKit(server);
  viewer = await server.createUser({ name: 'Vera Viewer' });
  await api(server, 'POST', `/api/collections/${kit.collection.id}/grants`, { subjectType: 'user', subjectId: viewer.id, role: 'viewer' });
});
afterAll(async () => server?.destroy());

const entryOf = (k: BrandKit, assetId: string) => k.sections.flatMap((s) => s.entries).find((e) => e.assetId === assetId);
const content = (entryId: string, variant?: string, token = server.adminToken) =>
  fetch(`${server.url}${brandContentPath(kit.collection.id, entryId, variant)}`, { headers: { authorization: `Bearer ${token}` } });

describe('brand kits', () => {
  it('keeps sections and entries in order, with variants and usage notes', async () => {
    const got = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`, undefined, viewer.token);
    expect(got.name).toBe('Acme brand');
    expect(got.sections.map((s) => s.title)).toEqual(['Logos', 'Photography']);
    const logo = got.sections[0]!.entries[0]!;
    expect(logo.name).toBe('Acme logo');
    expect(logo.variants.map((v) => [v.name, v.assetId])).toEqual([
      ['colour', kit.logo.id],
      ['mono', kit.logoMono.id],
    ]);
    expect(logo.usageNotes).toContain('clear space');
    expect(got.sections[1]!.entries[0]!.name).toBe('Harbour at dawn');
    const list = await api<{ kits: Array<{ collectionId: string; entries: number }> }>(server, 'GET', '/api/brand-kits', undefined, viewer.token);
    expect(list.kits).toEqual([expect.objectContaining({ collectionId: kit.collection.id, entries: 5 })]);
  });

  it('never offers withdrawn or expired entries for insertion; editors see them flagged', async () => {
    const offered = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`, undefined, viewer.token);
    expect(entryOf(offered, kit.retired.id)).toBeUndefined();
    const all = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    const retired = entryOf(all, kit.retired.id)!;
    expect(retired.state).toBe('withdrawn');
    expect(retired.withdrawnReason).toBe('Replaced by the 2026 logo');
    const res = await content(retired.id, undefined, viewer.token);
    expect(res.status).toBe(410);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ASSET_UNAVAILABLE');
    expect(body.error.message).toContain('withdrawn');
    // Viewers may not ask for the flagged entries.
    await expect(api(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`, undefined, viewer.token)).rejects.toMatchObject({
      status: 403,
    });
  });

  it('an entry past its expiry date is flagged expired and refused', async () => {
    const base = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    const sections = toInput(base);
    sections[1]!.entries[0]!.expiresAt = new Date(Date.now() - 60_000).toISOString();
    const saved = await api<BrandKit>(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: base.updatedAt, sections });
    const photo = entryOf(saved, kit.photo.id)!;
    expect(photo.state).toBe('expired');
    const res = await content(photo.id);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired on \d{4}-\d\d-\d\d/);
    // Back to normal for the other tests.
    sections[1]!.entries[0]!.expiresAt = null;
    await api(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: saved.updatedAt, sections });
  });

  it('refuses to overwrite a kit somebody else saved meanwhile', async () => {
    const base = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    const first = await api<BrandKit>(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: base.updatedAt, sections: toInput(base) });
    expect(first.updatedAt).not.toBe(base.updatedAt);
    await expect(api(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: base.updatedAt, sections: [] })).rejects.toMatchObject({
      status: 409,
      body: { error: { code: 'VERSION_CONFLICT' } },
    });
    const after = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    expect(after.sections).toHaveLength(2);
  });

  it('tells readers of the collection live when the kit is saved or removed, and nobody else', async () => {
    const outsider = await server.createUser({ name: 'Otto Outsider' });
    const [reader, stranger] = await Promise.all([
      RawSocket.signedIn(server.wsUrl, viewer.token, 'figma'),
      RawSocket.signedIn(server.wsUrl, outsider.token, 'figma'),
    ]);
    await Promise.all([reader.call('events.subscribe', { events: ['brandKit.changed'] }), stranger.call('events.subscribe', { events: ['brandKit.changed'] })]);
    const base = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    await api(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: base.updatedAt, sections: toInput(base) });
    const saved = await reader.event('brandKit.changed', (d) => d.collectionId === kit.collection.id);
    expect(saved.data).toEqual({ collectionId: kit.collection.id, removed: false, by: expect.objectContaining({ email: 'admin@stockroom.local' }) });

    const spare = await api<{ id: string }>(server, 'POST', '/api/collections', { name: 'Spare kit' });
    await api(server, 'POST', `/api/collections/${spare.id}/grants`, { subjectType: 'user', subjectId: viewer.id, role: 'viewer' });
    await api(server, 'POST', `/api/brand-kits/${spare.id}`, { sections: [] });
    await api(server, 'DELETE', `/api/brand-kits/${spare.id}`);
    const removed = await reader.event('brandKit.changed', (d) => d.collectionId === spare.id && d.removed === true);
    expect(removed.data.by.email).toBe('admin@stockroom.local');
    // The outsider reads neither collection: by now the reader has both events, the outsider none.
    expect(stranger.frames.filter((f) => f.event === 'brandKit.changed')).toEqual([]);
    [reader, stranger].forEach((socket) => socket.close());
  });

  it('only offers assets of its own collection, and only managers edit it', async () => {
    const other = await api<{ id: string }>(server, 'POST', '/api/collections', { name: 'Elsewhere' });
    const base = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}?includeUnavailable=true`);
    await expect(
      api(server, 'POST', `/api/brand-kits/${other.id}`, {
        sections: [{ title: 'Stolen', entries: [{ variants: [{ name: 'colour', assetId: kit.logo.id }] }] }],
      }),
    ).rejects.toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    await expect(
      api(server, 'POST', `/api/brand-kits/${kit.collection.id}`, { baseUpdatedAt: base.updatedAt, sections: [] }, viewer.token),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('sends the head version of a raster downscaled to at most 4096 px, as a JPEG Figma accepts', async () => {
    const k = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`);
    const res = await content(entryOf(k, kit.photo.id)!.id, undefined, viewer.token);
    expect(res.status).toBe(200);
    expect(res.headers.get(BRAND_CONTENT_HEADERS.insertAs)).toBe('image');
    // Stored bytes never run as this site, nor are sniffed into something else.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(res.headers.get(BRAND_CONTENT_HEADERS.assetId)).toBe(kit.photo.id);
    expect(res.headers.get(BRAND_CONTENT_HEADERS.version)).toBe('1');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height]).toEqual([4096, 2458]);
  });

  it('sends a chosen variant of a vector as sanitised SVG', async () => {
    const k = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`);
    const res = await content(entryOf(k, kit.logo.id)!.id, 'mono');
    expect(res.status).toBe(200);
    expect(res.headers.get(BRAND_CONTENT_HEADERS.insertAs)).toBe('vector');
    expect(res.headers.get(BRAND_CONTENT_HEADERS.assetId)).toBe(kit.logoMono.id);
    expect(decodeURIComponent(res.headers.get(BRAND_CONTENT_HEADERS.variant)!)).toBe('mono');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<use xlink:href="#dot"');
    expect(svg).not.toContain('#e4572e');
    const missing = await content(entryOf(k, kit.logo.id)!.id, 'reversed');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('colour, mono');
  });
});

describe('hostile SVGs', () => {
  it('takes scripts, event handlers and external references out, and says what it removed', async () => {
    const k = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`);
    const res = await content(entryOf(k, kit.hostile.id)!.id);
    expect(res.status).toBe(200);
    const svg = await res.text();
    expect(svg).not.toMatch(/<script|onload|evil\.test|document\.cookie/i);
    expect(svg).toContain('<rect');
    const removed = JSON.parse(decodeURIComponent(res.headers.get(BRAND_CONTENT_HEADERS.sanitised)!)) as string[];
    expect(removed).toEqual(expect.arrayContaining(['a script', 'an event handler', 'an external reference to https://tracker.evil.test/pixel.png']));
  });

  it('refuses an XML bomb with a clear message', async () => {
    const k = await api<BrandKit>(server, 'GET', `/api/brand-kits/${kit.collection.id}`);
    const res = await content(entryOf(k, kit.bomb.id)!.id);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNSAFE_CONTENT');
    expect(body.error.message).toContain('XML bomb');
  });
});
