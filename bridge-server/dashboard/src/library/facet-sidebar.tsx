import { REVIEW_STATUSES, type FacetCount, type SearchResult } from '@stockroom/shared-types';
import { STATUS_LABEL } from '../pages/review.tsx';
import { formatCount } from '../ui/format.ts';
import { UPLOADED_PRESETS, type LibraryState, type UploadedPreset } from './url-state.ts';

const PRESET_LABEL: Record<UploadedPreset, string> = { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days', '365d': 'Last 12 months' };

interface FacetGroupProps {
  title: string;
  counts: FacetCount[];
  selected: string[];
  label?: (value: string) => string;
  onToggle: (value: string, on: boolean) => void;
  approximate: boolean;
}

function FacetGroup({ title, counts, selected, label = (v) => v, onToggle, approximate }: FacetGroupProps) {
  // A chosen value stays listed even when the other filters leave it no matches, so it can be unticked.
  const missing = selected.filter((value) => !counts.some((c) => c.value === value)).map((value) => ({ value, count: 0 }));
  const all = [...missing, ...counts];
  if (all.length === 0) return null;
  return (
    <fieldset className="facet">
      <legend>{title}</legend>
      {all.map((c) => (
        <label key={c.value} className="inline">
          <input type="checkbox" checked={selected.includes(c.value)} onChange={(e) => onToggle(c.value, e.currentTarget.checked)} />
          <span className="facet-value">{label(c.value)}</span>
          <span className="facet-count">{formatCount(c.count, approximate && c.count > 0)}</span>
        </label>
      ))}
    </fieldset>
  );
}

const toggled = (list: string[], value: string, on: boolean) => (on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value));

/** Filters with the server's counts for the current search (kind, collection, tags, uploader, checked out, upload date). */
export function FacetSidebar({
  facets,
  approximate,
  uploadedCounts,
  state,
  collectionName,
  personName,
  onChange,
}: {
  facets: SearchResult['facets'];
  /** The counts were estimated from a sample of the matches (`facetsAreEstimate`). */
  approximate: boolean;
  /** Matches uploaded since the start of each preset (the server's `createdSince` counts), whatever date filter is chosen. */
  uploadedCounts: Map<UploadedPreset, number | undefined>;
  state: LibraryState;
  collectionName: (id: string) => string;
  personName: (id: string) => string;
  onChange: (change: Partial<LibraryState>) => void;
}) {
  const active =
    state.kind.length +
    state.tags.length +
    state.by.length +
    (state.collection ? 1 : 0) +
    (state.locked ? 1 : 0) +
    (state.review ? 1 : 0) +
    (state.uploaded || state.from || state.to ? 1 : 0);
  return (
    <aside className="facets" aria-label="Filters">
      <div className="facets-header">
        <h2>Filters</h2>
        {active > 0 && (
          <button
            type="button"
            className="link"
            onClick={() => onChange({ kind: [], tags: [], by: [], collection: '', locked: '', review: '', uploaded: '', from: '', to: '' })}
          >
            Clear all
          </button>
        )}
      </div>
      <FacetGroup
        title="Kind"
        counts={facets.kind ?? []}
        selected={state.kind}
        onToggle={(v, on) => onChange({ kind: toggled(state.kind, v, on) as LibraryState['kind'] })}
        approximate={approximate}
      />
      <FacetGroup
        title="Collection"
        counts={facets.collectionId ?? []}
        selected={state.collection ? [state.collection] : []}
        label={collectionName}
        onToggle={(v, on) => onChange({ collection: on ? v : '' })}
        approximate={approximate}
      />
      <FacetGroup
        title="Tags"
        counts={facets.tags ?? []}
        selected={state.tags}
        onToggle={(v, on) => onChange({ tags: toggled(state.tags, v, on) })}
        approximate={approximate}
      />
      <FacetGroup
        title="Uploaded by"
        counts={facets.createdById ?? []}
        selected={state.by}
        label={personName}
        onToggle={(v, on) => onChange({ by: toggled(state.by, v, on) })}
        approximate={approximate}
      />
      <FacetGroup
        title="Checked out"
        counts={facets.locked ?? []}
        selected={state.locked ? [state.locked === 'yes' ? 'true' : 'false'] : []}
        label={(v) => (v === 'true' ? 'Checked out' : 'Not checked out')}
        onToggle={(v, on) => onChange({ locked: on ? (v === 'true' ? 'yes' : 'no') : '' })}
        approximate={approximate}
      />
      <fieldset className="facet">
        <legend>Uploaded</legend>
        {(['', ...UPLOADED_PRESETS] as const).map((preset) => (
          <label key={preset || 'any'} className="inline">
            <input
              type="radio"
              name="uploaded"
              checked={state.uploaded === preset && (preset !== '' || (!state.from && !state.to))}
              onChange={() => onChange({ uploaded: preset, from: '', to: '' })}
            />
            <span className="facet-value">{preset ? PRESET_LABEL[preset] : 'Any time'}</span>
            {preset && uploadedCounts.get(preset) !== undefined && <span className="facet-count">{formatCount(uploadedCounts.get(preset)!, approximate)}</span>}
          </label>
        ))}
        <label className="facet-date">
          From
          <input type="date" value={state.from} max={state.to || undefined} onChange={(e) => onChange({ from: e.currentTarget.value, uploaded: '' })} />
        </label>
        <label className="facet-date">
          To
          <input type="date" value={state.to} min={state.from || undefined} onChange={(e) => onChange({ to: e.currentTarget.value, uploaded: '' })} />
        </label>
      </fieldset>
      <label className="facet-select">
        Review
        <select value={state.review} onChange={(e) => onChange({ review: e.currentTarget.value as LibraryState['review'] })}>
          <option value="">Any status</option>
          {REVIEW_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABEL[status]}
            </option>
          ))}
        </select>
      </label>
    </aside>
  );
}
