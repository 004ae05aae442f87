import { useRef, type KeyboardEvent } from 'react';
import type { BrandEntry } from '@stockroom/shared-types';
import type { Controller } from './controller.ts';
import { useStore } from './store.ts';

const COLUMNS = 3;

/** One section's entries as thumbnail cards: click or Enter inserts, arrows move, drag onto the canvas drops. */
export function Grid({ controller, kit, title, entries }: { controller: Controller; kit: string; title: string; entries: BrandEntry[] }) {
  const state = useStore(controller.store);
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const move = (from: number, event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const all = [...document.querySelectorAll<HTMLButtonElement>('[data-card]')];
    const here = all.indexOf(refs.current[from]!);
    all[Math.max(0, Math.min(all.length - 1, here + step))]?.focus();
  };
  return (
    <section className="sr-section" aria-label={title}>
      <h2 className="sr-subheading">{title}</h2>
      <div className="fg-grid" role="list">
        {entries.map((entry, i) => {
          const variant = controller.variantOf(entry);
          const thumb = controller.thumbnailOf(entry);
          return (
            <div className="fg-cell" role="listitem" key={entry.id}>
              <button
                type="button"
                className="fg-card"
                data-card={entry.id}
                data-version={entry.headVersion}
                ref={(el) => {
                  refs.current[i] = el;
                }}
                title={entry.usageNotes || `Insert ${entry.name}`}
                aria-label={`Insert ${entry.name} (${variant})`}
                aria-busy={state.busy === entry.id}
                draggable
                onClick={() => void controller.insert(kit, entry.id, variant)}
                onKeyDown={(e) => move(i, e)}
                onDragEnd={(e) => controller.main.drop(e.clientX, e.clientY, { kit, entry: entry.id, variant })}
              >
                {thumb ? (
                  <img className="fg-thumb" src={thumb} alt="" draggable={false} />
                ) : (
                  <span className={`fg-thumb sr-thumb--${entry.kind}`} aria-hidden="true">
                    {entry.kind}
                  </span>
                )}
                <span className="fg-name sr-ellipsis">{entry.name}</span>
                {entry.usageNotes && <span className="fg-notes">{entry.usageNotes}</span>}
              </button>
              {entry.variants.length > 1 && (
                <select
                  className="sr-select fg-variant"
                  aria-label={`Variant of ${entry.name}`}
                  value={variant}
                  onChange={(e) => controller.chooseVariant(entry.id, e.target.value)}
                >
                  {entry.variants.map((v) => (
                    <option key={v.name} value={v.name}>
                      {v.name}
                    </option>
                  ))}
                </select>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
