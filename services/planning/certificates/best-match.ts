// Upstream's certificate selection for a hostname. The rules are odd in places (see replacesCandidate), but
// they decide which certificate ARN ends up on which stack, so an adopted stack only stays untouched if we
// pick exactly what the Go controller picks.
import type { CertificateSummary } from '../types/certificate.ts';
import { verifyForHost } from './hostname-verification.ts';
import { prefixGlob } from './prefix-glob.ts';

/** A certificate expiring within this window loses to a longer-lived alternative (upstream's constant). */
export const MINIMAL_CERT_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export interface Candidate {
  readonly cert: CertificateSummary;
  /** Length of the certificate name that matched; longer counts as more specific. */
  readonly nameLength: number;
}

/**
 * Whether `challenger`, matched through a name of `nameLength`, takes the place of `current`.
 * Comparisons are strict, like Go's Before/After, so boundary instants fall on the "no" side.
 */
export function replacesCandidate(
  current: Candidate | undefined,
  challenger: CertificateSummary,
  nameLength: number,
  now: number,
): boolean {
  if (current === undefined) return true; // the first match wins regardless of the 7-day window

  const cur = current.cert;
  const expiresSoon = (c: CertificateSummary): boolean => c.notAfter - MINIMAL_CERT_VALIDITY_MS < now;
  const lastsBeyondWindow = (c: CertificateSummary): boolean => c.notAfter - MINIMAL_CERT_VALIDITY_MS > now;

  if (nameLength > current.nameLength) {
    // More specific name (*.example.org -> foo.example.org), only if valid now and not about to expire.
    return challenger.notBefore < now && lastsBeyondWindow(challenger);
  }

  if (nameLength === current.nameLength) {
    // Newer certificate that does not expire within the window.
    if (challenger.notBefore > cur.notBefore && !expiresSoon(challenger)) return true;
    // Same issue date and at least as long-lived.
    if (challenger.notBefore === cur.notBefore && !(cur.notAfter > challenger.notAfter)) return true;
    // Older, but the candidate expires within the window and this one lasts longer.
    return challenger.notBefore < cur.notBefore && expiresSoon(cur) && challenger.notAfter > cur.notAfter;
  }

  // Less specific name: only when the candidate expires soon AND is not valid yet, while the challenger is
  // valid and lasts. Verified candidates are always valid, so this is practically unreachable.
  return (
    expiresSoon(cur) &&
    now < cur.notBefore &&
    challenger.notBefore < now &&
    now < challenger.notAfter - MINIMAL_CERT_VALIDITY_MS
  );
}

/** The best certificate for one host, or undefined when none verifies and matches. */
export function findBestMatchingCertificate(
  host: string,
  certs: readonly CertificateSummary[],
  now: number,
): CertificateSummary | undefined {
  let best: Candidate | undefined;
  for (const cert of certs) {
    if (!verifyForHost(cert, host, now)) continue;
    // Every matching name of a certificate takes part, in order: a certificate can lose to itself, which keeps
    // the recorded name length (and so later comparisons) exactly as upstream computes them.
    for (const name of cert.domainNames) {
      if (!prefixGlob(name, host)) continue;
      // Go's len() counts bytes.
      const nameLength = Buffer.byteLength(name, 'utf8');
      if (replacesCandidate(best, cert, nameLength, now)) best = { cert, nameLength };
    }
  }
  return best?.cert;
}

export interface HostCertificateMatches {
  /** Distinct certificate ARNs, in the order hosts first needed them. */
  readonly arns: string[];
  /** Hosts for which no certificate was found (upstream logs and ignores them). */
  readonly unmatched: string[];
}

export function findBestMatchingCertificates(
  hosts: readonly string[],
  certs: readonly CertificateSummary[],
  now: number,
): HostCertificateMatches {
  const arns: string[] = [];
  const unmatched: string[] = [];
  for (const host of hosts) {
    const cert = findBestMatchingCertificate(host, certs, now);
    if (cert === undefined) unmatched.push(host);
    else if (!arns.includes(cert.arn)) arns.push(cert.arn);
  }
  return { arns, unmatched };
}
