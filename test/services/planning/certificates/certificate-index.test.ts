// The index and its memo must choose exactly what the linear scan chooses, for any host, certificate list and
// time, including times that cross validity and 7-day-window boundaries while the memo is warm.
import { describe, expect, it } from 'vitest';
import { findBestMatchingCertificate, findBestMatchingCertificates, MINIMAL_CERT_VALIDITY_MS } from '../../../../services/planning/certificates/best-match.ts';
import { CertificateIndex, certificateIndex } from '../../../../services/planning/certificates/certificate-index.ts';
import type { CertificateSummary } from '../../../../services/planning/types/certificate.ts';
import { seededRandom } from '../../../../tools/support/seeded-random.ts';
import { cert, DAY, NOW } from '../model/builders.ts';

const NAMES = ['a.example.org', 'b.example.org', '*.example.org', 'example.org', 'A.Example.ORG', '*.sub.example.org',
  'x.sub.example.org', 'a.example.org.', '*', 'localhost', '*.org', 'other.net', 'a_b.example.org', '*.*.example.org'];
const HOSTS = ['a.example.org', 'b.example.org', 'c.example.org', 'example.org', 'A.EXAMPLE.org', 'x.sub.example.org',
  'y.sub.example.org', 'a.example.org.', 'localhost', 'other.net', '10.0.0.1', '[::1]', 'a_b.example.org', '*.example.org', 'deep.x.sub.example.org', ''];

function randomWorld(random: () => number): CertificateSummary[] {
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const count = 1 + Math.floor(random() * 8);
  return Array.from({ length: count }, (_, i) => {
    const names = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(NAMES));
    // Validity windows around NOW so that the test times cross their edges and the 7-day window.
    const notBefore = NOW + Math.floor((random() - 0.6) * 20) * DAY;
    const notAfter = notBefore + Math.floor(random() * 30) * DAY + (random() < 0.3 ? MINIMAL_CERT_VALIDITY_MS : 0);
    return cert(`arn:${i}`, names, {
      notBefore, notAfter, trusted: random() < 0.9,
      domainNames: random() < 0.3 ? ['cn.example.org', ...names] : names,
      chainNotBefore: notBefore - (random() < 0.2 ? -DAY : DAY), chainNotAfter: notAfter + (random() < 0.2 ? -DAY : DAY),
    });
  });
}

describe('CertificateIndex', () => {
  it('chooses what the linear scan chooses, for 400 random worlds over a moving clock', () => {
    const random = seededRandom(42);
    let compared = 0;
    for (let world = 0; world < 400; world++) {
      const certs = randomWorld(random);
      const index = new CertificateIndex(certs);
      // Times move forward (as the clock does) across every boundary of interest, the memo warm all along.
      const times = [...new Set(certs.flatMap((c) => [c.notBefore, c.notAfter, c.notAfter - MINIMAL_CERT_VALIDITY_MS, c.chainNotBefore]))
        .values()].flatMap((t) => [t - 1, t, t + 1]).sort((a, b) => a - b);
      for (const now of times) {
        for (const host of HOSTS) {
          expect(index.best(host, now)?.arn).toBe(findBestMatchingCertificate(host, certs, now)?.arn);
          compared++;
        }
        expect(index.bestMatches(HOSTS, now)).toEqual(findBestMatchingCertificates(HOSTS, certs, now));
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });

  it('is built once per certificate list', () => {
    const certs = [cert('arn:1', ['a.example.org'])];
    expect(certificateIndex(certs)).toBe(certificateIndex(certs));
    expect(certificateIndex([...certs])).not.toBe(certificateIndex(certs));
  });
});
