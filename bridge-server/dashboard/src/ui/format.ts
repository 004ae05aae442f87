import { formatCount } from '@stockroom/shared-types';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

// The reader's own locale (the browser's language): 1,234 or 1.234, 4 Dec 2026 or 04.12.2026.
const numbers = new Intl.NumberFormat(undefined);
const dateTimes = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatNumber(n: number): string {
  return numbers.format(n);
}

export { formatCount };

export function formatDate(iso: string): string {
  return dateTimes.format(new Date(iso));
}

export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(new Date(iso));
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}

export function ageSince(iso: string, now = Date.now()): string {
  return formatAge(Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000)));
}

/** A number in the reader's own locale (the browser's language). */
export function formatNumberLocal(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(undefined, options).format(n);
}

/** A calendar date (YYYY-MM-DD, no time zone) in the reader's locale, without shifting it by the time zone. */
export function formatCalendarDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}
