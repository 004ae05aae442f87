import type { SearchHighlight } from '@stockroom/shared-types';

type Part = SearchHighlight['parts'][number];

/**
 * Turns a backend's marked-up snippet into plain parts. Backends are asked to mark
 * matches with control characters that cannot occur in names, so user text that
 * looks like markup stays text.
 */
export function parseMarked(marked: string, start: string, end: string): Part[] {
  const parts: Part[] = [];
  let rest = marked;
  while (rest.length > 0) {
    const open = rest.indexOf(start);
    if (open === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf(end, open + start.length);
    const stop = close === -1 ? rest.length : close;
    const text = rest.slice(open + start.length, stop);
    if (text) parts.push({ text, match: true });
    rest = close === -1 ? '' : rest.slice(close + end.length);
  }
  return parts;
}
