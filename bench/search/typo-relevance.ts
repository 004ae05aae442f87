// Typo tolerance of the Postgres backend, measured as a user feels it: every name of a brand
// corpus (the simple-icons titles, or NAMES_FILE with one name per line) is an asset; each
// query is a whole name with one typo in one of its words — a swap of two neighbouring
// letters, an inserted, a deleted or a substituted letter, in a word of at least 4 letters —
// or two typos in a word of at least 8 letters. It counts how often the intended name comes
// first and how often it is in the top 5 (an asset of the same name counts as the intended one).
// Usage: pnpm --filter @stockroom/bench exec tsx search/typo-relevance.ts   (NAMES_FILE=… QUERIES_PER_KIND=…)
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, createPrismaClient, startEmbeddedPostgres } from '@stockroom/prisma';
import { PostgresSearchIndex } from '../../bridge-server/src/adapters/search/postgres.ts';
import { queryTerms } from '../../bridge-server/src/adapters/search/query-text.ts';

const PER_KIND = Number(process.env.QUERIES_PER_KIND ?? 400);
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

function corpusNames(): string[] {
  if (process.env.NAMES_FILE) {
    return readFileSync(process.env.NAMES_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }
  const entry = createRequire(import.meta.url).resolve('simple-icons');
  const icons = JSON.parse(readFileSync(path.join(path.dirname(entry), 'data', 'simple-icons.json'), 'utf8')) as { title: string }[];
  return icons.map((i) => i.title);
}

let state = 20261204;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

type Kind = 'swap' | 'insertion' | 'deletion' | 'substitution';
function typo(word: string, kind: Kind): string {
  const i = Math.floor(random() * word.length);
  switch (kind) {
    case 'swap': {
      const j = Math.min(i, word.length - 2);
      return word.slice(0, j) + word[j + 1] + word[j] + word.slice(j + 2);
    }
    case 'insertion':
      return word.slice(0, i) + pick(LETTERS) + word.slice(i);
    case 'deletion':
      return word.slice(0, i) + word.slice(i + 1);
    case 'substitution': {
      let c = pick(LETTERS);
      while (c === word[i]) c = pick(LETTERS);
      return word.slice(0, i) + c + word.slice(i + 1);
    }
  }
}

interface Query {
  kind: string;
  text: string;
  intended: string;
}

function makeQueries(names: string[]): Query[] {
  const out: Query[] = [];
  const kinds: Kind[] = ['swap', 'insertion', 'deletion', 'substitution'];
  const withWord = (min: number) => names.filter((n) => queryTerms(n).some((w) => w.length >= min && /^[a-z]+$/.test(w)));
  const oneTypo = withWord(4);
  const twoTypos = withWord(8);
  for (const kind of kinds) {
    for (let i = 0; i < PER_KIND; i++) {
      const name = pick(oneTypo);
      const words = queryTerms(name);
      const target = pick(words.filter((w) => w.length >= 4 && /^[a-z]+$/.test(w)));
      let wrong = typo(target, kind);
      while (wrong === target) wrong = typo(target, kind);
      out.push({ kind, text: words.map((w) => (w === target ? wrong : w)).join(' '), intended: name });
    }
  }
  for (let i = 0; i < PER_KIND; i++) {
    const name = pick(twoTypos);
    const words = queryTerms(name);
    const target = pick(words.filter((w) => w.length >= 8 && /^[a-z]+$/.test(w)));
    let wrong = typo(typo(target, pick(kinds)), pick(kinds));
    while (wrong === target) wrong = typo(typo(target, pick(kinds)), pick(kinds));
    out.push({ kind: 'two typos (8+ letters)', text: words.map((w) => (w === target ? wrong : w)).join(' '), intended: name });
  }
  return out;
}

const names = corpusNames();
const dir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-typos-'));
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755);
const cluster = await startEmbeddedPostgres(dir);
try {
  await applyMigrations(cluster.url);
  const db = createPrismaClient(cluster.url, { max: 2 });
  const user = await db.user.create({ data: { email: 'bench-typos@example.test', name: 'Bench' } });
  await db.$executeRawUnsafe(
    `INSERT INTO assets (id, name, description, kind, tags, metadata, "headVersion", "createdById", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), n, '', 'design', '{}', '{}'::jsonb, 0, $2::uuid, now(), now() FROM unnest($1::text[]) n`,
    names,
    user.id,
  );
  const index = new PostgresSearchIndex(db);
  await index.rebuild();
  const nameOf = new Map((await db.asset.findMany({ select: { id: true, name: true } })).map((a) => [a.id, a.name.toLowerCase()]));
  const queries = makeQueries(names);
  log(`${names.length} names, ${queries.length} queries`);

  const byKind = new Map<string, { n: number; first: number; top5: number; misses: string[] }>();
  for (const q of queries) {
    const page = await index.search({
      text: q.text,
      filters: {},
      readableCollectionIds: 'all',
      userId: user.id,
      facets: [],
      sort: 'relevance',
      cursor: undefined,
      limit: 5,
    });
    const found = page.hits.map((h) => nameOf.get(h.assetId));
    const row = byKind.get(q.kind) ?? { n: 0, first: 0, top5: 0, misses: [] };
    row.n += 1;
    if (found[0] === q.intended.toLowerCase()) row.first += 1;
    if (found.includes(q.intended.toLowerCase())) row.top5 += 1;
    else if (row.misses.length < 8) row.misses.push(`${q.text} → ${found[0] ?? '(nothing)'} (meant ${q.intended})`);
    byKind.set(q.kind, row);
  }
  const pct = (a: number, b: number) => Math.round((1000 * a) / b) / 10;
  const oneTypo = [...byKind.entries()].filter(([k]) => !k.startsWith('two'));
  const sum = (rows: typeof oneTypo, key: 'n' | 'first' | 'top5') => rows.reduce((s, [, r]) => s + r[key], 0);
  console.log(
    JSON.stringify(
      {
        corpus: process.env.NAMES_FILE ? path.basename(process.env.NAMES_FILE) : 'simple-icons titles',
        names: names.length,
        oneTypo: { n: sum(oneTypo, 'n'), firstPct: pct(sum(oneTypo, 'first'), sum(oneTypo, 'n')), top5Pct: pct(sum(oneTypo, 'top5'), sum(oneTypo, 'n')) },
        byKind: Object.fromEntries(
          [...byKind.entries()].map(([k, r]) => [k, { n: r.n, firstPct: pct(r.first, r.n), top5Pct: pct(r.top5, r.n), someMisses: r.misses }]),
        ),
      },
      null,
      2,
    ),
  );
  await db.$disconnect();
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
