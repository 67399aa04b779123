// Just enough DER to read the certificate fields Node's X509Certificate does not expose faithfully: the raw
// subject and issuer (Go matches parents by raw name bytes), the CN and DNS SANs as stored (Node's text forms
// escape them), basic constraints with the path length, and the signature algorithm.

export interface DerElement {
  /** First identifier octet, class and constructed bit included (e.g. 0x30 SEQUENCE, 0xa3 [3] constructed). */
  readonly tag: number;
  /** The whole element, header included. */
  readonly raw: Buffer;
  readonly content: Buffer;
}

export class DerError extends Error {
  constructor(message: string) {
    super(`malformed DER: ${message}`);
    this.name = 'DerError';
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Read the element starting at `offset`. Certificates never use high tag numbers, so those are rejected. */
export function readElement(buf: Buffer, offset = 0): DerElement {
  if (offset + 2 > buf.length) throw new DerError('truncated header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number');
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError('unsupported length');
    if (offset + 2 + octets > buf.length) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += octets;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('element runs past its container');
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + header, end) };
}

/** The elements inside a constructed element's content. */
export function children(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = readElement(element.content, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element || element.tag !== tag) throw new DerError(`expected ${what}`);
  return element;
}

export function decodeOid(content: Buffer): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** Small non-negative INTEGERs only (path lengths); anything larger is clamped, which changes no decision. */
export function decodeSmallInteger(content: Buffer): number {
  if (content.length === 0) throw new DerError('empty INTEGER');
  if (content[0]! & 0x80) throw new DerError('negative INTEGER');
  let value = 0;
  for (const byte of content) value = Math.min(value * 256 + byte, Number.MAX_SAFE_INTEGER);
  return value;
}

/** UTCTime (years 1950-2049, as RFC 5280 says) or GeneralizedTime, to epoch ms. */
export function decodeTime(element: DerElement): number {
  const text = element.content.toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (element.tag === TAG.UTC_TIME) {
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!match) throw new DerError(`bad UTCTime ${text}`);
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (element.tag === TAG.GENERALIZED_TIME) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!match) throw new DerError(`bad GeneralizedTime ${text}`);
    year = Number(match[1]);
  } else {
    throw new DerError('expected a time');
  }
  const [, , mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(year, mo! - 1, d!, h!, mi!, s!);
}

/** Directory string types as text; BMP and Universal strings are UTF-16BE and UTF-32BE. */
export function decodeString(element: DerElement): string {
  switch (element.tag) {
    case TAG.UTF8_STRING:
      return element.content.toString('utf8');
    case TAG.BMP_STRING: {
      if (element.content.length % 2 !== 0) throw new DerError('odd-length BMPString');
      const swapped = Buffer.from(element.content);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      let out = '';
      for (let i = 0; i + 3 < element.content.length; i += 4) out += String.fromCodePoint(element.content.readUInt32BE(i));
      return out;
    }
    default:
      return element.content.toString('latin1');
  }
}
