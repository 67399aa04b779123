import {
  GetServerCertificateCommand, IAMClient, ListServerCertificatesCommand, ListServerCertificateTagsCommand,
  paginateListServerCertificates,
} from '@aws-sdk/client-iam';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedRootPem } from '../../../../tools/sim/aws/certificates.ts';
import { iamService } from '../../../../tools/sim/aws/iam.ts';
import type { AwsWorldInput } from '../../../../tools/sim/aws/world.ts';
import { collect, failure, startSim, type SimUnderTest } from './sdk.ts';

const arn = (name: string) => `arn:aws:iam::123456789012:server-certificate/${name}`;

const input: AwsWorldInput = {
  certificates: [
    { arn: arn('wildcard'), source: 'iam', domains: ['*.example.org'], notBefore: '2025-12-01T00:00:00Z', notAfter: '2026-06-01T00:00:00Z', tags: { production: 'true' } },
    { arn: arn('self'), source: 'iam', domains: ['self.example.org'], trust: 'self-signed' },
    { arn: arn('cloudfront/edge'), source: 'iam', domains: ['edge.example.org'] },
    ...Array.from({ length: 4 }, (_, n) => ({ arn: arn(`bulk-${n}`), source: 'iam' as const, domains: [`b${n}.example.org`] })),
    { arn: 'arn:aws:acm:eu-central-1:123456789012:certificate/acm-only', domains: ['acm.example.org'] },
  ],
};

let sim: SimUnderTest;
let iam: IAMClient;

beforeAll(async () => {
  sim = await startSim(input, [iamService]);
  iam = new IAMClient(sim.config);
});
afterAll(async () => {
  iam.destroy();
  await sim.close();
});

describe('ListServerCertificates', () => {
  it('lists IAM certificates with metadata derived from the ARN', async () => {
    const out = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/' }));
    expect(out.IsTruncated).toBe(false);
    expect(out.ServerCertificateMetadataList?.map((m) => [m.ServerCertificateName, m.Path])).toEqual([
      ['wildcard', '/'], ['self', '/'], ['edge', '/cloudfront/'], ['bulk-0', '/'], ['bulk-1', '/'], ['bulk-2', '/'], ['bulk-3', '/'],
    ]);
    expect(out.ServerCertificateMetadataList?.[0]).toEqual({
      Path: '/',
      ServerCertificateName: 'wildcard',
      ServerCertificateId: expect.stringMatching(/^ASCA[0-9A-F]{17}$/),
      Arn: arn('wildcard'),
      UploadDate: new Date('2025-12-01T00:00:00Z'),
      Expiration: new Date('2026-06-01T00:00:00Z'),
    });
  });

  it('filters by PathPrefix', async () => {
    const out = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' }));
    expect(out.ServerCertificateMetadataList?.map((m) => m.ServerCertificateName)).toEqual(['edge']);
  });

  it('pages with Marker/MaxItems/IsTruncated through the SDK paginator', async () => {
    const pages = await collect(paginateListServerCertificates({ client: iam, pageSize: 3 }, { PathPrefix: '/' }));
    expect(pages.map((p) => [p.ServerCertificateMetadataList?.length, p.IsTruncated])).toEqual([[3, true], [3, true], [1, false]]);
    expect(sim.server.calls.filter((c) => c.action === 'ListServerCertificates').slice(-3).map((c) => (c.input as any).Marker))
      .toEqual([undefined, 'p3', 'p6']);
  });
});

describe('GetServerCertificate', () => {
  it('returns body, chain and metadata', async () => {
    const out = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'wildcard' }));
    const cert = out.ServerCertificate!;
    expect(cert.ServerCertificateMetadata).toMatchObject({ ServerCertificateName: 'wildcard', Arn: arn('wildcard') });
    const leaf = new X509Certificate(cert.CertificateBody!);
    expect(leaf.checkHost('www.example.org')).toBe('*.example.org');
    expect(new X509Certificate(cert.CertificateChain!).checkIssued(new X509Certificate(await trustedRootPem()))).toBe(true);
    expect(cert.Tags).toEqual([{ Key: 'production', Value: 'true' }]);
  });

  it('omits the chain of a self-signed certificate', async () => {
    const out = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'self' }));
    expect(out.ServerCertificate?.CertificateBody).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(out.ServerCertificate?.CertificateChain).toBeUndefined();
  });

  it('answers NoSuchEntity (404) for unknown names and ACM certificates', async () => {
    const err = await failure(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'nope' })));
    expect(err.name).toBe('NoSuchEntityException');
    expect((err as any).Code).toBe('NoSuchEntity');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(err.message).toBe('The Server Certificate with name nope cannot be found.');
    const acm = await failure(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'acm-only' })));
    expect(acm.name).toBe('NoSuchEntityException');
  });
});

describe('ListServerCertificateTags', () => {
  it('returns tags and NoSuchEntity for unknown names', async () => {
    const out = await iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'wildcard' }));
    expect(out.Tags).toEqual([{ Key: 'production', Value: 'true' }]);
    expect(out.IsTruncated).toBe(false);
    const empty = await iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'self' }));
    expect(empty.Tags ?? []).toEqual([]);
    expect((await failure(iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'nope' })))).name).toBe('NoSuchEntityException');
  });
});
