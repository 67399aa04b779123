// Summaries remembered per ARN and certificate material: a refresh every few minutes over a thousand
// unchanged certificates must not parse and verify them all again. A renewed certificate (same ARN, new PEM)
// is summarized afresh; ARNs that left the listing are forgotten so the memo does not grow without bound.
import { createHash } from 'node:crypto';
import type { CertificateSource, CertificateSummary } from '../../planning/types/certificate.ts';
import { summarizeCertificate } from './summarize.ts';
import type { TrustedRoots } from './trusted-roots.ts';

interface Entry {
  readonly fingerprint: string;
  readonly result: { readonly summary: CertificateSummary } | { readonly error: Error };
}

export interface CertificateMaterial {
  readonly arn: string;
  readonly certificatePem: string;
  readonly chainPem: string;
}

export class SummaryMemo {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly source: CertificateSource,
    private readonly trustedRoots: TrustedRoots,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The summary, or the parse error, for this material; both are remembered (a bad body stays bad). */
  summarize(material: CertificateMaterial): CertificateSummary {
    const fingerprint = createHash('sha256').update(material.certificatePem).update('\0').update(material.chainPem).digest('hex');
    let entry = this.entries.get(material.arn);
    if (!entry || entry.fingerprint !== fingerprint) {
      let result: Entry['result'];
      try {
        result = { summary: summarizeCertificate({ ...material, source: this.source, trustedRoots: this.trustedRoots }) };
      } catch (e) {
        result = { error: e instanceof Error ? e : new Error(String(e)) };
      }
      entry = { fingerprint, result };
      this.entries.set(material.arn, entry);
    }
    if ('error' in entry.result) throw entry.result.error;
    return entry.result.summary;
  }

  /** Forget every ARN not in `arns` (called after a complete listing). */
  retain(arns: Iterable<string>): void {
    const keep = new Set(arns);
    for (const arn of this.entries.keys()) if (!keep.has(arn)) this.entries.delete(arn);
  }
}
