import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { fieldErrorSchema, type AssetFields, type FieldError, type MetadataField, type RightsValue } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { formatCalendarDate, formatNumberLocal } from '../ui/format.ts';

/** The asset's values for its collection's schema: a typed form for editors, a read-only list otherwise. */
export function AssetFieldsSection({ assetId }: { assetId: string }) {
  const fields = useMethod('metadata.getFields', { assetId });
  const save = useMethodMutation('metadata.saveFields', ['metadata.getFields']);
  return (
    <section className="card" aria-labelledby="fields-title">
      <h2 id="fields-title">Metadata</h2>
      <QueryState query={fields} what="the metadata fields">
        {(f) =>
          f.fields.length === 0 ? (
            <EmptyState title={f.collectionId ? 'This collection has no metadata fields.' : 'Unfiled assets have no metadata fields.'}>
              {f.collectionId ? (
                <>
                  A manager can add them under <Link href="/collections">Collections &amp; grants</Link>.
                </>
              ) : (
                'Move the asset into a collection to fill in its fields.'
              )}
            </EmptyState>
          ) : f.canEdit ? (
            <FieldsForm key={f.updatedAt ?? 'new'} data={f} save={save} />
          ) : (
            <FieldsView data={f} />
          )
        }
      </QueryState>
    </section>
  );
}

function fieldErrorsOf(error: unknown): FieldError[] {
  const list = (error as { data?: { fields?: unknown } } | null)?.data?.fields;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e) => {
    const parsed = fieldErrorSchema.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
}

function FieldsForm({ data, save }: { data: AssetFields; save: ReturnType<typeof useMethodMutation<'metadata.saveFields'>> }) {
  const [values, setValues] = useState<Record<string, unknown>>(() => ({ ...data.values }));
  const errors = fieldErrorsOf(save.error);
  const errorOf = (key: string) => errors.find((e) => e.field === key);
  const set = (key: string, value: unknown) => setValues((v) => ({ ...v, [key]: value }));
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ assetId: data.assetId, values, baseUpdatedAt: data.updatedAt });
  }
  return (
    // The server checks every value (and says why one is refused); the browser's own checks would stop at the first.
    <form className="form fields-form" aria-label="Metadata fields" noValidate onSubmit={submit}>
      {data.rightsExpired && (
        <p className="badge warn" role="status">
          Usage rights have expired
        </p>
      )}
      {data.fields.map((field) => (
        <FieldInput key={field.key} field={field} value={values[field.key]} onChange={(v) => set(field.key, v)} error={errorOf(field.key)} data={data} />
      ))}
      {save.error && errors.length === 0 && <ErrorNotice error={save.error} />}
      {errors.length > 0 && (
        <p className="error" role="alert">
          {errors.length === 1
            ? 'One value was not saved; see the field marked below.'
            : `${errors.length} values were not saved; see the fields marked below.`}
        </p>
      )}
      {save.isSuccess && <p role="status">Metadata saved.</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save metadata
      </button>
    </form>
  );
}

function FieldInput({
  field,
  value,
  onChange,
  error,
  data,
}: {
  field: MetadataField;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: FieldError;
  data: AssetFields;
}) {
  const id = `field-${field.key}`;
  const describedBy = [field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': field.required || undefined };
  const label = `${field.label}${field.required ? ' (required)' : ''}`;
  const after = (
    <>
      {field.help && (
        <span id={`${id}-help`} className="muted hint">
          {field.help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" data-code={error.code}>
          {error.message}
        </span>
      )}
    </>
  );
  switch (field.type) {
    case 'people': {
      const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
      return (
        <fieldset className="field" aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
          <legend>{label}</legend>
          <div className="checkbox-list">
            {data.people.map((p) => (
              <label key={p.id} className="inline">
                <input
                  type="checkbox"
                  checked={chosen.has(p.id)}
                  onChange={(e) => onChange(e.target.checked ? [...chosen, p.id] : [...chosen].filter((x) => x !== p.id))}
                />{' '}
                {p.name}
              </label>
            ))}
          </div>
          {after}
        </fieldset>
      );
    }
    case 'rights': {
      const rights = (value as RightsValue | undefined) ?? { statement: '', expiresAt: null };
      return (
        <fieldset className="field" aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
          <legend>{label}</legend>
          <label>
            Rights statement
            <input value={rights.statement} onChange={(e) => onChange({ ...rights, statement: e.target.value })} />
          </label>
          <label>
            Rights expire on
            <input type="date" value={rights.expiresAt ?? ''} onChange={(e) => onChange({ ...rights, expiresAt: e.target.value || null })} />
          </label>
          {after}
        </fieldset>
      );
    }
    case 'choice':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <select {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)}>
            <option value="">—</option>
            {field.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          {after}
        </div>
      );
    default:
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input
            {...common}
            type={field.type === 'date' ? 'date' : 'text'}
            inputMode={field.type === 'number' ? 'decimal' : undefined}
            value={value === undefined || value === null ? '' : String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
          {after}
        </div>
      );
  }
}

function FieldsView({ data }: { data: AssetFields }) {
  const names = new Map(data.people.map((p) => [p.id, p.name]));
  const shown = (field: MetadataField): string => {
    const v = data.values[field.key];
    if (v === undefined) return '—';
    switch (field.type) {
      case 'number':
        return formatNumberLocal(v as number);
      case 'date':
        return formatCalendarDate(v as string);
      case 'people':
        return (v as string[]).map((id) => names.get(id) ?? 'a former account').join(', ');
      case 'rights': {
        const r = v as RightsValue;
        return r.expiresAt ? `${r.statement} (until ${formatCalendarDate(r.expiresAt)})` : r.statement;
      }
      default:
        return String(v);
    }
  };
  return (
    <dl className="facts">
      {data.fields.map((f) => (
        <div key={f.key}>
          <dt>{f.label}</dt>
          <dd>{shown(f)}</dd>
        </div>
      ))}
    </dl>
  );
}
