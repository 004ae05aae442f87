// A realistic corpus: the brand logos of the simple-icons package (titles, slugs,
// aliases, brand colours) plus generated photos with keywords and captions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SeedAsset } from './seed.ts';

interface SimpleIcon {
  title: string;
  slug: string;
  hex: string;
  source: string;
  aliases?: { aka?: string[]; loc?: Record<string, string> };
}

export function simpleIconAssets(collectionId: string): SeedAsset[] {
  // The package exports only the icons; the data file with aliases sits beside its entry point.
  const entry = createRequire(import.meta.url).resolve('simple-icons');
  const icons = JSON.parse(readFileSync(path.join(path.dirname(entry), 'data', 'simple-icons.json'), 'utf8')) as SimpleIcon[];
  return icons.map((icon) => ({
    name: icon.title,
    kind: 'design',
    collectionId,
    description: `${icon.title} logo`,
    tags: ['logo', 'brand', ...(icon.aliases?.aka ?? [])],
    metadata: { slug: icon.slug, hex: `#${icon.hex}`, source: icon.source, localized: Object.values(icon.aliases?.loc ?? {}) },
    mimeType: 'image/svg+xml',
    versionMetadata: { width: 24, height: 24, colour: icon.hex },
  }));
}

/** Desktop apps the current simple-icons release no longer carries (Adobe asked for its logos to be removed). */
export function appIconAssets(collectionId: string): SeedAsset[] {
  return ['Adobe Photoshop', 'Adobe Premiere Pro', 'Adobe Illustrator', 'Adobe After Effects', 'Adobe Lightroom'].map((name) => ({
    name,
    kind: 'design',
    collectionId,
    description: `${name} application icon`,
    tags: ['logo', 'app'],
    mimeType: 'image/png',
    versionMetadata: { width: 512, height: 512 },
  }));
}

const SUBJECTS = [
  'lighthouse',
  'harbour',
  'mountain',
  'forest',
  'skyline',
  'market',
  'bicycle',
  'waterfall',
  'vineyard',
  'bridge',
  'portrait',
  'desert',
  'glacier',
  'meadow',
  'cathedral',
];
const MOODS = ['misty', 'golden', 'stormy', 'quiet', 'busy', 'snowy', 'sunlit', 'rainy'];
const PLACES = ['Lisbon', 'Reykjavík', 'Kyoto', 'Montréal', 'Zürich', 'São Paulo', 'Cape Town', 'Oslo', 'Málaga', 'Kraków'];
const CAMERAS = ['Canon EOS R5', 'Nikon Z7', 'Sony A7 IV', 'Fujifilm X-T5', 'Leica Q2'];

/** Deterministic photos: "Misty lighthouse, Lisbon" with keywords, a caption and EXIF-like facts. */
export function photoAssets(collectionId: string, count: number, seed = 42): SeedAsset[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const photos: SeedAsset[] = [];
  for (let i = 0; i < count; i++) {
    const subject = pick(SUBJECTS);
    const mood = pick(MOODS);
    const place = pick(PLACES);
    const landscape = next() < 0.7;
    photos.push({
      name: `${mood[0]!.toUpperCase()}${mood.slice(1)} ${subject}, ${place} ${i + 1}`,
      kind: 'image',
      collectionId,
      description: `A ${mood} ${subject} photographed in ${place}.`,
      tags: ['photo', subject, mood],
      mimeType: next() < 0.8 ? 'image/jpeg' : 'image/webp',
      versionMetadata: {
        width: landscape ? 6000 : 4000,
        height: landscape ? 4000 : 6000,
        camera: pick(CAMERAS),
        keywords: [subject, mood, place],
        caption: `${place}: ${mood} ${subject}`,
      },
    });
  }
  // A few café photos, for accent folding in both directions.
  photos.push(
    {
      name: 'Café terrace at night',
      kind: 'image',
      collectionId,
      tags: ['photo', 'café'],
      mimeType: 'image/jpeg',
      versionMetadata: { width: 5000, height: 3000 },
    },
    {
      name: 'Cafe sign, Brooklyn',
      kind: 'image',
      collectionId,
      tags: ['photo', 'sign'],
      mimeType: 'image/jpeg',
      versionMetadata: { width: 3000, height: 5000 },
    },
  );
  return photos;
}
