// Certificate expiries live in stack tags as Go time.RFC3339 strings, where Go's zero time
// (0001-01-01T00:00:00Z) means "in use". We carry them as epoch ms, with null for the zero time.

import { GO_ZERO_TIME } from './stack-contract.ts';

/** Epoch ms of 0001-01-01T00:00:00Z. */
export const GO_ZERO_TIME_MS = utcMs(1, 1, 1, 0, 0, 0, 0);

// Go's time.Parse takes a fraction after the seconds even when the layout has none, with '.' or ','.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC3339 timestamp as Go's time.Parse(time.RFC3339) would; undefined when Go would fail.
 * Go's zero instant (in any offset) comes back as null.
 */
export function parseRFC3339(value: string): number | null | undefined {
  const m = RFC3339.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMs = 0;
  if (m[8] === undefined) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMs = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes) * 60_000;
  }
  const fraction = m[7] ?? '';
  const millis = Number((fraction + '000').slice(0, 3));
  const ms = utcMs(year, month, day, hour, minute, second, millis) - offsetMs;
  // Sub-millisecond digits only matter for telling the zero instant apart from a hair after it.
  const beyondMillis = /[1-9]/.test(fraction.slice(3));
  return ms === GO_ZERO_TIME_MS && !beyondMillis ? null : ms;
}

/** Go's RFC3339 formatting of a UTC time: whole seconds (fractions dropped, not rounded), "Z". */
export function formatRFC3339(ms: number | null): string {
  if (ms === null || ms === GO_ZERO_TIME_MS) return GO_ZERO_TIME;
  const date = new Date(Math.floor(ms / 1000) * 1000);
  const year = date.getUTCFullYear();
  const yyyy = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${yyyy}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function utcMs(year: number, month: number, day: number, h: number, mi: number, s: number, ms: number): number {
  // Date.UTC maps years 0..99 to 19xx, so set the full year explicitly.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, mi, s, ms);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
