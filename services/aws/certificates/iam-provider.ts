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
import { hasTag, ListedCertificateProvider, type CertificatePem, type FilterTag, type ListedProviderOptions } from './provider.ts';

export interface IamProviderOptions extends ListedProviderOptions {
  readonly iam: IAMClient;
  /** MaxItems per list page; unset leaves the service default. */
  readonly pageSize?: number;
}

interface Listed {
  readonly arn: string;
  readonly name: string;
}

export class IamCertificateProvider extends ListedCertificateProvider<Listed> {
  constructor(private readonly options: IamProviderOptions) {
    super('iam', options);
  }

  protected async listAll(): Promise<Listed[]> {
    const listed: Listed[] = [];
    await this.call('ListServerCertificates', async () => {
      for await (const page of paginateListServerCertificates(this.paging(), { PathPrefix: '/' })) {
        for (const m of page.ServerCertificateMetadataList ?? []) {
          if (m.Arn && m.ServerCertificateName) listed.push({ arn: m.Arn, name: m.ServerCertificateName });
        }
      }
    });
    return listed;
  }

  protected async carriesTag({ name }: Listed, tag: FilterTag): Promise<boolean> {
    const tags = await this.call('ListServerCertificateTags', async () => {
      const all: Tag[] = [];
      for await (const page of paginateListServerCertificateTags(this.paging(), { ServerCertificateName: name })) {
        all.push(...(page.Tags ?? []));
      }
      return all;
    });
    return hasTag(tags, tag);
  }

  protected async fetchPem({ name }: Listed): Promise<CertificatePem> {
    const out = await this.call('GetServerCertificate', () =>
      this.options.iam.send(new GetServerCertificateCommand({ ServerCertificateName: name })),
    );
    return { certificatePem: out.ServerCertificate?.CertificateBody ?? '', chainPem: out.ServerCertificate?.CertificateChain ?? '' };
  }

  private paging() {
    const { iam, pageSize } = this.options;
    return pageSize ? { client: iam, pageSize } : { client: iam };
  }
}
