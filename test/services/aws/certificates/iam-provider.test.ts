import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateProviderError } from '../../../../services/aws/certificates/errors.ts';
import { IamCertificateProvider } from '../../../../services/aws/certificates/iam-provider.ts';
import type { TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';
import type { CertificateInput } from '../../../../tools/sim/aws/world.ts';
import { acmArn, iamArn, simTrustedRoots, startCertificateSim, type CertificateSim } from './helpers.ts';

const certificates: CertificateInput[] = [
  { arn: iamArn('root-level'), source: 'iam', domains: ['r.example.org'], trust: 'public', tags: { team: 'web' } },
  { arn: iamArn('under-path', '/cloudfront/'), source: 'iam', domains: ['cf.example.org'], trust: 'public' },
  { arn: iamArn('private'), source: 'iam', domains: ['p.example.org'], trust: 'private-ca', tags: { team: 'web' } },
  { arn: iamArn('self'), source: 'iam', domains: ['s.example.org'], trust: 'self-signed', tags: { team: 'ops' } },
  { arn: acmArn('in-acm'), domains: ['a.example.org'] },
];

let trustSimRoot: TrustedRoots;
let trustBothRoots: TrustedRoots;
let running: CertificateSim | undefined;

beforeAll(async () => {
  trustSimRoot = await simTrustedRoots();
  trustBothRoots = await simTrustedRoots({ withPrivateRoot: true });
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  running = await startCertificateSim(certificates);
  return running;
}

const calls = (sim: CertificateSim, action: string) => sim.sim.server.calls.filter((c) => c.service === 'iam' && c.action === action);

describe('IamCertificateProvider', () => {
  it('lists server certificates on every path page by page and fetches each one', async () => {
    const sim = await start();
    const provider = new IamCertificateProvider({ iam: sim.clients.iam, trustedRoots: trustSimRoot, pageSize: 3 });
    const summaries = await provider.list();
    expect(summaries.map((s) => s.arn)).toEqual([
      iamArn('root-level'), iamArn('under-path', '/cloudfront/'), iamArn('private'), iamArn('self'),
    ]);
    expect(summaries.every((s) => s.source === 'iam')).toBe(true);
    expect(summaries.map((s) => s.trusted)).toEqual([true, true, false, false]);
    expect(summaries[1]?.dnsNames).toEqual(['cf.example.org']);

    const lists = calls(sim, 'ListServerCertificates');
    expect(lists).toHaveLength(2);
    expect(lists[0]?.input).toMatchObject({ PathPrefix: '/' });
    // Query-protocol inputs arrive as text unless the simulation normalizes them.
    expect(String((lists[0]?.input as { MaxItems?: unknown }).MaxItems)).toBe('3');
    expect(lists[1]?.input).toMatchObject({ PathPrefix: '/', Marker: expect.any(String) });
    // Fetched concurrently, so the log is in completion order.
    const fetched = calls(sim, 'GetServerCertificate').map((c) => (c.input as { ServerCertificateName: string }).ServerCertificateName);
    expect(fetched.sort()).toEqual(['private', 'root-level', 'self', 'under-path']);
  });

  it('trusts the private-CA certificate when its root is an extra trusted CA', async () => {
    const sim = await start();
    const provider = new IamCertificateProvider({ iam: sim.clients.iam, trustedRoots: trustBothRoots });
    expect((await provider.list()).map((s) => s.trusted)).toEqual([true, true, true, false]);
  });

  it('keeps only certificates carrying the filter tag, read with ListServerCertificateTags', async () => {
    const sim = await start();
    const provider = new IamCertificateProvider({ iam: sim.clients.iam, trustedRoots: trustSimRoot, filterTag: 'team=web' });
    expect((await provider.list()).map((s) => s.arn)).toEqual([iamArn('root-level'), iamArn('private')]);
    expect(calls(sim, 'ListServerCertificateTags')).toHaveLength(4);
    expect(calls(sim, 'GetServerCertificate')).toHaveLength(2);
  });

  it('reads tags across pages', async () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 7; i++) tags[`k${i}`] = `v${i}`;
    running = await startCertificateSim([{ arn: iamArn('many-tags'), source: 'iam', domains: ['m.example.org'], tags }]);
    const provider = new IamCertificateProvider({ iam: running.clients.iam, trustedRoots: trustSimRoot, filterTag: 'k6=v6', pageSize: 3 });
    expect((await provider.list()).map((s) => s.arn)).toEqual([iamArn('many-tags')]);
    expect(calls(running, 'ListServerCertificateTags')).toHaveLength(3);
  });

  it('fails with CertificateProviderError naming the operation', async () => {
    const sim = await start();
    sim.sim.world.behaviour.serverErrors['iam:ListServerCertificates'] = 1;
    const provider = new IamCertificateProvider({ iam: sim.clients.iam, trustedRoots: trustSimRoot });
    const error = await provider.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateProviderError);
    expect(error).toMatchObject({ source: 'iam', operation: 'ListServerCertificates' });

    sim.sim.world.behaviour.serverErrors = { 'iam:GetServerCertificate': 1 };
    await expect(provider.list()).rejects.toMatchObject({ operation: 'GetServerCertificate' });
  });
});
