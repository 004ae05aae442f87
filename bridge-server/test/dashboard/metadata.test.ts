import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { makeTempDir, startTestServer, type TestServer, type TestUser } from '../support/server.ts';
import { ADMIN_PASSWORD, ensureDashboardBuilt, launchBrowser, recordProblems, signIn } from './browser.ts';
import { landscapeJpeg, seedPictures, seriousAccessibilityViolations } from './library-fixture.ts';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : makeTempDir('metadata-screenshots');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let problems: string[];
let collection: { id: string; name: string };
let photoId: string;
let photographer: TestUser;
let socket: RawSocket;

const prisma = () => server.stockroom.database.prisma;

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ env: { STOCKROOM_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  photographer = await server.createUser({ name: 'Ana Lima' });
  const admin = await prisma().user.findFirstOrThrow({ where: { email: server.stockroom.config.admin.email } });
  socket = await RawSocket.signedIn(server.wsUrl, server.adminToken);
  collection = await socket.call('collections.create', { name: 'Spring shoot' });
  // Tags other assets already carry, for the autocomplete: "outdoor" three times, "outline" once.
  await seedPictures(server, admin.id, server.adminToken, [
    { name: 'hills-1.jpg', collectionId: collection.id, tags: ['outdoor', 'hero'], seed: 11 },
    { name: 'hills-2.jpg', collectionId: collection.id, tags: ['outdoor'], seed: 12 },
    { name: 'hills-3.jpg', collectionId: collection.id, tags: ['outdoor', 'outline'], seed: 13 },
  ]);
  // A photograph with real EXIF, as a camera writes it.
  const bytes = await sharp(await landscapeJpeg(21, 1200, 800))
    .withExif({ IFD0: { Make: 'FUJIFILM', Model: 'X-T5', Artist: 'Ana Lima', Copyright: 'Copyright Stockroom Studio 2026' } })
    .jpeg({ quality: 85 })
    .toBuffer();
  const upload = await seedUpload(server.stockroom, admin.id, { bytes, fileName: 'meadow.jpg', mimeType: 'image/jpeg' });
  photoId = (await socket.call('assets.create', { uploadId: upload.uploadId, name: 'meadow.jpg', collectionId: collection.id })).id;
  // The metadata job (the real worker) reads the file's facts into the version.
  const deadline = Date.now() + 60_000;
  while (((await prisma().version.findFirstOrThrow({ where: { assetId: photoId } })).metadata as { width?: number }).width !== 1200) {
    if (Date.now() > deadline) throw new Error('the metadata job never read the photograph');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  context = await launchBrowser();
  page = await context.newPage();
  problems = recordProblems(page);
  await signIn(page, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
}, 180_000);

afterAll(async () => {
  socket?.close();
  await context?.close();
  await server?.destroy();
});

async function addField(label: string, type: string, extra: (field: ReturnType<Page['locator']>) => Promise<void> = async () => {}): Promise<void> {
  const form = page.getByRole('form', { name: 'Metadata schema' });
  await form.getByRole('button', { name: 'Add a field' }).click();
  const field = form.locator('fieldset.schema-field').last();
  await field.getByLabel('Label').fill(label);
  await field.getByLabel('Type').selectOption(type);
  await extra(field);
}

describe('structured metadata in the dashboard', () => {
  it('a manager defines a collection’s metadata schema as a form', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Collections & grants' }).click();
    await page.getByRole('button', { name: 'Spring shoot' }).click();
    await page.getByRole('heading', { name: 'Metadata fields of “Spring shoot”' }).waitFor();
    await page.getByText('No fields yet.').waitFor();
    await addField('Client', 'text', (f) => f.getByLabel('Required').check());
    await addField('Shot count', 'number', async (f) => {
      await f.getByLabel('Lowest allowed').fill('1');
      await f.getByLabel('Highest allowed').fill('500');
    });
    await addField('Shoot date', 'date');
    await addField('Usage', 'choice', (f) => f.getByLabel('Options (comma separated)').fill('web, print, social'));
    await addField('Photographer', 'people');
    await addField('Usage rights', 'rights');
    await page.getByRole('button', { name: 'Save schema' }).click();
    await page.getByRole('status').getByText('Schema saved.').waitFor();
    const stored = await prisma().metadataSchema.findUniqueOrThrow({ where: { collectionId: collection.id } });
    expect(stored.fields).toMatchObject([
      { key: 'client', type: 'text', required: true },
      { key: 'shot_count', type: 'number', min: 1, max: 500 },
      { key: 'shoot_date', type: 'date' },
      { key: 'usage', type: 'choice', options: ['web', 'print', 'social'] },
      { key: 'photographer', type: 'people' },
      { key: 'usage_rights', type: 'rights' },
    ]);
    // Reordering: "Usage" moves above "Shoot date" and stays there after a save.
    await page.getByRole('button', { name: 'Move Usage up' }).click();
    await page.getByRole('button', { name: 'Save schema' }).click();
    await expect
      .poll(async () =>
        ((await prisma().metadataSchema.findUniqueOrThrow({ where: { collectionId: collection.id } })).fields as Array<{ key: string }>).map((f) => f.key),
      )
      .toEqual(['client', 'shot_count', 'usage', 'shoot_date', 'photographer', 'usage_rights']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-metadata-schema.png'), fullPage: true });
  });

  it('refuses a schema with a duplicate key or a choice without options, saying what to fix', async () => {
    const reply = await socket.request('metadata.saveSchema', {
      collectionId: collection.id,
      fields: [
        { key: 'client', label: 'Client', type: 'text' },
        { key: 'client', label: 'Customer', type: 'text' },
      ],
      baseUpdatedAt: null,
    });
    expect(reply.error?.code).toBe('VALIDATION_FAILED');
    expect(reply.error?.message).toContain('the key “client” is used twice; give each field its own key');
    const choice = await socket.request('metadata.saveSchema', {
      collectionId: collection.id,
      fields: [{ key: 'tier', label: 'Tier', type: 'choice' }],
      baseUpdatedAt: null,
    });
    expect(choice.error?.code).toBe('VALIDATION_FAILED');
    expect(choice.error?.message).toContain('the choice field “Tier” needs at least one option');
    const stale = await socket.request('metadata.saveSchema', { collectionId: collection.id, fields: [], baseUpdatedAt: null });
    expect(stale.error?.code).toBe('VERSION_CONFLICT');
    expect(((await prisma().metadataSchema.findUniqueOrThrow({ where: { collectionId: collection.id } })).fields as unknown[]).length).toBe(6);
  });

  it('shows every refused value next to its field with a stable code, and saves nothing', async () => {
    await page.goto(`${server.url}/admin/assets/${photoId}`);
    const form = page.getByRole('form', { name: 'Metadata fields' });
    await form.getByLabel('Shot count').fill('a dozen');
    await form.getByLabel('Shoot date').fill('2026-03-14');
    await form.getByRole('button', { name: 'Save metadata' }).click();
    await form.getByRole('alert').getByText('2 values were not saved').waitFor();
    expect(await form.locator('#field-client-error').getAttribute('data-code')).toBe('required');
    expect(await form.locator('#field-client-error').textContent()).toBe('Client is required.');
    expect(await form.locator('#field-shot_count-error').getAttribute('data-code')).toBe('not-a-number');
    expect(await form.getByLabel('Shot count').getAttribute('aria-invalid')).toBe('true');
    expect(await prisma().assetFieldValues.findUnique({ where: { assetId: photoId } })).toBeNull();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the server checks each field type over the protocol too (codes in error.data.fields)', async () => {
    const reply = await socket.request('metadata.saveFields', {
      assetId: photoId,
      values: {
        client: 'x'.repeat(2001),
        shot_count: 900,
        shoot_date: '2026-02-31',
        usage: 'billboard',
        photographer: ['00000000-0000-4000-8000-000000000000'],
        usage_rights: { expiresAt: 'soon' },
        mood: 'sunny',
      },
      baseUpdatedAt: null,
    });
    expect(reply.error?.code).toBe('VALIDATION_FAILED');
    const codes = Object.fromEntries(((reply.error?.data?.fields ?? []) as Array<{ field: string; code: string }>).map((e) => [e.field, e.code]));
    expect(codes).toEqual({
      mood: 'unknown-field',
      client: 'too-long',
      shot_count: 'out-of-range',
      shoot_date: 'not-a-date',
      usage: 'not-a-choice',
      photographer: 'unknown-person',
      usage_rights: 'not-rights',
    });
    expect(await prisma().assetFieldValues.findUnique({ where: { assetId: photoId } })).toBeNull();
  });

  it('saves valid values, shows them after a reload, flags expired rights, and refuses a stale save', async () => {
    await page.reload();
    const form = page.getByRole('form', { name: 'Metadata fields' });
    await form.getByLabel('Client (required)').fill('Northwind Outdoor');
    await form.getByLabel('Shot count').fill('48');
    await form.getByLabel('Shoot date').fill('2026-03-14');
    await form.getByLabel('Usage').selectOption('print');
    await form.getByRole('group', { name: 'Photographer' }).getByLabel('Ana Lima').check();
    await form.getByLabel('Rights statement').fill('Licensed from Northwind for print until the end of 2025');
    await form.getByLabel('Rights expire on').fill('2025-12-31');
    await form.getByRole('button', { name: 'Save metadata' }).click();
    await form.getByRole('status').getByText('Usage rights have expired').waitFor();
    const stored = await prisma().assetFieldValues.findUniqueOrThrow({ where: { assetId: photoId } });
    expect(stored.values).toEqual({
      client: 'Northwind Outdoor',
      shot_count: 48,
      shoot_date: '2026-03-14',
      usage: 'print',
      photographer: [photographer.id],
      usage_rights: { statement: 'Licensed from Northwind for print until the end of 2025', expiresAt: '2025-12-31' },
    });
    await page.reload();
    expect(await page.getByLabel('Client (required)').inputValue()).toBe('Northwind Outdoor');
    expect(await page.getByLabel('Shot count').inputValue()).toBe('48');
    expect(await page.getByRole('group', { name: 'Photographer' }).getByLabel('Ana Lima').isChecked()).toBe(true);

    // Somebody else saved since this base: refused, never silently overwritten.
    const stale = await socket.request('metadata.saveFields', { assetId: photoId, values: { client: 'Other' }, baseUpdatedAt: null });
    expect(stale.error?.code).toBe('VERSION_CONFLICT');
    expect(((await prisma().assetFieldValues.findUniqueOrThrow({ where: { assetId: photoId } })).values as { client: string }).client).toBe(
      'Northwind Outdoor',
    );
  });

  it('shows the dimensions and EXIF facts read from the file, read-only', async () => {
    const facts = page.getByTestId('file-facts');
    const fact = async (label: string) =>
      (
        await facts
          .locator('div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
          .locator('dd')
          .textContent()
      )?.trim();
    await facts.waitFor();
    expect(await fact('Dimensions')).toBe('1,200 × 800 px');
    expect(await fact('Camera')).toBe('FUJIFILM X-T5');
    expect(await fact('Creator')).toBe('Ana Lima');
    expect(await fact('Copyright')).toBe('Copyright Stockroom Studio 2026');
    expect(await fact('Format')).toBe('JPEG');
    expect(await facts.locator('input, textarea, select').count()).toBe(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-asset-metadata.png'), fullPage: true });
  });

  it('shows numbers and dates in the reader’s locale (German here)', async () => {
    const german = await launchBrowser({ locale: 'de-DE' });
    try {
      const tab = await german.newPage();
      await signIn(tab, { url: server.url, adminToken: server.adminToken, adminEmail: server.stockroom.config.admin.email });
      await tab.goto(`${server.url}/admin/assets/${photoId}`);
      const facts = tab.getByTestId('file-facts');
      await facts.getByText('1.200 × 800 px').waitFor();
      const created = await tab.getByRole('region', { name: 'Versions' }).locator('tbody tr td').nth(4).textContent();
      expect(created).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    } finally {
      await german.close();
    }
  });

  it('suggests existing tags as you type, most used first, and saves the chosen one', async () => {
    const input = page.getByLabel('Tags', { exact: true });
    await input.fill('out');
    const options = page.getByTestId('tag-suggestions').locator('option');
    await expect
      .poll(async () => options.evaluateAll((all) => all.map((o) => (o as unknown as { value: string }).value)), { timeout: 10_000 })
      .toEqual(['outdoor', 'outline']);
    expect(await options.first().getAttribute('label')).toBe('outdoor (3)');
    await input.fill('outdoor');
    await input.press('Enter');
    await page.getByRole('list', { name: 'Tags: chosen' }).getByText('outdoor').waitFor();
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(async () => (await prisma().asset.findUniqueOrThrow({ where: { id: photoId } })).tags).toEqual(['outdoor']);
    // Typing an existing tag's letters with other text still finds it (contains, not only starts with).
    const reply = await socket.call('metadata.suggestTags', { prefix: 'ER' });
    expect(reply.tags.map((t: { tag: string }) => t.tag)).toEqual(['hero']);
    expect(problems).toEqual([]);
  });
});
