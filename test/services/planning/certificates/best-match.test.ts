import { describe, expect, it } from 'vitest';
import {
  MINIMAL_CERT_VALIDITY_MS,
  findBestMatchingCertificate,
  findBestMatchingCertificates,
  replacesCandidate,
} from '../../../../services/planning/certificates/best-match.ts';
import type { CertificateSummary } from '../../../../services/planning/types/certificate.ts';
import { DAY, NOW, at, cert } from '../model/builders.ts';

// NOW is 2026-03-01T12:00:00Z; the 7-day window therefore ends 2026-03-08T12:00:00Z.
const window = (notBefore: string, notAfter: string): CertificateSummary =>
  cert(`arn:${notBefore}/${notAfter}`, ['x'], { notBefore: at(notBefore), notAfter: at(notAfter) });

const LASTING = window('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z');
const EXPIRING = window('2025-12-01T00:00:00Z', '2026-03-05T00:00:00Z'); // within 7 days

describe('replacesCandidate (each branch of upstream comparison)', () => {
  it('uses a 7-day window', () => {
    expect(MINIMAL_CERT_VALIDITY_MS).toBe(7 * DAY);
  });

  it.each<[string, CertificateSummary | undefined, number, CertificateSummary, number, boolean]>([
    ['first match is taken even when expiring tomorrow', undefined, 0, window('2025-12-01T00:00:00Z', '2026-03-02T00:00:00Z'), 13, true],

    // longer (more specific) name
    ['longer: valid and lasting replaces', EXPIRING, 13, LASTING, 15, true],
    ['longer: expiring within 7 days does not replace', LASTING, 13, EXPIRING, 15, false],
    ['longer: notAfter exactly at now+7d does not replace', LASTING, 13, window('2026-01-01T00:00:00Z', '2026-03-08T12:00:00Z'), 15, false],
    ['longer: notBefore exactly now does not replace', LASTING, 13, window('2026-03-01T12:00:00Z', '2026-12-31T00:00:00Z'), 15, false],

    // equal length
    ['equal: newer and lasting wins', window('2025-06-01T00:00:00Z', '2026-12-31T00:00:00Z'), 15, LASTING, 15, true],
    ['equal: newer but expiring within 7 days loses', LASTING, 15, window('2026-02-01T00:00:00Z', '2026-03-06T00:00:00Z'), 15, false],
    ['equal: newer with notAfter exactly at now+7d still wins', LASTING, 15, window('2026-02-01T00:00:00Z', '2026-03-08T12:00:00Z'), 15, true],
    ['equal: same notBefore, later notAfter wins', LASTING, 15, window('2026-01-01T00:00:00Z', '2027-01-31T00:00:00Z'), 15, true],
    ['equal: same notBefore, same notAfter wins (later in list)', LASTING, 15, window('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'), 15, true],
    ['equal: same notBefore, earlier notAfter loses', LASTING, 15, window('2026-01-01T00:00:00Z', '2026-11-30T00:00:00Z'), 15, false],
    ['equal: older wins when the candidate expires within 7 days and it lasts longer', window('2026-02-01T00:00:00Z', '2026-03-06T00:00:00Z'), 15, window('2025-06-01T00:00:00Z', '2026-06-01T00:00:00Z'), 15, true],
    ['equal: older loses when the candidate lasts', LASTING, 15, window('2025-06-01T00:00:00Z', '2027-06-01T00:00:00Z'), 15, false],
    ['equal: older loses when it expires before the expiring candidate', window('2026-02-01T00:00:00Z', '2026-03-06T00:00:00Z'), 15, window('2025-06-01T00:00:00Z', '2026-03-04T00:00:00Z'), 15, false],

    // shorter (less specific) name
    ['shorter: never replaces a valid candidate, even one expiring soon', EXPIRING, 15, LASTING, 13, false],
    ['shorter: replaces a not-yet-valid candidate expiring within 7 days', window('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z'), 15, LASTING, 13, true],
    ['shorter: not when the challenger expires within 7 days too', window('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z'), 15, EXPIRING, 13, false],
  ])('%s', (_label, current, currentLength, challenger, length, expected) => {
    const candidate = current === undefined ? undefined : { cert: current, nameLength: currentLength };
    expect(replacesCandidate(candidate, challenger, length, NOW)).toBe(expected);
  });
});

describe('findBestMatchingCertificate', () => {
  const host = 'foo.example.org';
  const oldWildcard = cert('wild-old', ['*.example.org'], { notBefore: at('2025-06-01T00:00:00Z') });
  const newWildcard = cert('wild-new', ['*.example.org'], { notBefore: at('2026-02-01T00:00:00Z') });
  const specific = cert('specific', [host]);

  it('returns undefined when nothing matches', () => {
    expect(findBestMatchingCertificate(host, [cert('other', ['bar.example.org'])], NOW)).toBeUndefined();
  });

  it('takes the only match even if it expires within 7 days', () => {
    const soon = cert('soon', [host], { notAfter: NOW + 2 * DAY });
    expect(findBestMatchingCertificate(host, [soon], NOW)?.arn).toBe('soon');
  });

  it('prefers the more specific name over an earlier wildcard', () => {
    expect(findBestMatchingCertificate(host, [oldWildcard, specific], NOW)?.arn).toBe('specific');
  });

  it('keeps the specific name when a wildcard comes later', () => {
    expect(findBestMatchingCertificate(host, [specific, oldWildcard], NOW)?.arn).toBe('specific');
  });

  it('keeps the wildcard when the specific certificate expires within 7 days', () => {
    const expiring = cert('specific', [host], { notAfter: NOW + 3 * DAY });
    expect(findBestMatchingCertificate(host, [oldWildcard, expiring], NOW)?.arn).toBe('wild-old');
  });

  it('prefers the newer of two equal names in either order', () => {
    expect(findBestMatchingCertificate(host, [oldWildcard, newWildcard], NOW)?.arn).toBe('wild-new');
    expect(findBestMatchingCertificate(host, [newWildcard, oldWildcard], NOW)?.arn).toBe('wild-new');
  });

  it('moves to a renewed certificate when the old one is about to expire', () => {
    const old = cert('old', [host], { notBefore: at('2025-03-01T00:00:00Z'), notAfter: NOW + 3 * DAY });
    const renewed = cert('renewed', [host], { notBefore: at('2026-02-25T00:00:00Z'), notAfter: at('2026-05-26T00:00:00Z') });
    expect(findBestMatchingCertificate(host, [old, renewed], NOW)?.arn).toBe('renewed');
    expect(findBestMatchingCertificate(host, [renewed, old], NOW)?.arn).toBe('renewed');
  });

  it('takes the later of two identical certificates', () => {
    expect(findBestMatchingCertificate(host, [cert('a', [host]), cert('b', [host])], NOW)?.arn).toBe('b');
  });

  it('ignores untrusted certificates, however specific', () => {
    const selfSigned = cert('self-signed', [host], { trusted: false });
    expect(findBestMatchingCertificate(host, [oldWildcard, selfSigned], NOW)?.arn).toBe('wild-old');
  });

  it('ignores expired and not-yet-valid certificates', () => {
    const expired = cert('expired', [host], { notBefore: NOW - 90 * DAY, notAfter: NOW - DAY });
    const future = cert('future', [host], { notBefore: NOW + DAY, notAfter: NOW + 90 * DAY });
    expect(findBestMatchingCertificate(host, [expired, future], NOW)).toBeUndefined();
  });

  it('ignores a certificate that names the host only in its CN', () => {
    const cnOnly = cert('cn-only', [host], { dnsNames: [] });
    expect(findBestMatchingCertificate(host, [cnOnly], NOW)).toBeUndefined();
  });

  it('does not let a wildcard cover two labels', () => {
    expect(findBestMatchingCertificate('a.foo.example.org', [oldWildcard], NOW)).toBeUndefined();
  });

  it('tracks the matched name length per name, so a certificate can lose to itself', () => {
    // CN "*.example.org" matches first (13); the SAN "foo.example.org" (15) is longer but the certificate expires
    // within 7 days, so the recorded length stays 13 and a lasting wildcard of equal length can still win.
    const expiring = cert('expiring', ['*.example.org', host], { notAfter: NOW + 3 * DAY });
    const lasting = cert('lasting', ['*.example.org'], { notBefore: at('2026-02-01T00:00:00Z') });
    expect(findBestMatchingCertificate(host, [expiring, lasting], NOW)?.arn).toBe('lasting');
  });
});

describe('findBestMatchingCertificates', () => {
  it('unions the chosen ARNs over hosts and reports hosts without a certificate', () => {
    const wildcard = cert('wild', ['*.example.org']);
    const other = cert('other', ['shop.example.com']);
    const result = findBestMatchingCertificates(
      ['a.example.org', 'shop.example.com', 'b.example.org', 'unknown.example.net'],
      [wildcard, other],
      NOW,
    );
    expect(result).toEqual({ arns: ['wild', 'other'], unmatched: ['unknown.example.net'] });
  });

  it('returns nothing for no hosts', () => {
    expect(findBestMatchingCertificates([], [cert('a', ['a'])], NOW)).toEqual({ arns: [], unmatched: [] });
  });
});
