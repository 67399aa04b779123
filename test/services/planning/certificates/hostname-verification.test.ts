import { describe, expect, it } from 'vitest';
import { verifyForHost, verifyHostname } from '../../../../services/planning/certificates/hostname-verification.ts';
import { DAY, NOW, cert } from '../model/builders.ts';

describe('verifyHostname (Go x509 hostname rules over DNS SANs)', () => {
  it.each([
    ['exact name', ['foo.example.org'], 'foo.example.org', true],
    ['case-insensitive host', ['foo.example.org'], 'FOO.Example.org', true],
    ['case-insensitive SAN', ['FOO.EXAMPLE.ORG'], 'foo.example.org', true],
    ['trailing dot on the host', ['foo.example.org'], 'foo.example.org.', true],
    ['wildcard covers one label', ['*.example.org'], 'foo.example.org', true],
    ['wildcard does not cover two labels', ['*.example.org'], 'a.b.example.org', false],
    ['wildcard does not cover the apex', ['*.example.org'], 'example.org', false],
    ['partial-label wildcard is not a wildcard', ['f*.example.org'], 'foo.example.org', false],
    ['wildcard only in the left-most label', ['foo.*.org'], 'foo.example.org', false],
    ['bare * matches nothing', ['*'], 'foo', false],
    ['literal wildcard host matches its SAN exactly', ['*.example.org'], '*.example.org', true],
    ['other SAN in the list', ['bar.example.org', 'foo.example.org'], 'foo.example.org', true],
    ['no SANs at all', [], 'foo.example.org', false],
    ['IP host never matches DNS SANs', ['10.0.0.1'], '10.0.0.1', false],
    ['underscore tolerated', ['_svc.example.org'], '_svc.example.org', true],
  ])('%s', (_label, sans, host, expected) => {
    expect(verifyHostname(sans, host)).toBe(expected);
  });
});

describe('verifyForHost', () => {
  const host = 'foo.example.org';

  it.each([
    ['valid and trusted', cert('a', [host]), true],
    ['self-signed / private CA (untrusted)', cert('a', [host], { trusted: false }), false],
    ['expired leaf', cert('a', [host], { notBefore: NOW - 90 * DAY, notAfter: NOW - DAY }), false],
    ['leaf not yet valid', cert('a', [host], { notBefore: NOW + DAY, notAfter: NOW + 90 * DAY }), false],
    ['intermediate expired', cert('a', [host], { chainNotAfter: NOW - 1 }), false],
    ['intermediate not yet valid', cert('a', [host], { chainNotBefore: NOW + 1 }), false],
    ['valid exactly at notAfter (Go checks strictly after)', cert('a', [host], { notAfter: NOW, chainNotAfter: NOW }), true],
    ['valid exactly at notBefore', cert('a', [host], { notBefore: NOW, chainNotBefore: NOW }), true],
    ['CN-only certificate fails: the CN is ignored', cert('a', [host], { dnsNames: [] }), false],
    ['SANs do not cover the host', cert('a', ['bar.example.org']), false],
  ])('%s', (_label, c, expected) => {
    expect(verifyForHost(c, host, NOW)).toBe(expected);
  });
});
