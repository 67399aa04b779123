// The roots a certificate must chain to for automatic selection. Upstream trusts the container's system store;
// we use Node's bundled Mozilla store (the same WebPKI set) plus an optional PEM file, our extension that lets
// certificates from a private CA be selected without being pinned.
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { TrustedRootsError } from './errors.ts';
import { parseCertificate, pemCertificates, type ParsedCertificate } from './parsed-certificate.ts';

export class TrustedRoots {
  private readonly bySubject = new Map<string, ParsedCertificate[]>();
  private readonly rawCertificates = new Set<string>();

  constructor(roots: Iterable<ParsedCertificate>) {
    for (const root of roots) {
      const key = root.der.toString('base64');
      if (this.rawCertificates.has(key)) continue;
      this.rawCertificates.add(key);
      const subject = root.fields.rawSubject.toString('hex');
      const list = this.bySubject.get(subject);
      if (list) list.push(root);
      else this.bySubject.set(subject, [root]);
    }
  }

  /** Roots from PEM texts; a block that does not parse is an error, since it was meant to be trusted. */
  static fromPem(pems: readonly string[]): TrustedRoots {
    return new TrustedRoots(pems.flatMap((pem) => pemCertificates(pem).map(parseCertificate)));
  }

  get size(): number {
    return this.rawCertificates.size;
  }

  /** Roots whose subject is the certificate's issuer (candidates; the signature decides). */
  issuersOf(cert: ParsedCertificate): readonly ParsedCertificate[] {
    return this.bySubject.get(cert.fields.rawIssuer.toString('hex')) ?? [];
  }

  /** The very certificate is a trust anchor. */
  contains(cert: ParsedCertificate): boolean {
    return this.rawCertificates.has(cert.der.toString('base64'));
  }
}

let systemRoots: ParsedCertificate[] | undefined;

function systemRootCertificates(): ParsedCertificate[] {
  // Parsed once per process: about 150 certificates that never change while it runs.
  systemRoots ??= rootCertificates.flatMap((pem) => pemCertificates(pem).map(parseCertificate));
  return systemRoots;
}

/** System roots plus the certificates in `extraFile` ('' = none). */
export async function loadTrustedRoots(extraFile: string): Promise<TrustedRoots> {
  if (extraFile === '') return new TrustedRoots(systemRootCertificates());
  let text: string;
  try {
    text = await readFile(extraFile, 'utf8');
  } catch (e) {
    throw new TrustedRootsError(extraFile, e instanceof Error ? e.message : String(e), { cause: e });
  }
  const blocks = pemCertificates(text);
  if (blocks.length === 0) throw new TrustedRootsError(extraFile, 'contains no PEM CERTIFICATE block');
  const extra = blocks.map((der, i) => {
    try {
      return parseCertificate(der);
    } catch (e) {
      throw new TrustedRootsError(extraFile, `certificate #${i + 1} does not parse: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  });
  return new TrustedRoots([...systemRootCertificates(), ...extra]);
}
