import type { FieldError, FieldValue, MetadataField } from '@stockroom/shared-types';

const MAX_TEXT = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CheckedValues {
  /** The values to store, normalised (trimmed text, numbers from numeric strings), empty ones left out. */
  values: Record<string, FieldValue>;
  errors: FieldError[];
  /** Every user id named by a people field, for the caller to check they exist. */
  people: string[];
}

/** A calendar date as YYYY-MM-DD that really exists (no 31 February). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Checks every value against its field; all problems are reported, not only the first. */
export function checkFieldValues(fields: MetadataField[], input: Record<string, unknown>): CheckedValues {
  const values: Record<string, FieldValue> = {};
  const errors: FieldError[] = [];
  const people: string[] = [];
  const fail = (field: MetadataField | string, code: FieldError['code'], message: string) =>
    errors.push({ field: typeof field === 'string' ? field : field.key, code, message });

  for (const key of Object.keys(input)) {
    if (!fields.some((f) => f.key === key))
      fail(key, 'unknown-field', `“${key}” is not a field of this collection's schema; reload the page to see the current fields.`);
  }
  for (const field of fields) {
    const raw = typeof input[field.key] === 'string' ? (input[field.key] as string).trim() : input[field.key];
    if (field.type === 'rights' ? isEmpty(raw) || isEmptyRights(raw) : isEmpty(raw)) {
      if (field.required) fail(field, 'required', `${field.label} is required.`);
      continue;
    }
    switch (field.type) {
      case 'text':
        if (typeof raw !== 'string') fail(field, 'not-text', `${field.label} must be text.`);
        else if (raw.length > MAX_TEXT) fail(field, 'too-long', `${field.label} is longer than ${MAX_TEXT} characters; shorten it.`);
        else values[field.key] = raw;
        break;
      case 'number': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
        if (!Number.isFinite(n)) fail(field, 'not-a-number', `${field.label} must be a number, such as 42 or 3.5.`);
        else if ((field.min !== null && n < field.min) || (field.max !== null && n > field.max))
          fail(field, 'out-of-range', `${field.label} must be ${rangeText(field)}.`);
        else values[field.key] = n;
        break;
      }
      case 'date':
        if (typeof raw !== 'string' || !isCalendarDate(raw)) fail(field, 'not-a-date', `${field.label} must be a date (YYYY-MM-DD).`);
        else values[field.key] = raw;
        break;
      case 'choice':
        if (typeof raw !== 'string' || !field.options.includes(raw)) fail(field, 'not-a-choice', `${field.label} must be one of: ${field.options.join(', ')}.`);
        else values[field.key] = raw;
        break;
      case 'people':
        if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string' && UUID.test(id)))
          fail(field, 'unknown-person', `${field.label}: choose people from the list.`);
        else {
          const ids = [...new Set(raw as string[])];
          people.push(...ids);
          values[field.key] = ids;
        }
        break;
      case 'rights': {
        const r = raw as { statement?: unknown; expiresAt?: unknown };
        const statement = typeof r?.statement === 'string' ? r.statement.trim() : null;
        const expiresAt = r?.expiresAt === null || r?.expiresAt === undefined || r?.expiresAt === '' ? null : r.expiresAt;
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || statement === null)
          fail(field, 'not-rights', `${field.label} needs a rights statement (text) and an optional expiry date.`);
        else if (statement.length > MAX_TEXT) fail(field, 'too-long', `${field.label} is longer than ${MAX_TEXT} characters; shorten it.`);
        else if (expiresAt !== null && (typeof expiresAt !== 'string' || !isCalendarDate(expiresAt)))
          fail(field, 'not-a-date', `${field.label}: the expiry must be a date (YYYY-MM-DD).`);
        else values[field.key] = { statement, expiresAt: expiresAt as string | null };
        break;
      }
    }
  }
  return { values, errors, people };
}

function isEmptyRights(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as { statement?: unknown; expiresAt?: unknown };
  return (r.statement === undefined || r.statement === '' || (typeof r.statement === 'string' && r.statement.trim() === '')) && isEmpty(r.expiresAt);
}

function rangeText(field: MetadataField): string {
  if (field.min !== null && field.max !== null) return `between ${field.min} and ${field.max}`;
  return field.min !== null ? `at least ${field.min}` : `at most ${field.max}`;
}

/** True when a rights field's expiry date is before today (YYYY-MM-DD, UTC). */
export function rightsExpired(fields: MetadataField[], values: Record<string, FieldValue>, today: string): boolean {
  return fields.some((f) => {
    const v = values[f.key] as { expiresAt?: string | null } | undefined;
    return f.type === 'rights' && typeof v?.expiresAt === 'string' && v.expiresAt < today;
  });
}
