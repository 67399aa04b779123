import { describe, it, expect } from 'vitest';
import {
  GoDurationError,
  formatGoDuration,
  formatGoDurationNs,
  parseGoDuration,
  parseGoDurationNs,
} from '../../../services/config/duration.ts';

const US = 1_000n;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const M = 60n * S;
const H = 60n * M;
const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);

describe('parseGoDurationNs', () => {
  // Expected values follow Go's time.ParseDuration.
  const valid: [string, bigint][] = [
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['5s', 5n * S],
    ['30s', 30n * S],
    ['1478s', 1478n * S],
    ['-5s', -5n * S],
    ['+5s', 5n * S],
    ['-0s', 0n],
    ['5.0s', 5n * S],
    ['5.6s', 5n * S + 600n * MS],
    ['5.s', 5n * S],
    ['.5s', 500n * MS],
    ['1.004s', S + 4n * MS],
    ['100.00100s', 100n * S + MS],
    ['10ns', 10n],
    ['11us', 11n * US],
    ['12\u00b5s', 12n * US],
    ['12\u03bcs', 12n * US],
    ['13ms', 13n * MS],
    ['300ms', 300n * MS],
    ['15m', 15n * M],
    ['16h', 16n * H],
    ['1h30m', H + 30n * M],
    ['1.5h', H + 30n * M],
    ['2h45m0.5s', 2n * H + 45n * M + 500n * MS],
    ['10.5s4m', 4n * M + 10n * S + 500n * MS],
    ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)],
    ['1h2m3s4ms5us6ns', H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n],
    ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS],
    ['52763797000ns', 52763797000n],
    ['0.3333333333333333333h', 20n * M],
    ['9007199254740993ns', (1n << 53n) + 1n],
    ['9223372036854775807ns', MAX],
    ['9223372036854775.807us', MAX],
    ['9223372036s854ms775us807ns', MAX],
    ['-9223372036854775808ns', MIN],
    ['-9223372036854775.808us', MIN],
    ['0.100000000000000000000h', 6n * M],
    // Go computes fractions in float64; this case pins that rounding.
    ['0.830103483285477580700h', 49n * M + 48n * S + 372539827n],
  ];
  it.each(valid)('%j = %s ns', (text, ns) => {
    expect(parseGoDurationNs(text)).toBe(ns);
  });

  const invalid: [string, GoDurationError['problem']][] = [
    ['', 'invalid'],
    ['3', 'missing-unit'],
    ['10', 'missing-unit'],
    ['-', 'invalid'],
    ['s', 'invalid'],
    ['.', 'invalid'],
    ['-.', 'invalid'],
    ['.s', 'invalid'],
    ['+.s', 'invalid'],
    ['1d', 'unknown-unit'],
    ['1h 30m', 'unknown-unit'],
    ['1h-5m', 'unknown-unit'], // Go reads the unit as "h-"
    ['5S', 'unknown-unit'],
    ['9223372036854775808ns', 'invalid'],
    ['9223372036854775.808us', 'invalid'],
    ['-9223372036854775809ns', 'invalid'],
    ['3000000h', 'invalid'],
  ];
  it.each(invalid)('%j is rejected (%s)', (text, problem) => {
    let caught: unknown;
    try {
      parseGoDurationNs(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GoDurationError);
    expect((caught as GoDurationError).problem).toBe(problem);
    expect((caught as GoDurationError).text).toBe(text);
  });

  it('mirrors Go error messages', () => {
    expect(() => parseGoDurationNs('10')).toThrow('time: missing unit in duration "10"');
    expect(() => parseGoDurationNs('1d')).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => parseGoDurationNs('')).toThrow('time: invalid duration ""');
  });
});

describe('parseGoDuration (milliseconds)', () => {
  it.each([
    ['300ms', 300],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['-5s', -5_000],
    ['0', 0],
    ['2h45m0.5s', 9_900_500],
    ['1500us', 1.5],
    ['1ns', 0.000001],
  ])('%j = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});

describe('formatGoDuration', () => {
  it.each([
    [30_000, '30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [300, '300ms'],
    [0, '0s'],
    [-0, '0s'],
    [9_900_500, '2h45m0.5s'],
    [1.5, '1.5ms'],
    [0.0015, '1.5\u00b5s'],
    [0.000001, '1ns'],
    [-5_000, '-5s'],
    [4_000_000, '1h6m40s'],
  ])('%d ms is %j', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1100n, '1.1\u00b5s'],
    [2200n * US, '2.2ms'],
    [3300n * MS, '3.3s'],
    [4n * M + 5n * S, '4m5s'],
    [4n * M + 5001n * MS, '4m5.001s'],
    [5n * H + 6n * M + 7001n * MS, '5h6m7.001s'],
    [8n * M + 1n, '8m0.000000001s'],
    [MAX, '2562047h47m16.854775807s'],
    [MIN, '-2562047h47m16.854775808s'],
  ])('%s ns is %j (Go Duration.String)', (ns, text) => {
    expect(formatGoDurationNs(ns)).toBe(text);
  });

  it('round-trips through parse', () => {
    for (const text of ['30s', '5m0s', '1h0m0s', '2h45m0.5s', '1.5\u00b5s', '-3m0.25s']) {
      expect(formatGoDuration(parseGoDuration(text))).toBe(text);
    }
  });

  it('refuses non-finite input', () => {
    expect(() => formatGoDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatGoDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
