import { useState } from 'react';
import { FIELD_TYPES, type Collection, type FieldType, type MetadataField, type MetadataSchemaDto } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';

const TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  choice: 'Choice (one of a list)',
  people: 'People (accounts)',
  rights: 'Usage rights and expiry',
};

interface Draft {
  id: number;
  key: string;
  keyEdited: boolean;
  label: string;
  type: FieldType;
  required: boolean;
  help: string;
  options: string;
  min: string;
  max: string;
}

let nextId = 1;
const keyFrom = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);

function toDraft(f: MetadataField): Draft {
  return {
    id: nextId++,
    key: f.key,
    keyEdited: true,
    label: f.label,
    type: f.type,
    required: f.required,
    help: f.help,
    options: f.options.join(', '),
    min: f.min?.toString() ?? '',
    max: f.max?.toString() ?? '',
  };
}

function toField(d: Draft) {
  const number = (s: string) => (s.trim() === '' ? null : Number(s));
  return {
    key: d.key,
    label: d.label,
    type: d.type,
    required: d.required,
    help: d.help,
    options:
      d.type === 'choice'
        ? d.options
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : [],
    min: d.type === 'number' ? number(d.min) : null,
    max: d.type === 'number' ? number(d.max) : null,
  };
}

/** A collection's metadata schema as a list of field rows; managers add, reorder and remove fields. */
export function SchemaEditor({ collection }: { collection: Collection }) {
  const schema = useMethod('metadata.getSchema', { collectionId: collection.id });
  const save = useMethodMutation('metadata.saveSchema', ['metadata.getSchema', 'metadata.getFields']);
  return (
    <section className="card" aria-labelledby="schema-title">
      <h2 id="schema-title">Metadata fields of “{collection.name}”</h2>
      <QueryState query={schema} what="the metadata schema">
        {(s) => <SchemaForm key={s.updatedAt ?? 'new'} schema={s} save={save} />}
      </QueryState>
    </section>
  );
}

function SchemaForm({ schema, save }: { schema: MetadataSchemaDto; save: ReturnType<typeof useMethodMutation<'metadata.saveSchema'>> }) {
  const [drafts, setDrafts] = useState<Draft[]>(() => schema.fields.map(toDraft));
  const change = (id: number, patch: Partial<Draft>) =>
    setDrafts((all) =>
      all.map((d) => (d.id === id ? { ...d, ...patch, ...(patch.label !== undefined && !d.keyEdited ? { key: keyFrom(patch.label) } : {}) } : d)),
    );
  const move = (index: number, by: number) =>
    setDrafts((all) => {
      const next = [...all];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });
  return (
    <form
      className="form schema-form"
      aria-label="Metadata schema"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ collectionId: schema.collectionId, fields: drafts.map(toField), baseUpdatedAt: schema.updatedAt });
      }}
    >
      {drafts.length === 0 && (
        <EmptyState title="No fields yet.">
          Add the fields people should fill in for assets of this collection, such as client, campaign or usage rights.
        </EmptyState>
      )}
      {drafts.map((d, i) => (
        <fieldset key={d.id} className="schema-field">
          <legend>{d.label || `Field ${i + 1}`}</legend>
          <label>
            Label
            <input value={d.label} required maxLength={80} onChange={(e) => change(d.id, { label: e.target.value })} />
          </label>
          <label>
            Key
            <input
              value={d.key}
              required
              pattern="[a-z][a-z0-9_]{0,39}"
              title="lower-case letters, digits and _, starting with a letter"
              onChange={(e) => change(d.id, { key: e.target.value, keyEdited: true })}
            />
          </label>
          <label>
            Type
            <select value={d.type} onChange={(e) => change(d.id, { type: e.target.value as FieldType })}>
              {FIELD_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          {d.type === 'choice' && (
            <label>
              Options (comma separated)
              <input value={d.options} onChange={(e) => change(d.id, { options: e.target.value })} />
            </label>
          )}
          {d.type === 'number' && (
            <>
              <label>
                Lowest allowed
                <input type="number" step="any" value={d.min} onChange={(e) => change(d.id, { min: e.target.value })} />
              </label>
              <label>
                Highest allowed
                <input type="number" step="any" value={d.max} onChange={(e) => change(d.id, { max: e.target.value })} />
              </label>
            </>
          )}
          <label>
            Help text
            <input value={d.help} maxLength={300} onChange={(e) => change(d.id, { help: e.target.value })} />
          </label>
          <label className="inline">
            <input type="checkbox" checked={d.required} onChange={(e) => change(d.id, { required: e.target.checked })} /> Required
          </label>
          <div className="row-actions">
            <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${d.label || 'field'} up`}>
              Up
            </button>
            <button type="button" disabled={i === drafts.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${d.label || 'field'} down`}>
              Down
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => setDrafts((all) => all.filter((x) => x.id !== d.id))}
              aria-label={`Remove field ${d.label || i + 1}`}
            >
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          setDrafts((all) => [
            ...all,
            { id: nextId++, key: '', keyEdited: false, label: '', type: 'text', required: false, help: '', options: '', min: '', max: '' },
          ])
        }
      >
        Add a field
      </button>
      {save.error && <ErrorNotice error={save.error} />}
      {save.isSuccess && <p role="status">Schema saved.</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save schema
      </button>
    </form>
  );
}
