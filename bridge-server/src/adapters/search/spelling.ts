import damerauLevenshtein from 'damerau-levenshtein';

/** A word is corrected to at most this many name words. */
export const CORRECTIONS_PER_WORD = 5;

/**
 * Typos a typed word of this length may have (a transposition is one): one from 3 letters,
 * two from 7. A typed word is a letter short when the typo was a deletion, so "nke" may
 * mean Nike; a 3-letter word is only matched to longer words (see stockroom_word_variants:
 * its variants are itself), so "cat" may mean cart but never cut.
 */
export function typosAllowed(length: number): number {
  if (length >= 7) return 2;
  if (length >= 3) return 1;
  return 0;
}

/** One search term as the database normalised it, with the name words that share a deletion variant with it. */
export interface TermCandidates {
  /** Lower case, accents folded, as the index spells words. */
  term: string;
  /** The term's own tsquery (a prefix for the last term). */
  query: string;
  /** Name words that share a deletion variant with the term (it may be among them). */
  words: string[];
}

export interface Correction {
  word: string;
  distance: number;
}

/**
 * The name words a term may have been meant as, closest first. Candidates come from the
 * deletion variants, which also let through words further away than allowed; the real
 * distance decides. Ties go to the commonest typos: a swap of two neighbouring letters
 * ("pixles" → pixels before pixies), then a left-out letter ("clud" → cloud before clue).
 */
export function correctionsOf(candidates: TermCandidates): Correction[] {
  const { term } = candidates;
  const allowed = typosAllowed(term.length);
  if (allowed === 0 || candidates.words.includes(term)) return [];
  const out: Correction[] = [];
  for (const word of candidates.words) {
    const steps = damerauLevenshtein(term, word).steps;
    if (steps === 0 || steps > allowed) continue;
    const tie = isAdjacentSwap(term, word) ? 0.1 : word.length > term.length ? 0.05 : 0;
    out.push({ word, distance: steps - tie });
  }
  out.sort((a, b) => a.distance - b.distance || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return out.slice(0, CORRECTIONS_PER_WORD);
}

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/**
 * The query for typos: every term as typed or as one of its corrections
 * (`(pixles | 'pixels' | 'pixies') & city:*`), and the text with each term replaced by its
 * closest correction, for ranking typo matches by how close the name is to what was meant.
 */
export function correctedQuery(terms: readonly TermCandidates[]): { tsquery: string; key: string } {
  const parts: string[] = [];
  const keyWords: string[] = [];
  for (const t of terms) {
    const corrections = correctionsOf(t);
    parts.push(`(${[t.query, ...corrections.map((c) => quoteLexeme(c.word))].join(' | ')})`);
    keyWords.push(corrections[0]?.word ?? t.term);
  }
  return { tsquery: parts.join(' & '), key: keyWords.join(' ') };
}

// Name words are runs of letters and digits (see ADD_WORDS_SQL); quoting keeps the
// tsquery syntax out of them all the same.
function quoteLexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
