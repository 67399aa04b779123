// JSON text byte-identical to Go's encoding/json, which wrote every template and alarm hash that existing stacks
// carry. A different byte (key order, escaping, indentation) would make CloudFormation see a changed template
// and the alarm hash tag mismatch, so this mirrors Go instead of using JSON.stringify.
//
// Object keys are written in insertion order: callers decide the order (struct order for Go structs, bytewise
// for Go maps, see sortedByBytes). Properties whose value is undefined are left out, as Go leaves out nil
// pointers tagged omitempty.

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Go's `json.Marshal`: compact, HTML-escaped. */
export function goMarshal(value: unknown): string {
  const out: string[] = [];
  write(value, out, null, '');
  return out.join('');
}

/** Go's `json.MarshalIndent(v, "", indent)` (HTML-escaped, no trailing newline). */
export function goMarshalIndent(value: unknown, indent = '    '): string {
  const out: string[] = [];
  write(value, out, indent, '');
  return out.join('');
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

function write(value: unknown, out: string[], indent: string | null, prefix: string): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(quote(value));
  } else if (typeof value === 'number') {
    out.push(formatNumber(value));
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (Array.isArray(value)) {
    writeArray(value, out, indent, prefix);
  } else if (typeof value === 'object') {
    writeObject(value as Record<string, unknown>, out, indent, prefix);
  } else {
    throw new TypeError(`not representable in JSON: ${typeof value}`);
  }
}

function writeArray(items: readonly unknown[], out: string[], indent: string | null, prefix: string): void {
  if (items.length === 0) {
    out.push('[]');
    return;
  }
  const inner = indent === null ? '' : prefix + indent;
  out.push('[');
  items.forEach((item, i) => {
    if (i > 0) out.push(',');
    if (indent !== null) out.push('\n', inner);
    write(item, out, indent, inner);
  });
  if (indent !== null) out.push('\n', prefix);
  out.push(']');
}

function writeObject(record: Record<string, unknown>, out: string[], indent: string | null, prefix: string): void {
  const keys = Object.keys(record).filter((key) => record[key] !== undefined);
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  const inner = indent === null ? '' : prefix + indent;
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    if (indent !== null) out.push('\n', inner);
    out.push(quote(key), indent === null ? ':' : ': ');
    write(record[key], out, indent, inner);
  });
  if (indent !== null) out.push('\n', prefix);
  out.push('}');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`unsupported number ${n}`);
  // Go writes -0 as an integer 0 for int fields; it never produces negative zero here.
  if (Object.is(n, -0)) return '0';
  // Go switches to exponent notation at the same thresholds as JavaScript (1e21, 1e-6) and also drops the
  // leading zero of the exponent, so the shortest round-trip form of both languages agrees.
  return String(n);
}

const HEX = '0123456789abcdef';

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += '\\ufffd';
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      // A lone low surrogate is invalid UTF-8 on the Go side, which encodes it as the replacement character.
      out += '\\ufffd';
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x3c: // <
      case 0x3e: // >
      case 0x26: // &
      case 0x2028:
      case 0x2029:
        out += '\\u' + hex4(c);
        break;
      default:
        out += c < 0x20 ? '\\u' + hex4(c) : s[i]!;
    }
  }
  return out + '"';
}

function hex4(c: number): string {
  return HEX[(c >> 12) & 0xf]! + HEX[(c >> 8) & 0xf]! + HEX[(c >> 4) & 0xf]! + HEX[c & 0xf]!;
}
