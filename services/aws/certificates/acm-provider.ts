// Certificates from ACM, listed as upstream does: ISSUED only, no Includes (so AWS's default key-type filter
// applies and only RSA-2048 certificates come back), the optional filter tag checked per certificate, and the
// PEM fetched per certificate.
import {
  GetCertificateCommand,
  ListTagsForCertificateCommand,
  paginateListCertificates,
  type ACMClient,
} from '@aws-sdk/client-acm';
import { hasTag, ListedCertificateProvider, type CertificatePem, type FilterTag, type ListedProviderOptions } from './provider.ts';

export interface AcmProviderOptions extends ListedProviderOptions {
  readonly acm: ACMClient;
  /** MaxItems per ListCertificates page; unset leaves the service default. */
  readonly pageSize?: number;
  /** Per-certificate calls in flight. ACM's GetCertificate allows about 10 per second per account. */
  readonly concurrency?: number;
}

export class AcmCertificateProvider extends ListedCertificateProvider<{ readonly arn: string }> {
  constructor(private readonly options: AcmProviderOptions) {
    super('acm', options);
  }

  protected async listAll(): Promise<{ arn: string }[]> {
    const { acm, pageSize } = this.options;
    const listed: { arn: string }[] = [];
    await this.call('ListCertificates', async () => {
      const pages = paginateListCertificates(pageSize ? { client: acm, pageSize } : { client: acm }, { CertificateStatuses: ['ISSUED'] });
      for await (const page of pages) {
        for (const c of page.CertificateSummaryList ?? []) if (c.CertificateArn) listed.push({ arn: c.CertificateArn });
      }
    });
    return listed;
  }

  protected async carriesTag({ arn }: { arn: string }, tag: FilterTag): Promise<boolean> {
    const tags = await this.call('ListTagsForCertificate', () => this.options.acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn })));
    return hasTag(tags.Tags ?? [], tag);
  }

  protected async fetchPem({ arn }: { arn: string }): Promise<CertificatePem> {
    const pem = await this.call('GetCertificate', () => this.options.acm.send(new GetCertificateCommand({ CertificateArn: arn })));
    return { certificatePem: pem.Certificate ?? '', chainPem: pem.CertificateChain ?? '' };
  }
}
