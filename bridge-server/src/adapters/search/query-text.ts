/** Longest query text considered; the rest of a pasted essay is ignored rather than refused. */
const MAX_TEXT_CHARS = 512;
const MAX_TERMS = 12;
const MAX_TERM_CHARS = 64;

/**
 * The search terms of what the user typed: runs of letters and digits, lower case.
 * Everything else (quotes, operators, `%`, `_`, backslashes, emoji) only separates
 * terms, so no input can change the meaning of a query. Accent folding is left to
 * each backend, which must fold the same way it folded the documents.
 */
export function queryTerms(text: string): string[] {
  const terms = text
    .slice(0, MAX_TEXT_CHARS)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .map((term) => term.slice(0, MAX_TERM_CHARS));
  return [...new Set(terms)].slice(0, MAX_TERMS);
}
