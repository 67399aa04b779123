// Certificates from ACM, listed as upstream does: ISSUED only, no Includes (so AWS's default key-type filter
// applies and only RSA-2048 certificates come back), the optional filter tag checked per certificate, and the
// PEM fetched per certificate.
import {
  GetCertificateCommand,
  ListTagsForCertificateCommand,
  paginateListCertificates,
  type ACMClient,
} from '@aws-sdk/client-acm';
import type { CertificateSummary } from '../../planning/types/certificate.ts';
import { CertificateParseError, CertificateProviderError } from './errors.ts';
import {
  hasTag,
  mapConcurrent,
  parseFilterTag,
  type CertificateLogger,
  type CertificateProvider,
  type FilterTag,
} from './provider.ts';
import { SummaryMemo } from './summary-memo.ts';
import type { TrustedRoots } from './trusted-roots.ts';

export interface AcmProviderOptions {
  readonly acm: ACMClient;
  readonly trustedRoots: TrustedRoots;
  /** `--cert-filter-tag`; '' = every certificate. */
  readonly filterTag?: string;
  /** MaxItems per ListCertificates page; unset leaves the service default. */
  readonly pageSize?: number;
  /** Per-certificate calls in flight. ACM's GetCertificate allows about 10 per second per account. */
  readonly concurrency?: number;
  readonly logger?: CertificateLogger;
}

export class AcmCertificateProvider implements CertificateProvider {
  readonly source = 'acm' as const;
  private readonly memo: SummaryMemo;
  private readonly filterTag: FilterTag | undefined;

  constructor(private readonly options: AcmProviderOptions) {
    this.memo = new SummaryMemo('acm', options.trustedRoots);
    this.filterTag = parseFilterTag(options.filterTag ?? '');
  }

  async list(): Promise<CertificateSummary[]> {
    const { acm, pageSize } = this.options;
    const arns: string[] = [];
    try {
      const pages = paginateListCertificates(pageSize ? { client: acm, pageSize } : { client: acm }, {
        CertificateStatuses: ['ISSUED'],
      });
      for await (const page of pages) {
        for (const c of page.CertificateSummaryList ?? []) if (c.CertificateArn) arns.push(c.CertificateArn);
      }
    } catch (e) {
      throw new CertificateProviderError('acm', 'ListCertificates', e);
    }

    const summaries = await mapConcurrent(arns, this.options.concurrency ?? 5, (arn) => this.summary(arn));
    this.memo.retain(arns);
    return summaries.filter((s): s is CertificateSummary => s !== undefined);
  }

  private async summary(arn: string): Promise<CertificateSummary | undefined> {
    const { acm } = this.options;
    if (this.filterTag) {
      const tags = await call('ListTagsForCertificate', () => acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn })));
      if (!hasTag(tags.Tags ?? [], this.filterTag)) return undefined;
    }
    const pem = await call('GetCertificate', () => acm.send(new GetCertificateCommand({ CertificateArn: arn })));
    try {
      return this.memo.summarize({ arn, certificatePem: pem.Certificate ?? '', chainPem: pem.CertificateChain ?? '' });
    } catch (e) {
      if (!(e instanceof CertificateParseError)) throw e;
      // Upstream fails the whole listing here, which would freeze the cache on one bad import; skipping only
      // the unusable certificate keeps the others current.
      this.options.logger?.warn({ arn, err: e }, 'skipping ACM certificate that does not parse');
      return undefined;
    }
  }
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    throw new CertificateProviderError('acm', operation, e);
  }
}
