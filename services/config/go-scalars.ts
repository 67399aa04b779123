// Go's strconv parsers as kingpin uses them for bool, uint and int flags: ParseBool, ParseUint(s, 0, 64) and
// ParseInt(s, 0, 64). Base 0 means '0x1F', '0o17', '017', '0b101' and '1_000' are all accepted upstream, so
// a drop-in must accept them too.

const MAX_UINT64 = (1n << 64n) - 1n;
const TWO_POW_63 = 1n << 63n;

export class GoNumberError extends Error {
  override readonly name = 'GoNumberError';

  constructor(
    readonly text: string,
    readonly problem: 'syntax' | 'range',
  ) {
    super(`${problem === 'syntax' ? 'invalid syntax' : 'value out of range'}: ${JSON.stringify(text)}`);
  }
}

const TRUE_SPELLINGS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_SPELLINGS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool; undefined when Go would reject the text. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_SPELLINGS.has(text)) return true;
  if (FALSE_SPELLINGS.has(text)) return false;
  return undefined;
}

function digitValue(c: string): number {
  const code = c.toLowerCase().charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 97 + 10;
  return Number.POSITIVE_INFINITY;
}

// Underscores may only separate digits (a base prefix counts as a digit), as in Go's underscoreOK.
function underscoresAllowed(text: string): boolean {
  let s = text;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let saw: 'start' | 'digit' | 'underscore' | 'other' = 'start';
  let i = 0;
  let hex = false;
  const prefix = s[1]?.toLowerCase();
  if (s.length >= 2 && s[0] === '0' && (prefix === 'b' || prefix === 'o' || prefix === 'x')) {
    i = 2;
    saw = 'digit';
    hex = prefix === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    const lower = c.toLowerCase();
    if ((c >= '0' && c <= '9') || (hex && lower >= 'a' && lower <= 'f')) {
      saw = 'digit';
      continue;
    }
    if (c === '_') {
      if (saw !== 'digit') return false;
      saw = 'underscore';
      continue;
    }
    if (saw === 'underscore') return false;
    saw = 'other';
  }
  return saw !== 'underscore';
}

/** strconv.ParseUint(text, 0, 64). */
export function parseGoUint(text: string): bigint {
  if (text === '') throw new GoNumberError(text, 'syntax');
  let s = text;
  let base = 10;
  if (s[0] === '0') {
    const prefix = s[1]?.toLowerCase();
    if (s.length >= 3 && prefix === 'b') {
      base = 2;
      s = s.slice(2);
    } else if (s.length >= 3 && prefix === 'o') {
      base = 8;
      s = s.slice(2);
    } else if (s.length >= 3 && prefix === 'x') {
      base = 16;
      s = s.slice(2);
    } else {
      base = 8;
      s = s.slice(1);
    }
  }
  let n = 0n;
  let sawUnderscore = false;
  for (const c of s) {
    if (c === '_') {
      sawUnderscore = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= base) throw new GoNumberError(text, 'syntax');
    n = n * BigInt(base) + BigInt(d);
    if (n > MAX_UINT64) throw new GoNumberError(text, 'range');
  }
  if (sawUnderscore && !underscoresAllowed(text)) throw new GoNumberError(text, 'syntax');
  return n;
}

/** strconv.ParseInt(text, 0, 64). */
export function parseGoInt(text: string): bigint {
  if (text === '') throw new GoNumberError(text, 'syntax');
  const negative = text.startsWith('-');
  const unsignedText = negative || text.startsWith('+') ? text.slice(1) : text;
  let magnitude: bigint;
  try {
    magnitude = parseGoUint(unsignedText);
  } catch (error) {
    if (error instanceof GoNumberError) throw new GoNumberError(text, error.problem);
    throw error;
  }
  if (negative ? magnitude > TWO_POW_63 : magnitude >= TWO_POW_63) throw new GoNumberError(text, 'range');
  return negative ? -magnitude : magnitude;
}
