// JSON text byte-identical to Go's encoding/json, which wrote every template and alarm hash that existing stacks
// carry. A different byte (key order, escaping, indentation) would make CloudFormation see a changed template
// and the alarm hash tag mismatch.
//
// Object keys are written in insertion order: callers decide the order (struct order for Go structs, bytewise
// for Go maps, see sortedByBytes). Properties whose value is undefined are left out, as Go leaves out nil
// pointers tagged omitempty.

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Go's `json.Marshal`: compact, HTML-escaped. */
export function goMarshal(value: unknown): string {
  return goEscapes(stringify(value, undefined));
}

/** Go's `json.MarshalIndent(v, "", indent)` (HTML-escaped, no trailing newline). */
export function goMarshalIndent(value: unknown, indent = '    '): string {
  return goEscapes(stringify(value, indent));
}

/** Bytewise (UTF-8) comparison: the order Go uses for map keys and sort.Strings. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A copy with keys in Go map order and undefined values dropped. */
export function sortedByBytes<T>(record: Readonly<Record<string, T | undefined>>): Record<string, T> {
  const result: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareBytes)) {
    const value = record[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * Every nested object re-keyed in bytewise order, undefined dropped. The CloudFormation property structs of the
 * vendored Go schema declare their fields alphabetically, so this reproduces their order for whole property trees.
 */
export function sortedDeep(value: unknown): JsonValue {
  if (value === null || typeof value !== 'object') return checkScalar(value);
  if (Array.isArray(value)) return value.map((item: unknown) => sortedDeep(item === undefined ? null : item));
  const result: Record<string, JsonValue> = {};
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort(compareBytes)) {
    const item = record[key];
    if (item !== undefined) result[key] = sortedDeep(item);
  }
  return result;
}

function checkScalar(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`not representable in JSON: ${String(value)}`);
}

// JSON.stringify lays out objects, arrays and numbers exactly as Go does (insertion order, `": "` and the
// indent, empty containers on one line, undefined members left out, the same shortest number forms, \b \f \n
// \r \t and \u00XX for control characters). What it does not do is Go's HTML-safe escaping and its
// replacement of invalid UTF-16 (lone surrogates), which goEscapes adds. The golden templates pin the result.
function stringify(value: unknown, indent: string | undefined): string {
  const text = JSON.stringify(value, null, indent);
  if (text === undefined) throw new TypeError(`not representable in JSON: ${typeof value}`);
  return text;
}

const GO_ESCAPED = /[<>&\u2028\u2029]|(\\+)u(d[89a-f][0-9a-f]{2})/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

function goEscapes(text: string): string {
  return text.replace(GO_ESCAPED, (match: string, backslashes: string | undefined) => {
    if (backslashes === undefined) return HTML_ESCAPES[match]!;
    // `\udXXX` is a lone surrogate JSON.stringify escaped (a pair is written as it is); an even run of
    // backslashes is escaped backslashes followed by plain text.
    return backslashes.length % 2 === 1 ? `${backslashes.slice(1)}\\ufffd` : match;
  });
}
