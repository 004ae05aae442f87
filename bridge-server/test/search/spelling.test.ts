// Spelling corrections and name words: the pure rules, and the SQL functions of the Postgres
// backend against their JavaScript twins.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameWords } from '../../src/adapters/search/name-words.ts';
import { correctedQuery, correctionsOf, typosAllowed } from '../../src/adapters/search/spelling.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const candidates = (term: string, words: string[], last = false) => ({ term, query: `'${term}'${last ? ':*' : ''}`, words });

describe('spelling corrections', () => {
  it('allows one typo from 3 typed letters and two from 7', () => {
    expect([2, 3, 6, 7, 12].map(typosAllowed)).toEqual([0, 1, 1, 2, 2]);
  });

  it('counts a swap of neighbouring letters as one typo and prefers it to other single edits', () => {
    // "pixel" is two edits away: too many for six letters.
    expect(correctionsOf(candidates('pixles', ['pixies', 'pixels', 'pixel'])).map((c) => c.word)).toEqual(['pixels', 'pixies']);
    expect(correctionsOf(candidates('ctiy', ['city', 'cite']))).toEqual([{ word: 'city', distance: 0.9 }]);
  });

  it('keeps only candidates within the allowed distance', () => {
    // "portrait" is one swap away; "portal" three edits; "pot" too short a word to be meant.
    expect(correctionsOf(candidates('portriat', ['portrait', 'portal', 'pot'])).map((c) => c.word)).toEqual(['portrait']);
    expect(correctionsOf(candidates('wodo', ['wood', 'word', 'woodland'])).map((c) => c.word)).toEqual(['wood']);
    expect(correctionsOf(candidates('mentorcrusie', ['mentorcruise'])).map((c) => c.word)).toEqual(['mentorcruise']);
    expect(correctionsOf(candidates('mentrocrusie', ['mentorcruise'])).map((c) => c.word)).toEqual(['mentorcruise']);
    expect(correctionsOf(candidates('mentrocrusei', ['mentorcruise']))).toEqual([]);
  });

  it('does not correct a word that is spelt like a name word', () => {
    expect(correctionsOf(candidates('city', ['city', 'cite']))).toEqual([]);
  });

  it('builds the corrected tsquery and the corrected text', () => {
    const query = correctedQuery([candidates('gogle', ['google', 'goggles']), candidates('clud', ['cloud', 'clue'], true)]);
    expect(query.tsquery).toBe(`('gogle' | 'google') & ('clud':* | 'cloud' | 'clue')`);
    expect(query.key).toBe('google cloud');
  });

  it('quotes what it puts into the tsquery', () => {
    expect(correctedQuery([candidates('oneil', ["o'neil"])]).tsquery).toBe(`('oneil' | 'o''neil')`);
  });
});

describe('name words', () => {
  const names = [
    'Node.js',
    'Last.fm',
    'GitHub',
    'iOS',
    'HTMLParser',
    'my_file-v2',
    'Adobe Photoshop',
    'Café  Crème!',
    'socket.io',
    'Take-Two Interactive Software',
    'PortableApps.com',
    'WebdriverIO',
    'Zürich.Straße',
    '3D Slicer',
    'A',
  ];
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('splits at dots, dashes, underscores and camel case, and joins what punctuation glued', () => {
    expect(nameWords('Node.js')).toBe('Node js Nodejs');
    expect(nameWords('GitHub')).toBe('Git Hub');
    expect(nameWords('HTMLParser')).toBe('HTML Parser');
    expect(nameWords('Adobe Photoshop')).toBe('');
  });

  it('gives the index the same words in SQL and in JavaScript', async () => {
    for (const name of names) {
      const { rows } = await client.query<{ sql: string[]; js: string[] }>(
        `SELECT tsvector_to_array(to_tsvector('stockroom_search', stockroom_name_words($1))) AS sql,
                tsvector_to_array(to_tsvector('stockroom_search', $1 || ' ' || $2)) AS js`,
        [name, nameWords(name)],
      );
      expect(rows[0]!.js.sort(), name).toEqual(rows[0]!.sql.sort());
    }
  });

  it('derives the deletion variants of a word in SQL', async () => {
    const variants = async (word: string) => (await client.query<{ v: string }>('SELECT stockroom_word_variants($1) AS v', [word])).rows.map((r) => r.v).sort();
    expect(await variants('cat')).toEqual(['cat']);
    expect(await variants('city')).toEqual(['cit', 'city', 'ciy', 'cty', 'ity']);
    // Seven letters: up to two deletions.
    expect((await variants('spotify')).length).toBe(1 + 7 + 21);
    expect(await variants('spotify')).toContain('sptfy');
  });
});
