// Generated assets for the search benchmark, written straight into the core tables
// by SQL (a million rows in minutes). Words come from the brand names of the
// simple-icons package plus photo vocabulary, with a skew so some words are common
// and most are rare, as in a real library.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PrismaClient } from '@stockroom/prisma';

export const PHOTO_WORDS = (
  'sunset sunrise beach mountain forest river lake ocean city skyline street market bridge tower lighthouse harbour ' +
  'desert snow winter summer autumn spring flower garden park portrait family wedding party concert festival food ' +
  'coffee café bakery restaurant kitchen office meeting team laptop phone studio product packaging bottle label ' +
  'poster banner flyer brochure logo icon badge pattern texture background gradient abstract minimal vintage retro ' +
  'neon night light shadow reflection window door architecture interior exterior house building church museum ' +
  'train station airport car bicycle boat plane road highway tunnel cliff waterfall glacier volcano island palm ' +
  'dog cat horse bird butterfly fish whale lion tiger elephant zebra giraffe monkey bear fox wolf deer rabbit owl ' +
  'red blue green yellow orange purple pink black white golden silver misty stormy quiet busy snowy sunlit rainy'
).split(' ');

export const PLACES = [
  'Lisbon',
  'Reykjavík',
  'Kyoto',
  'Montréal',
  'Zürich',
  'São Paulo',
  'Cape Town',
  'Oslo',
  'Málaga',
  'Kraków',
  'Berlin',
  'Lagos',
  'Lima',
  'Hanoi',
  'Quebec',
];

/** Distinct lower-case words of the simple-icons brand names. */
export function brandWords(): string[] {
  const entry = createRequire(import.meta.url).resolve('simple-icons');
  const icons = JSON.parse(readFileSync(path.join(path.dirname(entry), 'data', 'simple-icons.json'), 'utf8')) as { title: string }[];
  const words = new Set<string>();
  for (const icon of icons) {
    for (const word of icon.title.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word.length >= 3) words.add(word);
  }
  return [...words].sort();
}

/** Skewed pick: index ~ n * r^1.3, the same law the SQL generator uses (the commonest photo word ends up on ~4% of assets). */
export function skewedPick<T>(values: readonly T[], random: () => number): T {
  return values[Math.min(values.length - 1, Math.floor(Math.pow(random(), 1.3) * values.length))]!;
}

export async function generateAssets(db: PrismaClient, count: number, log: (message: string) => void): Promise<void> {
  const brands = brandWords();
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION bench_word(words text[]) RETURNS text LANGUAGE sql VOLATILE
    RETURN words[1 + floor(power(random(), 1.3) * array_length(words, 1))::int]`);
  const user = await db.user.create({ data: { email: `bench-${Date.now()}@example.test`, name: 'Bench' } });
  const collections: string[] = [];
  for (let i = 0; i < 20; i++) {
    collections.push((await db.collection.create({ data: { name: `Collection ${i}`, slug: `bench-${Date.now()}-${i}` } })).id);
  }
  const sha = '0'.repeat(64);
  await db.blob.upsert({ where: { sha256: sha }, create: { sha256: sha, size: 1000n, storageKey: 'bench' }, update: {} });
  const batch = 50_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await db.$executeRawUnsafe(
      `WITH a AS (
         INSERT INTO assets (id, "collectionId", name, description, kind, tags, metadata, "headVersion", "createdById", "createdAt", "updatedAt")
         SELECT gen_random_uuid(),
                ($1::uuid[])[1 + floor(random() * array_length($1::uuid[], 1))::int],
                initcap(bench_word($2)) || ' ' || initcap(bench_word($3)) || CASE WHEN random() < 0.5 THEN ' ' || initcap(bench_word($3)) ELSE '' END,
                'A ' || bench_word($3) || ' ' || bench_word($3) || ' with ' || bench_word($2) || ' in ' || bench_word($4),
                (ARRAY['image','image','image','image','video','document','design','audio'])[1 + floor(random() * 8)::int]::"AssetKind",
                ARRAY[bench_word($3), bench_word($3), bench_word($2)],
                '{}'::jsonb, 1, $5::uuid, t, t + random() * interval '30 days'
           FROM (SELECT now() - random() * interval '730 days' AS t FROM generate_series(1, $6::int)) g
         RETURNING id, kind, name, "createdAt"
       )
       INSERT INTO versions (id, "assetId", number, "blobSha256", size, "mimeType", "originalName", "authorId", metadata, "createdAt")
       SELECT gen_random_uuid(), a.id, 1, $7, 1000,
              CASE a.kind WHEN 'image' THEN (ARRAY['image/jpeg','image/jpeg','image/png','image/webp'])[1 + floor(random() * 4)::int]
                          WHEN 'video' THEN 'video/mp4' WHEN 'document' THEN 'application/pdf'
                          WHEN 'design' THEN 'image/vnd.adobe.photoshop' ELSE 'audio/mpeg' END,
              a.name || '.bin', $5::uuid,
              jsonb_build_object('width', w, 'height', h, 'keywords', jsonb_build_array(bench_word($3), bench_word($4)),
                                 'camera', (ARRAY['Canon EOS R5','Nikon Z7','Sony A7 IV','Fujifilm X-T5'])[1 + floor(random() * 4)::int]),
              a."createdAt"
         -- The condition on a makes the lateral run per row (uncorrelated, random() would be drawn once).
         FROM a, LATERAL (SELECT CASE WHEN random() < 0.65 THEN 6000 ELSE 4000 END AS w, CASE WHEN random() < 0.35 THEN 6000 ELSE 4000 END AS h
                          WHERE a.id IS NOT NULL) d`,
      collections,
      brands,
      PHOTO_WORDS,
      PLACES,
      user.id,
      n,
      sha,
    );
    log(`generated ${done + n} assets`);
  }
  await db.$executeRawUnsafe('ANALYZE assets');
  await db.$executeRawUnsafe('ANALYZE versions');
}
