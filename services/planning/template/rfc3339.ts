// Certificate expiries travel in stack tags as Go's time.Format(time.RFC3339) in UTC. Go's zero time
// (0001-01-01T00:00:00Z) means "in use, no expiry"; this project models it as null.

/** Epoch ms of 0001-01-01T00:00:00Z. */
export const GO_ZERO_TIME_MS = -62_135_596_800_000;

export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 in UTC with whole seconds, as Go writes it (fractions are dropped, not rounded). */
export function formatRFC3339(epochMs: number | null): string {
  if (epochMs === null || epochMs === GO_ZERO_TIME_MS) return GO_ZERO_TIME;
  const date = new Date(Math.floor(epochMs / 1000) * 1000);
  const year = date.getUTCFullYear();
  const yyyy = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${yyyy}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())}Z`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Go's time.Parse(time.RFC3339, s): epoch ms (sub-millisecond digits dropped), null for the zero time,
 * undefined when Go would fail to parse.
 */
export function parseRFC3339(value: string): number | null | undefined {
  const m = RFC3339.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  let offsetMinutes = 0;
  const zone = m[8]!;
  if (zone !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number((m[7] ?? '').slice(0, 3).padEnd(3, '0')));
  const epochMs = date.getTime() - offsetMinutes * 60_000;
  return epochMs === GO_ZERO_TIME_MS ? null : epochMs;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
