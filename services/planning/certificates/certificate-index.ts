// Certificate selection at scale: the same choice as findBestMatchingCertificate, without scanning every
// certificate for every host. Candidates come from an index of the certificates' DNS names (the host itself and
// its one-label wildcard parent are the only names X.509 verification can accept), and the best match per host
// is remembered until the clock crosses an instant at which any comparison the choice made could flip.
//
// One index belongs to one certificate list (the cache hands out a new array when the set changes), so a new
// certificate set starts with an empty memo.
import type { CertificateSummary } from '../types/certificate.ts';
import { MINIMAL_CERT_VALIDITY_MS, replacesCandidate, type Candidate, type HostCertificateMatches } from './best-match.ts';
import { asciiLower, verifyForHost } from './hostname-verification.ts';
import { prefixGlob } from './prefix-glob.ts';

interface MemoEntry {
  readonly cert: CertificateSummary | undefined;
  /** The choice holds for from <= now < until. */
  readonly from: number;
  readonly until: number;
}

export class CertificateIndex {
  /** Lower-cased DNS name -> positions of the certificates carrying it, ascending. */
  private readonly byName = new Map<string, number[]>();
  private readonly memo = new Map<string, MemoEntry>();
  readonly arns: ReadonlySet<string>;

  constructor(readonly certificates: readonly CertificateSummary[]) {
    certificates.forEach((cert, position) => {
      for (const name of new Set(cert.dnsNames.map(asciiLower))) {
        const positions = this.byName.get(name);
        if (positions === undefined) this.byName.set(name, [position]);
        else positions.push(position);
      }
    });
    this.arns = new Set(certificates.map((c) => c.arn));
  }

  /** findBestMatchingCertificates over this index: same arns in the same order, same unmatched hosts. */
  bestMatches(hosts: readonly string[], now: number): HostCertificateMatches {
    const arns: string[] = [];
    const unmatched: string[] = [];
    for (const host of hosts) {
      const cert = this.best(host, now);
      if (cert === undefined) unmatched.push(host);
      else if (!arns.includes(cert.arn)) arns.push(cert.arn);
    }
    return { arns, unmatched };
  }

  /** findBestMatchingCertificate over this index. */
  best(host: string, now: number): CertificateSummary | undefined {
    const cached = this.memo.get(host);
    if (cached !== undefined && cached.from <= now && now < cached.until) return cached.cert;
    const entry = this.choose(host, now);
    this.memo.set(host, entry);
    return entry.cert;
  }

  private choose(host: string, now: number): MemoEntry {
    let best: Candidate | undefined;
    let from = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    for (const position of this.candidates(host)) {
      const cert = this.certificates[position]!;
      // Every comparison with `now` that verification and replacesCandidate make about this certificate flips
      // at one of these instants (strict comparisons on integer milliseconds).
      for (const instant of flipInstants(cert)) {
        if (instant <= now) from = Math.max(from, instant);
        else until = Math.min(until, instant);
      }
      if (!verifyForHost(cert, host, now)) continue;
      for (const name of cert.domainNames) {
        if (!prefixGlob(name, host)) continue;
        const nameLength = Buffer.byteLength(name, 'utf8');
        if (replacesCandidate(best, cert, nameLength, now)) best = { cert, nameLength };
      }
    }
    return { cert: best?.cert, from, until };
  }

  /**
   * Positions of the certificates that can verify for `host`, in list order: a DNS name equal to the host
   * (case aside, with or without the host's trailing dot) or the wildcard of its parent domain. Any other name
   * fails Go's hostname verification whatever the clock says.
   */
  private candidates(host: string): number[] {
    const lower = asciiLower(host);
    const bare = lower.endsWith('.') ? lower.slice(0, -1) : lower;
    const dot = bare.indexOf('.');
    const keys = new Set([lower, bare]);
    if (dot >= 0) keys.add(`*${bare.slice(dot)}`);
    const found: number[] = [];
    for (const key of keys) {
      const positions = this.byName.get(key);
      if (positions !== undefined) found.push(...positions);
    }
    if (keys.size > 1) {
      found.sort((a, b) => a - b);
      return found.filter((p, i) => i === 0 || found[i - 1] !== p);
    }
    return found;
  }
}

function flipInstants(c: CertificateSummary): number[] {
  const windowEnd = c.notAfter - MINIMAL_CERT_VALIDITY_MS;
  return [c.notBefore, c.notBefore + 1, c.notAfter + 1, c.chainNotBefore, c.chainNotAfter + 1, windowEnd, windowEnd + 1];
}

const indexes = new WeakMap<readonly CertificateSummary[], CertificateIndex>();

/** The index of this certificate list, built once per list. */
export function certificateIndex(certificates: readonly CertificateSummary[]): CertificateIndex {
  let index = indexes.get(certificates);
  if (index === undefined) {
    index = new CertificateIndex(certificates);
    indexes.set(certificates, index);
  }
  return index;
}
