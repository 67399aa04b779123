// Go's time.ParseDuration and Duration.String(), so that every duration an operator already passes to the Go
// controller means the same here, and so help and logs print durations the way upstream does.
// Arithmetic is done on integer nanoseconds (BigInt), like Go's int64 Duration, including its overflow limits.

const NS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek small letter mu; Go accepts both spellings
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const TWO_POW_63 = 1n << 63n;
const MAX_DURATION_NS = TWO_POW_63 - 1n;
const NS_PER_MS = 1_000_000;

export type GoDurationProblem = 'invalid' | 'missing-unit' | 'unknown-unit';

/** Thrown for text Go's time.ParseDuration would reject; the message mirrors Go's. */
export class GoDurationError extends Error {
  override readonly name = 'GoDurationError';

  constructor(
    readonly text: string,
    readonly problem: GoDurationProblem,
    readonly unit?: string,
  ) {
    super(
      problem === 'missing-unit'
        ? `time: missing unit in duration ${JSON.stringify(text)}`
        : problem === 'unknown-unit'
          ? `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`
          : `time: invalid duration ${JSON.stringify(text)}`,
    );
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses Go duration syntax into integer nanoseconds. */
export function parseGoDurationNs(text: string): bigint {
  const invalid = (): GoDurationError => new GoDurationError(text, 'invalid');
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  // Go special-cases a bare zero: it is the only number allowed without a unit.
  if (s === '0') return 0n;
  if (s === '') throw invalid();

  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();

    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > TWO_POW_63) throw invalid();
      i++;
    }
    const sawWhole = i > 0;
    s = s.slice(i);

    // Go keeps the fraction as an integer plus a float64 scale and stops accumulating digits once the
    // integer would overflow; the float arithmetic below reproduces its rounding exactly.
    let fraction = 0n;
    let scale = 1;
    let sawFraction = false;
    if (s.startsWith('.')) {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow) {
          const next = fraction * 10n + BigInt(s.charCodeAt(j) - 48);
          if (fraction > MAX_DURATION_NS / 10n || next > TWO_POW_63) {
            overflow = true;
          } else {
            fraction = next;
            scale *= 10;
          }
        }
        j++;
      }
      sawFraction = j > 0;
      s = s.slice(j);
    }
    if (!sawWhole && !sawFraction) throw invalid();

    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    if (k === 0) throw new GoDurationError(text, 'missing-unit');
    const unitText = s.slice(0, k);
    s = s.slice(k);
    const unit = NS_PER_UNIT.get(unitText);
    if (unit === undefined) throw new GoDurationError(text, 'unknown-unit', unitText);

    if (whole > TWO_POW_63 / unit) throw invalid();
    let value = whole * unit;
    if (fraction > 0n) {
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > TWO_POW_63) throw invalid();
    }
    total += value;
    if (total > TWO_POW_63) throw invalid();
  }
  if (negative) return -total;
  if (total > MAX_DURATION_NS) throw invalid();
  return total;
}

/** Parses Go duration syntax ('300ms', '1h30m', '1.5h', '-5s', '0') into milliseconds (possibly fractional). */
export function parseGoDuration(text: string): number {
  return Number(parseGoDurationNs(text)) / NS_PER_MS;
}

/** Digits of v / 10^precision after the decimal point, trailing zeros (and the point itself) dropped. */
function fractionDigits(v: bigint, precision: number): { text: string; rest: bigint } {
  let digits = '';
  let printing = false;
  let rest = v;
  for (let i = 0; i < precision; i++) {
    const digit = rest % 10n;
    printing = printing || digit !== 0n;
    if (printing) digits = digit.toString() + digits;
    rest /= 10n;
  }
  return { text: printing ? `.${digits}` : '', rest };
}

/** Formats integer nanoseconds the way Go's Duration.String() does. */
export function formatGoDurationNs(ns: bigint): string {
  const negative = ns < 0n;
  let u = negative ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let unit: string;
    let precision: number;
    if (u < 1_000n) {
      unit = 'ns';
      precision = 0;
    } else if (u < 1_000_000n) {
      unit = '\u00b5s';
      precision = 3;
    } else {
      unit = 'ms';
      precision = 6;
    }
    const { text, rest } = fractionDigits(u, precision);
    out = `${rest}${text}${unit}`;
  } else {
    const { text, rest } = fractionDigits(u, 9);
    u = rest;
    out = `${u % 60n}${text}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return negative ? `-${out}` : out;
}

/** Formats milliseconds like Go's Duration.String(): '30s', '5m0s', '1h0m0s', '300ms', '0s'. */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a finite duration: ${ms}`);
  return formatGoDurationNs(BigInt(Math.round(ms * NS_PER_MS)));
}
