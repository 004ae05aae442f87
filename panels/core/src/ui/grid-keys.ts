/**
 * Arrow-key movement through the results: left/right to the previous/next card, up/down
 * to the card above/below (nearest column; in a list, the previous/next row), Home/End.
 * Reads the laid-out positions, since the number of columns follows the panel's width.
 */
export function nextCardIndex(cards: HTMLElement[], from: number, key: string): number | null {
  if (cards.length === 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return cards.length - 1;
  if (key === 'ArrowRight') return Math.min(cards.length - 1, from + 1);
  if (key === 'ArrowLeft') return Math.max(0, from - 1);
  if (key !== 'ArrowDown' && key !== 'ArrowUp') return null;
  const here = cards[from]!;
  const down = key === 'ArrowDown';
  let best: number | null = null;
  let bestRow = 0;
  let bestDistance = Infinity;
  cards.forEach((card, index) => {
    const rowDelta = card.offsetTop - here.offsetTop;
    if (down ? rowDelta <= 0 : rowDelta >= 0) return;
    const row = Math.abs(rowDelta);
    const distance = Math.abs(card.offsetLeft - here.offsetLeft);
    // The nearest row first, then the nearest column within it.
    if (best === null || row < bestRow || (row === bestRow && distance < bestDistance)) {
      best = index;
      bestRow = row;
      bestDistance = distance;
    }
  });
  return best ?? from;
}

/** The card to focus when the results come back (after Escape from an asset). */
let returnTo: string | null = null;

export function rememberCard(assetId: string): void {
  returnTo = assetId;
}

export function takeRememberedCard(): string | null {
  const id = returnTo;
  returnTo = null;
  return id;
}
