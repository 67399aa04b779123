// Server certificates from IAM, listed as upstream does: every path (PathPrefix=/), the optional filter tag
// from ListServerCertificateTags, the PEM from GetServerCertificate. IAM has no status: every listed
// certificate is usable.
import {
  GetServerCertificateCommand,
  paginateListServerCertificates,
  paginateListServerCertificateTags,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
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

export interface IamProviderOptions {
  readonly iam: IAMClient;
  readonly trustedRoots: TrustedRoots;
  /** `--cert-filter-tag`; '' = every certificate. */
  readonly filterTag?: string;
  /** MaxItems per list page; unset leaves the service default. */
  readonly pageSize?: number;
  /** Per-certificate calls in flight. */
  readonly concurrency?: number;
  readonly logger?: CertificateLogger;
}

interface Listed {
  readonly arn: string;
  readonly name: string;
}

export class IamCertificateProvider implements CertificateProvider {
  readonly source = 'iam' as const;
  private readonly memo: SummaryMemo;
  private readonly filterTag: FilterTag | undefined;

  constructor(private readonly options: IamProviderOptions) {
    this.memo = new SummaryMemo('iam', options.trustedRoots);
    this.filterTag = parseFilterTag(options.filterTag ?? '');
  }

  async list(): Promise<CertificateSummary[]> {
    const listed: Listed[] = [];
    try {
      for await (const page of paginateListServerCertificates(this.paging(), { PathPrefix: '/' })) {
        for (const m of page.ServerCertificateMetadataList ?? []) {
          if (m.Arn && m.ServerCertificateName) listed.push({ arn: m.Arn, name: m.ServerCertificateName });
        }
      }
    } catch (e) {
      throw new CertificateProviderError('iam', 'ListServerCertificates', e);
    }

    const summaries = await mapConcurrent(listed, this.options.concurrency ?? 5, (c) => this.summary(c));
    this.memo.retain(listed.map((c) => c.arn));
    return summaries.filter((s): s is CertificateSummary => s !== undefined);
  }

  private async summary({ arn, name }: Listed): Promise<CertificateSummary | undefined> {
    if (this.filterTag) {
      const tags = await call('ListServerCertificateTags', async () => {
        const all: Tag[] = [];
        for await (const page of paginateListServerCertificateTags(this.paging(), { ServerCertificateName: name })) {
          all.push(...(page.Tags ?? []));
        }
        return all;
      });
      if (!hasTag(tags, this.filterTag)) return undefined;
    }
    const out = await call('GetServerCertificate', () =>
      this.options.iam.send(new GetServerCertificateCommand({ ServerCertificateName: name })),
    );
    const body = out.ServerCertificate?.CertificateBody ?? '';
    const chain = out.ServerCertificate?.CertificateChain ?? '';
    try {
      return this.memo.summarize({ arn, certificatePem: body, chainPem: chain });
    } catch (e) {
      if (!(e instanceof CertificateParseError)) throw e;
      // Upstream fails the whole listing here; one malformed upload must not freeze every other certificate.
      this.options.logger?.warn({ arn, err: e }, 'skipping IAM server certificate that does not parse');
      return undefined;
    }
  }

  private paging() {
    const { iam, pageSize } = this.options;
    return pageSize ? { client: iam, pageSize } : { client: iam };
  }
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    throw new CertificateProviderError('iam', operation, e);
  }
}
