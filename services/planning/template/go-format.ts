// Go's fmt verbs that upstream used for parameter and tag values, where JavaScript's defaults differ.

/**
 * `fmt.Sprintf("%.0f", d.Seconds())` for a duration in milliseconds. Go rounds exact halves to even
 * (2.5s → "2"), JavaScript's toFixed rounds them up.
 */
export function formatSecondsF0(ms: number): string {
  const seconds = ms / 1000;
  const magnitude = Math.abs(seconds);
  const floor = Math.floor(magnitude);
  const fraction = magnitude - floor;
  let rounded = fraction > 0.5 ? floor + 1 : fraction < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  if (seconds < 0) rounded = -rounded;
  // Go prints the sign of a negative value that rounds to zero.
  if (rounded === 0 && seconds < 0) return '-0';
  return String(rounded);
}
