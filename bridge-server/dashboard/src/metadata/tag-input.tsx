import { useDeferredValue, useId, useState, type KeyboardEvent } from 'react';
import { useMethod } from '../data/methods.ts';
import { formatNumberLocal } from '../ui/format.ts';

/**
 * Tags as removable chips and a text box that suggests existing tags (most used first)
 * through a native datalist, so the browser's own accessible suggestion list is used.
 * The tags are also sent as one comma-separated form value under `name`.
 */
export function TagInput({ name, label, defaultTags }: { name: string; label: string; defaultTags: string[] }) {
  const [tags, setTags] = useState<string[]>(defaultTags);
  const [text, setText] = useState('');
  const prefix = useDeferredValue(text.trim());
  const suggestions = useMethod('metadata.suggestTags', { prefix }, { enabled: prefix.length > 0, staleTime: 30_000 });
  const listId = useId();
  const inputId = useId();
  /** Adds each comma-separated tag in `raw` (pasted lists too), skipping ones already chosen in any letter case. */
  const add = (raw: string) => {
    const next = [...tags];
    for (const tag of raw
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)) {
      if (!next.some((t) => t.toLowerCase() === tag.toLowerCase())) next.push(tag);
    }
    setTags(next);
    setText('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      if (text.trim()) e.preventDefault();
      add(text);
    } else if (e.key === 'Backspace' && text === '' && tags.length > 0) setTags(tags.slice(0, -1));
  };
  const offered = (suggestions.data?.tags ?? []).filter((s) => !tags.some((t) => t.toLowerCase() === s.tag.toLowerCase()));
  return (
    <div className="tag-input">
      <label htmlFor={inputId}>{label}</label>
      <ul className="chips" aria-label={`${label}: chosen`}>
        {tags.map((t) => (
          <li key={t} className="chip">
            {t}
            <button type="button" className="chip-remove" aria-label={`Remove tag ${t}`} onClick={() => setTags(tags.filter((x) => x !== t))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        id={inputId}
        list={listId}
        value={text}
        placeholder="Add a tag, then Enter"
        autoComplete="off"
        onChange={(e) => (e.target.value.endsWith(',') ? add(e.target.value) : setText(e.target.value))}
        onKeyDown={onKey}
        onBlur={() => text.trim() && add(text)}
      />
      <datalist id={listId} data-testid="tag-suggestions">
        {offered.map((s) => (
          <option key={s.tag} value={s.tag} label={`${s.tag} (${formatNumberLocal(s.count)})`} />
        ))}
      </datalist>
      <input type="hidden" name={name} value={tags.join(',')} />
    </div>
  );
}
