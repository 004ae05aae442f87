import type { Collection } from '@stockroom/shared-types';

/** A labelled choice of a collection, with a first option for "none" (unfiled, or the top level); value '' is that option. */
export function CollectionChoice({
  label,
  none,
  value,
  choices,
  onChange,
}: {
  label: string;
  none: string;
  value: string;
  choices: Collection[];
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{none}</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
