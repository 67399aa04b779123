// X.509 hostname and validity checks as Go's crypto/x509 Verify applies them, reduced to what a
// CertificateSummary carries. Upstream only auto-selects certificates that pass Verify, so a drop-in must
// reject exactly the same ones (self-signed, private CA, expired, not yet valid, SANs not covering the host).
import { isIP } from 'node:net';
import type { CertificateSummary } from '../types/certificate.ts';

/** Go's Verify with DNSName=host and CurrentTime=now, given that chain building already ran into `trusted`. */
export function verifyForHost(cert: CertificateSummary, host: string, now: number): boolean {
  if (!cert.trusted) return false;
  // Go rejects a certificate only when now is strictly before NotBefore or strictly after NotAfter.
  if (now < cert.notBefore || now > cert.notAfter) return false;
  if (now < cert.chainNotBefore || now > cert.chainNotAfter) return false;
  return verifyHostname(cert.dnsNames, host);
}

/** Go's Certificate.VerifyHostname over the DNS SANs; the subject CN is deliberately never consulted. */
export function verifyHostname(dnsNames: readonly string[], host: string): boolean {
  const bracketless = host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  // IP hosts are checked against IP SANs only, which the summary does not carry: none can match.
  if (isIP(bracketless) !== 0) return false;

  const candidate = asciiLower(host);
  const candidateIsValid = isValidHostname(candidate, false);
  for (const pattern of dnsNames) {
    // Go applies wildcard and trailing-dot rules only when both sides are well-formed names; anything else must
    // match byte for byte (case aside), which is how a literal "*.example.org" host matches its own SAN.
    const matched =
      candidateIsValid && isValidHostname(pattern, true)
        ? matchHostnames(pattern, candidate)
        : matchExactly(pattern, candidate);
    if (matched) return true;
  }
  return false;
}

function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return asciiLower(a) === asciiLower(b);
}

function matchHostnames(pattern: string, host: string): boolean {
  const p = asciiLower(pattern);
  const h = asciiLower(host.endsWith('.') ? host.slice(0, -1) : host);
  if (p === '' || h === '') return false;
  const patternLabels = p.split('.');
  const hostLabels = h.split('.');
  // Same label count is what limits "*." to exactly one label.
  if (patternLabels.length !== hostLabels.length) return false;
  return patternLabels.every((label, i) => (i === 0 && label === '*') || label === hostLabels[i]);
}

function isValidHostname(name: string, isPattern: boolean): boolean {
  const host = !isPattern && name.endsWith('.') ? name.slice(0, -1) : name;
  if (host === '' || host === '*') return false;
  return host.split('.').every((label, i) => {
    if (label === '') return false;
    if (isPattern && i === 0 && label === '*') return true;
    for (let j = 0; j < label.length; j++) {
      const c = label[j] as string;
      const ok =
        (c >= 'a' && c <= 'z') ||
        (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') ||
        (c === '-' && j !== 0) ||
        // Not valid in DNS, but Go tolerates it because it shows up outside the WebPKI.
        c === '_';
      if (!ok) return false;
    }
    return true;
  });
}

// Go lowercases ASCII only; String.prototype.toLowerCase would also fold non-ASCII letters.
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
