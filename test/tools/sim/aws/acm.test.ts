import {
  ACMClient, DescribeCertificateCommand, GetCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand,
  paginateListCertificates,
} from '@aws-sdk/client-acm';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmService } from '../../../../tools/sim/aws/acm.ts';
import { trustedRootPem } from '../../../../tools/sim/aws/certificates.ts';
import type { AwsWorldInput } from '../../../../tools/sim/aws/world.ts';
import { collect, failure, startSim, type SimUnderTest } from './sdk.ts';

const arn = (id: string) => `arn:aws:acm:eu-central-1:123456789012:certificate/${id}`;

const input: AwsWorldInput = {
  certificates: [
    { arn: arn('public'), domains: ['foo.example.org', '*.example.org'], notBefore: '2025-12-01T00:00:00Z', notAfter: '2026-06-01T00:00:00Z', tags: { production: 'true' } },
    { arn: arn('self'), domains: ['self.example.org'], trust: 'self-signed' },
    { arn: arn('private'), domains: ['internal.example.org'], trust: 'private-ca' },
    { arn: arn('pending'), domains: ['new.example.org'], status: 'PENDING_VALIDATION' },
    { arn: arn('expired'), domains: ['old.example.org'], status: 'EXPIRED', notAfter: '2025-06-01T00:00:00Z', notBefore: '2024-06-01T00:00:00Z' },
    ...Array.from({ length: 5 }, (_, n) => ({ arn: arn(`bulk-${n}`), domains: [`b${n}.example.org`] })),
    { arn: 'arn:aws:iam::123456789012:server-certificate/iam-only', source: 'iam' as const, domains: ['iam.example.org'] },
  ],
};

let sim: SimUnderTest;
let acm: ACMClient;

beforeAll(async () => {
  sim = await startSim(input, [acmService]);
  acm = new ACMClient(sim.config);
});
afterAll(async () => {
  acm.destroy();
  await sim.close();
});

describe('ListCertificates', () => {
  it('lists ACM certificates with the ISSUED filter the controller uses', async () => {
    const out = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    const arns = out.CertificateSummaryList?.map((c) => c.CertificateArn);
    expect(arns).toEqual([arn('public'), arn('self'), arn('private'), ...[0, 1, 2, 3, 4].map((n) => arn(`bulk-${n}`))]);
    expect(out.CertificateSummaryList?.[0]).toMatchObject({
      DomainName: 'foo.example.org',
      SubjectAlternativeNameSummaries: ['foo.example.org', '*.example.org'],
      Status: 'ISSUED',
      KeyAlgorithm: 'RSA-2048',
      NotBefore: new Date('2025-12-01T00:00:00Z'),
      NotAfter: new Date('2026-06-01T00:00:00Z'),
    });
  });

  it('lists every status without a filter, and nothing for key types our leaves do not have', async () => {
    const all = await acm.send(new ListCertificatesCommand({}));
    expect(all.CertificateSummaryList).toHaveLength(10);
    const ec = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }));
    expect(ec.CertificateSummaryList).toEqual([]);
    const rsa = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] }, CertificateStatuses: ['EXPIRED'] }));
    expect(rsa.CertificateSummaryList?.map((c) => c.CertificateArn)).toEqual([arn('expired')]);
  });

  it('pages with MaxItems/NextToken through the SDK paginator', async () => {
    const pages = await collect(paginateListCertificates({ client: acm, pageSize: 4 }, { CertificateStatuses: ['ISSUED'] }));
    expect(pages.map((p) => p.CertificateSummaryList?.length)).toEqual([4, 4]);
    expect(pages.at(-1)?.NextToken).toBeUndefined();
  });
});

describe('DescribeCertificate', () => {
  it('describes a certificate with dates, SANs and type', async () => {
    const out = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn('public') }));
    expect(out.Certificate).toMatchObject({
      CertificateArn: arn('public'),
      DomainName: 'foo.example.org',
      SubjectAlternativeNames: ['foo.example.org', '*.example.org'],
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      NotAfter: new Date('2026-06-01T00:00:00Z'),
      InUseBy: [],
    });
    const self = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn('self') }));
    expect(self.Certificate?.Type).toBe('IMPORTED');
  });

  it('answers ResourceNotFoundException for unknown and IAM ARNs, InvalidArnException for garbage', async () => {
    expect((await failure(acm.send(new DescribeCertificateCommand({ CertificateArn: arn('nope') })))).name).toBe('ResourceNotFoundException');
    const iam = await failure(acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:iam::123456789012:server-certificate/iam-only' })));
    expect(iam.name).toBe('InvalidArnException');
    expect((await failure(acm.send(new DescribeCertificateCommand({ CertificateArn: 'nope' })))).name).toBe('InvalidArnException');
  });
});

describe('GetCertificate', () => {
  it('returns a PEM body and a chain to the trusted root', async () => {
    const out = await acm.send(new GetCertificateCommand({ CertificateArn: arn('public') }));
    const leaf = new X509Certificate(out.Certificate!);
    const intermediate = new X509Certificate(out.CertificateChain!);
    expect(leaf.checkHost('bar.example.org')).toBe('*.example.org');
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(intermediate.checkIssued(new X509Certificate(await trustedRootPem()))).toBe(true);
    expect(new Date(leaf.validTo).toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  it('omits the chain of a self-signed certificate', async () => {
    const out = await acm.send(new GetCertificateCommand({ CertificateArn: arn('self') }));
    expect(out.Certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(out.CertificateChain).toBeUndefined();
  });

  it('refuses pending and unknown certificates', async () => {
    expect((await failure(acm.send(new GetCertificateCommand({ CertificateArn: arn('pending') })))).name).toBe('RequestInProgressException');
    const err = await failure(acm.send(new GetCertificateCommand({ CertificateArn: arn('nope') })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('ListTagsForCertificate', () => {
  it('returns the tags, and ResourceNotFoundException for unknown ARNs', async () => {
    const out = await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn('public') }));
    expect(out.Tags).toEqual([{ Key: 'production', Value: 'true' }]);
    const none = await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn('self') }));
    expect(none.Tags).toEqual([]);
    expect((await failure(acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn('nope') })))).name).toBe('ResourceNotFoundException');
  });
});
