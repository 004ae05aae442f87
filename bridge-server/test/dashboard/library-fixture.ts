import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import type { TestServer } from '../support/server.ts';

/** A deterministic pseudo-random sequence, so every run draws the same scenes (the grain differs). */
function random(seed: number): () => number {
  let s = Math.imul(seed + 1, 2654435761) >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * A real photograph-like JPEG: a two-colour gradient sky, hills and a sun, with grain.
 * Real pixels (not a flat colour), so thumbnails and previews have something to show.
 */
export async function landscapeJpeg(seed: number, width = 640, height = 420): Promise<Buffer> {
  const r = random(seed);
  const hue = Math.floor(r() * 360);
  const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h) % 360},${s}%,${l}%)`;
  const hills = Array.from({ length: 3 }, (_, i) => {
    const base = height * (0.55 + i * 0.12);
    const points = Array.from({ length: 9 }, (_, k) => `${(k / 8) * width},${base - r() * height * 0.18}`).join(' ');
    return `<polygon points="0,${height} ${points} ${width},${height}" fill="${hsl(hue + 120 + i * 20, 35 + i * 10, 38 - i * 9)}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(hue, 70, 45)}"/><stop offset="1" stop-color="${hsl(hue + 40, 80, 78)}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <circle cx="${width * (0.2 + r() * 0.6)}" cy="${height * (0.2 + r() * 0.2)}" r="${20 + r() * 40}" fill="${hsl(hue + 180, 90, 70)}"/>
    ${hills}</svg>`;
  const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 18 } } })
    .png()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 82 })
    .toBuffer();
}

export interface SeedSpec {
  name: string;
  collectionId?: string | null;
  tags?: string[];
  seed: number;
}

/** Uploads each picture and creates its asset over the real WebSocket protocol, as a panel does. */
export async function seedPictures(server: TestServer, userId: string, token: string, specs: SeedSpec[]): Promise<string[]> {
  const socket = await RawSocket.signedIn(server.wsUrl, token);
  const ids: string[] = [];
  try {
    for (const spec of specs) {
      const bytes = await landscapeJpeg(spec.seed);
      const upload = await seedUpload(server.stockroom, userId, { bytes, fileName: spec.name, mimeType: 'image/jpeg' });
      const asset = await socket.call('assets.create', {
        uploadId: upload.uploadId,
        name: spec.name,
        ...(spec.collectionId ? { collectionId: spec.collectionId } : {}),
        ...(spec.tags ? { tags: spec.tags } : {}),
      });
      ids.push(asset.id);
    }
  } finally {
    socket.close();
  }
  return ids;
}

/** Waits until every one of these assets has its thumbnail made by the real derivative worker. */
export async function waitForThumbnails(server: TestServer, assetIds: string[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await server.stockroom.database.prisma.derivative.count({
      where: { preset: 'thumbnail', status: 'ready', version: { assetId: { in: assetIds } } },
    });
    if (ready >= assetIds.length) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${assetIds.length} thumbnails were made in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const axeSource = (() => {
  const require = createRequire(import.meta.url);
  return require('node:fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') as string;
})();

/** axe-core's critical and serious violations on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Audit the settled screen: a list or grid dims itself while it refetches (aria-busy), and
  // its dimmed text is not what the person reads once the answer is in.
  await page.waitForFunction(
    () => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('[aria-busy="true"]'),
    undefined,
    {
      timeout: 15_000,
    },
  );
  // Evaluated through the DevTools protocol: the dashboard's Content-Security-Policy rightly refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}
