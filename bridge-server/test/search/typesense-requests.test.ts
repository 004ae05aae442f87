// What the Typesense backend sends: the builders on their own, then the real client
// against a loopback server that records requests (no Typesense server can run here).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { TypesenseSearchIndex } from '../../src/adapters/search/typesense.ts';
import {
  buildCreatedSinceParams,
  buildFilterBy,
  buildSearchParams,
  collectionSchema,
  quoteValue,
  toTypesenseDocument,
} from '../../src/adapters/search/typesense-requests.ts';
import type { IndexQuery } from '../../src/ports/search-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { HOSTILE_QUERIES } from './contract.ts';
import { SearchSeeder } from './seed.ts';

const ME = '11111111-1111-4111-8111-111111111111';
const C1 = '22222222-2222-4222-8222-222222222222';
const C2 = '33333333-3333-4333-8333-333333333333';

const query = (more: Partial<IndexQuery> = {}): IndexQuery => ({
  text: '',
  filters: {},
  readableCollectionIds: 'all',
  userId: ME,
  facets: [],
  sort: 'relevance',
  cursor: undefined,
  limit: 20,
  ...more,
});

describe('Typesense request builders', () => {
  it('declares the collection schema', () => {
    const schema = collectionSchema('stockroom_assets_1');
    expect(schema.name).toBe('stockroom_assets_1');
    expect(schema.default_sorting_field).toBe('updated_at');
    const fields = Object.fromEntries(schema.fields!.map((f) => [f.name, f]));
    expect(Object.keys(fields)).toEqual([
      'name',
      'name_key',
      'name_words',
      'description',
      'tags',
      'tag_keys',
      'metadata_text',
      'kind',
      'collection_id',
      'collection_key',
      'mime_type',
      'mime_family',
      'orientation',
      'locked',
      'locked_by',
      'created_by',
      'head_version',
      'review_status',
      'created_at',
      'updated_at',
    ]);
    expect(fields.tag_keys).toEqual({ name: 'tag_keys', type: 'string[]', facet: true });
    expect(fields.name_key).toEqual({ name: 'name_key', type: 'string', sort: true });
    expect(fields.collection_id).toEqual({ name: 'collection_id', type: 'string', facet: true, optional: true });
    expect(fields.locked).toEqual({ name: 'locked', type: 'bool', facet: true });
    expect(fields.created_by).toEqual({ name: 'created_by', type: 'string', facet: true, optional: true });
    expect(fields.updated_at).toEqual({ name: 'updated_at', type: 'int64', sort: true });
  });

  it('maps a source row to a document', () => {
    const doc = toTypesenseDocument({
      assetId: 'a1',
      collectionId: C1,
      kind: 'image',
      name: 'Café  Crème!',
      description: 'd',
      tags: ['Paris', 'PARIS', 'Été'],
      mimeType: 'Image/JPEG',
      orientation: 'landscape',
      lockedById: ME,
      headVersion: 3,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-02T00:00:00Z'),
      metadataText: 'Canon 42',
    });
    expect(doc).toEqual({
      id: 'a1',
      name: 'Café  Crème!',
      name_key: 'cafe creme',
      name_words: 'Café Crème Café  Crème',
      description: 'd',
      tags: ['Paris', 'PARIS', 'Été'],
      tag_keys: ['paris', 'ete'],
      metadata_text: 'Canon 42',
      kind: 'image',
      collection_id: C1,
      collection_key: C1,
      mime_type: 'image/jpeg',
      mime_family: 'image',
      orientation: 'landscape',
      locked: true,
      locked_by: ME,
      head_version: 3,
      created_at: Date.parse('2026-01-01T00:00:00Z'),
      updated_at: Date.parse('2026-01-02T00:00:00Z'),
    });
  });

  it('quotes every user value in backticks and removes backticks from it', () => {
    expect(quoteValue('a,b && c || d:[e]')).toBe('`a,b && c || d:[e]`');
    expect(quoteValue('x` || kind:=image || y`')).toBe('`x || kind:=image || y`');
  });

  it('builds filter_by from every filter', () => {
    expect(buildFilterBy(query())).toBeNull();
    expect(
      buildFilterBy(
        query({
          readableCollectionIds: [C1, C2],
          filters: {
            collectionIds: [C1],
            collectionId: C2,
            kind: ['image', 'video'],
            tags: ['Rock & Roll', 'a`,b'],
            mimeType: ['image/*', 'video/mp4'],
            orientation: ['portrait'],
            locked: false,
            checkedOutByMe: true,
            createdAt: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00.000Z' },
            updatedAt: { from: '2026-03-01T00:00:00+01:00' },
          },
        }),
      ),
    ).toBe(
      [
        `collection_key:=[\`unfiled\`,\`${C1}\`,\`${C2}\`]`,
        `collection_id:=[\`${C1}\`,\`${C2}\`]`,
        'kind:=[`image`,`video`]',
        'tag_keys:=`rock roll`',
        'tag_keys:=`a b`',
        '(mime_type:=[`video/mp4`] || mime_family:=[`image`])',
        'orientation:=[`portrait`]',
        'locked:=false',
        `locked_by:=\`${ME}\``,
        `created_at:>=${Date.parse('2026-01-01T00:00:00Z')}`,
        `created_at:<=${Date.parse('2026-02-01T00:00:00Z')}`,
        `updated_at:>=${Date.parse('2026-02-28T23:00:00Z')}`,
      ].join(' && '),
    );
    expect(buildFilterBy(query({ filters: { mimeType: ['image/*'] } }))).toBe('mime_family:=[`image`]');
  });

  it('builds search parameters', () => {
    expect(buildSearchParams(query({ text: 'Adobe "fotoshop', facets: ['kind', 'tags', 'locked'], limit: 10 }), 2)).toEqual({
      q: 'adobe fotoshop',
      query_by: 'name,name_words,tags,description,metadata_text',
      query_by_weights: '8,7,4,2,1',
      prefix: true,
      num_typos: 2,
      min_len_1typo: 3,
      min_len_2typo: 7,
      typo_tokens_threshold: 1,
      drop_tokens_threshold: 0,
      sort_by: '_text_match:desc,name_key:asc',
      page: 2,
      per_page: 10,
      include_fields: 'id',
      highlight_fields: 'name,tags,description,metadata_text',
      highlight_full_fields: 'name,tags',
      highlight_start_tag: '\u0002',
      highlight_end_tag: '\u0003',
      facet_by: 'kind,tag_keys,locked',
      max_facet_values: 100,
    });
    expect(buildSearchParams(query({ text: '' }), 1)).toMatchObject({ q: '*', sort_by: 'updated_at:desc' });
    expect(buildSearchParams(query({ text: 'x', sort: 'name' }), 1).sort_by).toBe('name_key:asc');
    expect(buildSearchParams(query({ text: 'x', sort: 'newest' }), 1).sort_by).toBe('updated_at:desc');
  });

  it('builds one count-only search per upload-date instant, with the query and filters of the search', () => {
    const today = '2026-03-10T00:00:00.000+01:00';
    const week = '2026-03-04T00:00:00.000+01:00';
    const built = buildCreatedSinceParams(query({ text: 'poster', filters: { kind: ['image'] }, facets: ['kind'], cursor: 'x', createdSince: [today, week] }));
    expect(built).toHaveLength(2);
    expect(built.map((p) => p.filter_by)).toEqual([
      `kind:=[\`image\`] && created_at:>=${Date.parse(today)}`,
      `kind:=[\`image\`] && created_at:>=${Date.parse(week)}`,
    ]);
    for (const params of built) {
      expect(params).toMatchObject({ q: 'poster', per_page: 0, page: 1 });
      expect(params.facet_by).toBeUndefined();
    }
    // Without other filters the date is the whole filter; without instants there is nothing to send.
    expect(buildCreatedSinceParams(query({ createdSince: [today] }))[0]!.filter_by).toBe(`created_at:>=${Date.parse(today)}`);
    expect(buildCreatedSinceParams(query())).toEqual([]);
  });

  it('never lets query syntax through', () => {
    for (const text of HOSTILE_QUERIES) {
      const { q } = buildSearchParams(query({ text }), 1);
      expect(q === '*' || /^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u.test(q), JSON.stringify(text.slice(0, 30))).toBe(true);
    }
  });
});

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  apiKey: string | undefined;
}

describe('Typesense backend over HTTP (recording server)', () => {
  let server: Server;
  let database: TestDatabase;
  let db: PrismaClient;
  let index: TypesenseSearchIndex;
  const requests: Recorded[] = [];
  let reply: (r: Recorded) => { status: number; body: unknown } = () => ({ status: 404, body: { message: 'Not Found' } });

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const url = new URL(req.url ?? '/', 'http://x');
      const recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        apiKey: req.headers['x-typesense-api-key'] as string | undefined,
      };
      requests.push(recorded);
      const { status, body: answer } = reply(recorded);
      res.writeHead(status, { 'content-type': typeof answer === 'string' ? 'text/plain' : 'application/json' });
      res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 2 });
    index = new TypesenseSearchIndex(db, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'secret-key' });
  });

  afterAll(async () => {
    server?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('creates a collection behind the alias on first start', async () => {
    requests.length = 0;
    reply = (r) => (r.method === 'GET' ? { status: 404, body: { message: 'Not Found' } } : { status: 201, body: { name: 'x', num_documents: 0 } });
    await index.prepare();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /aliases/stockroom_assets',
      // Asked again under the lock: another worker may have created it meanwhile.
      'GET /aliases/stockroom_assets',
      'POST /collections',
      expect.stringMatching(/^PUT \/aliases\/stockroom_assets$/),
    ]);
    const created = JSON.parse(requests[2]!.body) as { name: string };
    expect(created.name).toMatch(/^stockroom_assets_\d+$/);
    expect(JSON.parse(requests[3]!.body)).toEqual({ collection_name: created.name });
    expect(requests.every((r) => r.apiKey === 'secret-key')).toBe(true);
  });

  it('creates the collection once when several workers start at once', async () => {
    requests.length = 0;
    let alias: string | undefined;
    reply = (r) => {
      if (r.method === 'GET')
        return alias ? { status: 200, body: { name: 'stockroom_assets', collection_name: alias } } : { status: 404, body: { message: 'Not Found' } };
      if (r.method === 'PUT') alias = (JSON.parse(r.body) as { collection_name: string }).collection_name;
      return { status: 201, body: { name: 'x', num_documents: 0 } };
    };
    const port = (server.address() as AddressInfo).port;
    const workers = Array.from({ length: 4 }, () => new TypesenseSearchIndex(db, { url: `http://127.0.0.1:${port}`, apiKey: 'secret-key' }));
    await Promise.all(workers.map((w) => w.prepare()));
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/collections')).toHaveLength(1);
    expect(alias).toMatch(/^stockroom_assets_\d+$/);
  });

  it('takes a list of cluster nodes and goes on to the next when one does not answer', async () => {
    requests.length = 0;
    reply = () => ({ status: 200, body: { name: 'stockroom_assets', collection_name: 'stockroom_assets_1' } });
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const downPort = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const live = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clustered = new TypesenseSearchIndex(db, { url: [`http://127.0.0.1:${downPort}`, live], apiKey: 'secret-key' });
    await clustered.prepare();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /aliases/stockroom_assets']);
  });

  it('upserts live assets and deletes the others in sync', async () => {
    const seed = await SearchSeeder.create(db);
    const [live, deleted] = await seed.assets([
      { name: 'Live logo', tags: ['logo'] },
      { name: 'Gone', deleted: true },
    ]);
    requests.length = 0;
    reply = (r) => (r.path.endsWith('/import') ? { status: 200, body: '{"success":true}' } : { status: 200, body: { num_deleted: 1 } });
    await index.sync([live!, deleted!]);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /collections/stockroom_assets/documents/import',
      'DELETE /collections/stockroom_assets/documents',
    ]);
    expect(requests[0]!.query).toMatchObject({ action: 'upsert' });
    const docs = requests[0]!.body.split('\n').map((line) => JSON.parse(line) as { id: string; name: string; tag_keys: string[] });
    expect(docs.map((d) => [d.id, d.name, d.tag_keys])).toEqual([[live, 'Live logo', ['logo']]]);
    expect(requests[1]!.query.filter_by).toBe(`id:[\`${deleted}\`]`);
  });

  it('searches through the alias and maps hits, highlights, facets and the cursor', async () => {
    requests.length = 0;
    reply = () => ({
      status: 200,
      body: {
        found: 3,
        hits: [
          {
            document: { id: 'a1' },
            text_match: 1,
            highlight: {
              name: { value: '\u0002Figma\u0003 logo', matched_tokens: ['Figma'] },
              tags: [
                { value: 'brand', matched_tokens: [] },
                { value: '\u0002fig\u0003', matched_tokens: ['fig'] },
              ],
            },
          },
        ],
        facet_counts: [
          {
            field_name: 'kind',
            counts: [
              { value: 'design', count: 2 },
              { value: 'image', count: 1 },
            ],
          },
        ],
      },
    });
    const page = await index.search(query({ text: 'figm', facets: ['kind'], limit: 1, filters: { tags: ['x`y'] } }));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.path).toBe('/collections/stockroom_assets/documents/search');
    expect(requests[0]!.query).toMatchObject({ q: 'figm', filter_by: 'tag_keys:=`x y`', facet_by: 'kind', page: '1', per_page: '1' });
    expect(page).toEqual({
      hits: [
        {
          assetId: 'a1',
          highlights: [
            {
              field: 'name',
              parts: [
                { text: 'Figma', match: true },
                { text: ' logo', match: false },
              ],
            },
            { field: 'tags', parts: [{ text: 'fig', match: true }] },
          ],
        },
      ],
      facets: {
        kind: [
          { value: 'design', count: 2 },
          { value: 'image', count: 1 },
        ],
      },
      nextCursor: expect.any(String),
      total: 3,
      totalIsEstimate: false,
      facetsAreEstimate: false,
    });
    requests.length = 0;
    await index.search(query({ text: 'figm', limit: 1, cursor: page.nextCursor! }));
    expect(requests[0]!.query.page).toBe('2');
  });

  it('answers the upload-date counts from one count-only request per instant', async () => {
    requests.length = 0;
    reply = (r) => ({ status: 200, body: { found: r.query.per_page === '0' ? (r.query.filter_by?.includes('1773097200000') ? 2 : 5) : 9, hits: [] } });
    const today = '2026-03-10T00:00:00.000+01:00'; // 1773097200000
    const month = '2026-02-09T00:00:00.000+01:00';
    const page = await index.search(query({ limit: 5, createdSince: [today, month] }));
    expect(requests).toHaveLength(3);
    expect(requests.filter((r) => r.query.per_page === '0').map((r) => r.query.filter_by)).toEqual(
      expect.arrayContaining([`created_at:>=${Date.parse(today)}`, `created_at:>=${Date.parse(month)}`]),
    );
    expect(page.createdSince).toEqual([
      { value: today, count: 2 },
      { value: month, count: 5 },
    ]);
    expect(page.total).toBe(9);
    requests.length = 0;
    expect((await index.search(query({ limit: 5 }))).createdSince).toBeUndefined();
    expect(requests).toHaveLength(1);
  });

  it('limits a member without grants to unfiled assets', async () => {
    requests.length = 0;
    reply = () => ({ status: 200, body: { found: 0, hits: [] } });
    await index.search(query({ readableCollectionIds: [] }));
    expect(requests[0]!.query.filter_by).toBe('collection_key:=[`unfiled`]');
  });
});
