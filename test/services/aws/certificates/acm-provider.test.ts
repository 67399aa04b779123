import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AcmCertificateProvider } from '../../../../services/aws/certificates/acm-provider.ts';
import { CertificateProviderError } from '../../../../services/aws/certificates/errors.ts';
import type { TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';
import type { CertificateInput } from '../../../../tools/sim/aws/world.ts';
import { acmArn, iamArn, simTrustedRoots, startCertificateSim, type CertificateSim } from './helpers.ts';

const certificates: CertificateInput[] = [
  { arn: acmArn('a'), domains: ['a.example.org'], trust: 'public', tags: { team: 'web' } },
  { arn: acmArn('b'), domains: ['*.example.org', 'example.org'], trust: 'public', tags: { team: 'api' } },
  { arn: acmArn('c'), domains: ['c.example.org'], trust: 'private-ca', tags: { team: 'web' } },
  { arn: acmArn('d'), domains: ['d.example.org'], trust: 'self-signed' },
  { arn: acmArn('e'), domains: ['e.example.org'], trust: 'public', tags: { team: 'web', env: 'prod' } },
  { arn: acmArn('pending'), domains: ['p.example.org'], status: 'PENDING_VALIDATION', tags: { team: 'web' } },
  { arn: acmArn('expired'), domains: ['x.example.org'], status: 'EXPIRED' },
  { arn: iamArn('in-iam'), source: 'iam', domains: ['i.example.org'] },
];

let roots: TrustedRoots;
let running: CertificateSim | undefined;

beforeAll(async () => {
  roots = await simTrustedRoots();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  running = await startCertificateSim(certificates);
  return running;
}

const calls = (sim: CertificateSim, action: string) => sim.sim.server.calls.filter((c) => c.service === 'acm' && c.action === action);

describe('AcmCertificateProvider', () => {
  it('lists ISSUED certificates page by page, without Includes, and fetches each one', async () => {
    const sim = await start();
    const provider = new AcmCertificateProvider({ acm: sim.clients.acm, trustedRoots: roots, pageSize: 2 });
    const summaries = await provider.list();
    expect(summaries.map((s) => s.arn)).toEqual(['a', 'b', 'c', 'd', 'e'].map(acmArn));
    expect(summaries.every((s) => s.source === 'acm')).toBe(true);
    expect(summaries.map((s) => s.trusted)).toEqual([true, true, false, false, true]);
    expect(summaries[1]?.domainNames).toEqual(['*.example.org', '*.example.org', 'example.org']);

    const lists = calls(sim, 'ListCertificates');
    expect(lists).toHaveLength(3);
    expect(lists[0]?.input).toEqual({ CertificateStatuses: ['ISSUED'], MaxItems: 2 });
    expect(lists[1]?.input).toMatchObject({ NextToken: expect.any(String) });
    expect(calls(sim, 'GetCertificate')).toHaveLength(5);
    expect(calls(sim, 'ListTagsForCertificate')).toHaveLength(0);
  });

  it('keeps only certificates carrying the filter tag exactly', async () => {
    const sim = await start();
    const provider = new AcmCertificateProvider({ acm: sim.clients.acm, trustedRoots: roots, filterTag: 'team=web' });
    expect((await provider.list()).map((s) => s.arn)).toEqual(['a', 'c', 'e'].map(acmArn));
    expect(calls(sim, 'ListTagsForCertificate')).toHaveLength(5);
    // Certificates filtered out are never fetched.
    const fetched = calls(sim, 'GetCertificate').map((c) => (c.input as { CertificateArn: string }).CertificateArn);
    expect(fetched.sort()).toEqual(['a', 'c', 'e'].map(acmArn));

    const empty = new AcmCertificateProvider({ acm: sim.clients.acm, trustedRoots: roots, filterTag: 'team=' });
    expect(await empty.list()).toEqual([]);
  });

  it('summarizes each certificate once while its PEM stays the same', async () => {
    const sim = await start();
    const provider = new AcmCertificateProvider({ acm: sim.clients.acm, trustedRoots: roots });
    const first = await provider.list();
    const second = await provider.list();
    expect(second).toHaveLength(first.length);
    second.forEach((s, i) => expect(s).toBe(first[i]));

    // A renewal keeps the ARN and changes the material.
    const renewed = sim.sim.world.certificates.get(acmArn('a'))!;
    renewed.notAfter += 30 * 86400_000;
    delete renewed.pem;
    const third = await provider.list();
    expect(third[0]).not.toBe(first[0]);
    expect(third[0]?.notAfter).toBe(renewed.notAfter);
    expect(third[1]).toBe(first[1]);
  });

  it('fails with CertificateProviderError naming the operation', async () => {
    const sim = await start();
    sim.sim.world.behaviour.serverErrors['acm:ListCertificates'] = 1;
    const provider = new AcmCertificateProvider({ acm: sim.clients.acm, trustedRoots: roots });
    const error = await provider.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateProviderError);
    expect(error).toMatchObject({ source: 'acm', operation: 'ListCertificates', code: 'InternalFailure' });

    sim.sim.world.behaviour.serverErrors = { 'acm:GetCertificate': 1 };
    await expect(provider.list()).rejects.toMatchObject({ operation: 'GetCertificate' });
  });

  it('skips a certificate whose body does not parse, with a warning', async () => {
    const sim = await start();
    sim.sim.world.certificates.get(acmArn('b'))!.pem = { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', chain: '' };
    const warnings: Record<string, unknown>[] = [];
    const provider = new AcmCertificateProvider({
      acm: sim.clients.acm, trustedRoots: roots, logger: { warn: (details) => warnings.push(details) },
    });
    expect((await provider.list()).map((s) => s.arn)).toEqual(['a', 'c', 'd', 'e'].map(acmArn));
    expect(warnings).toEqual([expect.objectContaining({ arn: acmArn('b') })]);
  });
});
