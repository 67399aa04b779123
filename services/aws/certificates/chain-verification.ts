// Chain building as Go's x509.Verify does it for upstream's certificate selection (KeyUsages=[ServerAuth],
// intermediates from the certificate's chain, roots from the trust store), minus two things: time, which the
// selector checks per cycle against the window reported here, and the hostname, which depends on the ingress.
// Parse once, verify once: the result is cached per certificate by the summarizer.
import type { ParsedCertificate } from './parsed-certificate.ts';
import type { TrustedRoots } from './trusted-roots.ts';

export interface ChainVerification {
  readonly trusted: boolean;
  /** Intersection of the validity of the leaf and the intermediates of the chosen chain; the leaf's alone if untrusted. */
  readonly chainNotBefore: number;
  readonly chainNotAfter: number;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
// Go still accepts the old server-gated-crypto purposes wherever server auth is asked for.
const NETSCAPE_SGC = '2.16.840.1.113730.4.1';
const MICROSOFT_SGC = '1.3.6.1.4.1.311.10.3.3';
const SERVER_AUTH_EQUIVALENTS = new Set([SERVER_AUTH, ANY_EXTENDED_KEY_USAGE, NETSCAPE_SGC, MICROSOFT_SGC]);

// Go refuses chains signed with these (MD2, MD5, and SHA-1 with RSA, DSA or ECDSA).
const INSECURE_SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.2',
  '1.2.840.113549.1.1.4',
  '1.2.840.113549.1.1.5',
  '1.2.840.10040.4.3',
  '1.2.840.10045.4.1',
]);

// Bounds against pathological chain material (cross-signing loops, hundreds of same-named intermediates).
const MAX_CHAIN_LENGTH = 10;
const MAX_CHAINS = 16;

export function verifyChain(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  roots: TrustedRoots,
): ChainVerification {
  const chains = roots.contains(leaf) ? [[leaf]] : buildChains(leaf, intermediates, roots);
  let best: ChainVerification | undefined;
  for (const chain of chains) {
    if (!allowsServerAuth(chain)) continue;
    const window = chainWindow(chain);
    if (
      !best ||
      window.chainNotAfter > best.chainNotAfter ||
      (window.chainNotAfter === best.chainNotAfter && window.chainNotBefore < best.chainNotBefore)
    ) {
      best = { trusted: true, ...window };
    }
  }
  return best ?? { trusted: false, chainNotBefore: leaf.fields.notBefore, chainNotAfter: leaf.fields.notAfter };
}

/** Every chain leaf → intermediates → root (up to the bounds), root last. */
function buildChains(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  roots: TrustedRoots,
): ParsedCertificate[][] {
  const found: ParsedCertificate[][] = [];
  const signatures = new Map<string, boolean>();
  const signedBy = (child: ParsedCertificate, parent: ParsedCertificate): boolean => {
    const key = `${child.x509.fingerprint256}|${parent.x509.fingerprint256}`;
    let ok = signatures.get(key);
    if (ok === undefined) {
      ok = checkSignature(child, parent);
      signatures.set(key, ok);
    }
    return ok;
  };

  const extend = (chain: ParsedCertificate[]): void => {
    const current = chain[chain.length - 1]!;
    for (const root of roots.issuersOf(current)) {
      if (found.length >= MAX_CHAINS) return;
      if (withinPathLength(root, chain) && signedBy(current, root)) found.push([...chain, root]);
    }
    if (chain.length >= MAX_CHAIN_LENGTH) return;
    for (const candidate of intermediates) {
      if (found.length >= MAX_CHAINS) return;
      if (!candidate.fields.rawSubject.equals(current.fields.rawIssuer)) continue;
      if (chain.some((c) => c.der.equals(candidate.der))) continue;
      // Go requires intermediates to be CAs by basic constraints; roots are trusted as they are.
      if (!candidate.fields.basicConstraints?.ca) continue;
      if (!withinPathLength(candidate, chain) || !signedBy(current, candidate)) continue;
      extend([...chain, candidate]);
    }
  };
  extend([leaf]);
  return found;
}

function checkSignature(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  if (INSECURE_SIGNATURE_ALGORITHMS.has(child.fields.signatureAlgorithm)) return false;
  try {
    return child.x509.verify(parent.x509.publicKey);
  } catch {
    // Key types Node cannot verify with cannot form a chain.
    return false;
  }
}

/** A parent's pathLen caps the intermediates below it (the leaf does not count). */
function withinPathLength(parent: ParsedCertificate, chainBelow: readonly ParsedCertificate[]): boolean {
  const pathLen = parent.fields.basicConstraints?.pathLen;
  return pathLen === undefined || chainBelow.length - 1 <= pathLen;
}

/** Certificates without the extension allow any usage; those with it must allow server auth. */
function allowsServerAuth(chain: readonly ParsedCertificate[]): boolean {
  return chain.every((c) => {
    const usages = c.fields.extKeyUsages;
    return usages === undefined || usages.length === 0 || usages.some((u) => SERVER_AUTH_EQUIVALENTS.has(u));
  });
}

function chainWindow(chain: readonly ParsedCertificate[]): { chainNotBefore: number; chainNotAfter: number } {
  // The root's own validity is left out, as the summary's contract says; a one-element chain is the leaf itself.
  const counted = chain.length > 1 ? chain.slice(0, -1) : chain;
  return {
    chainNotBefore: Math.max(...counted.map((c) => c.fields.notBefore)),
    chainNotAfter: Math.min(...counted.map((c) => c.fields.notAfter)),
  };
}
