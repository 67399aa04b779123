// A certificate known to the controller (ACM or IAM), reduced to what selection needs.

export type CertificateSource = 'acm' | 'iam';

export interface CertificateSummary {
  readonly arn: string;
  readonly source: CertificateSource;
  /** Subject CN (if any) followed by the DNS SANs: what upstream's prefix-glob matching looks at. */
  readonly domainNames: readonly string[];
  /** DNS SANs only: what X.509 hostname verification looks at (the CN is ignored there). */
  readonly dnsNames: readonly string[];
  /** Leaf validity, epoch ms. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** Validity window of the whole verified chain (intersection over leaf and intermediates), epoch ms. */
  readonly chainNotBefore: number;
  readonly chainNotAfter: number;
  /** The chain verifies (signatures, CA constraints, server-auth usage) to a trusted root, ignoring time. */
  readonly trusted: boolean;
}
