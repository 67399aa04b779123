// One certificate from ACM or IAM reduced to what selection needs, verified against the trusted roots.
import type { CertificateSource, CertificateSummary } from '../../planning/types/certificate.ts';
import { verifyChain } from './chain-verification.ts';
import { CertificateParseError } from './errors.ts';
import { parseCertificate, pemCertificates, type ParsedCertificate } from './parsed-certificate.ts';
import type { TrustedRoots } from './trusted-roots.ts';

export interface SummarizeInput {
  readonly arn: string;
  readonly source: CertificateSource;
  /** The certificate body; blocks after the first are treated as chain material. */
  readonly certificatePem: string;
  /** Intermediates (possibly with the root); '' when none was uploaded. */
  readonly chainPem: string;
  readonly trustedRoots: TrustedRoots;
}

/** Throws CertificateParseError when the body holds no parsable certificate. */
export function summarizeCertificate(input: SummarizeInput): CertificateSummary {
  const [leafDer, ...extraDer] = pemCertificates(input.certificatePem);
  if (!leafDer) throw new CertificateParseError(input.arn, 'the body contains no PEM CERTIFICATE block');
  let leaf: ParsedCertificate;
  try {
    leaf = parseCertificate(leafDer);
  } catch (e) {
    throw new CertificateParseError(input.arn, `the body does not parse: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  // A chain block that does not parse cannot link anything; dropping it leaves the verdict to the rest.
  const intermediates = [...extraDer, ...pemCertificates(input.chainPem)].flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });

  const { commonName, dnsNames, notBefore, notAfter } = leaf.fields;
  const verification = verifyChain(leaf, intermediates, input.trustedRoots);
  return {
    arn: input.arn,
    source: input.source,
    domainNames: commonName ? [commonName, ...dnsNames] : [...dnsNames],
    dnsNames: [...dnsNames],
    notBefore,
    notAfter,
    chainNotBefore: verification.chainNotBefore,
    chainNotAfter: verification.chainNotAfter,
    trusted: verification.trusted,
  };
}
