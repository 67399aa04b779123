import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AcmCertificateProvider } from '../../../../services/aws/certificates/acm-provider.ts';
import { CertificateCache } from '../../../../services/aws/certificates/certificate-cache.ts';
import { CertificateLoadError, CertificateProviderError } from '../../../../services/aws/certificates/errors.ts';
import { createCertificateCache } from '../../../../services/aws/certificates/from-config.ts';
import { IamCertificateProvider } from '../../../../services/aws/certificates/iam-provider.ts';
import type { CertificateProvider } from '../../../../services/aws/certificates/provider.ts';
import type { TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import type { CertificateSummary } from '../../../../services/planning/types/certificate.ts';
import { writeTrustedRootsFile } from '../../../../tools/sim/aws/certificates.ts';
import { acmArn, iamArn, simTrustedRoots, START, startCertificateSim, type CertificateSim } from './helpers.ts';

const INTERVAL = 10 * 60_000;

let roots: TrustedRoots;
let running: CertificateSim | undefined;
let cache: CertificateCache | undefined;

beforeAll(async () => {
  roots = await simTrustedRoots();
});
afterEach(async () => {
  cache?.stop();
  cache = undefined;
  await running?.close();
  running = undefined;
});

async function startWithSim(blacklist: string[] = []) {
  running = await startCertificateSim([
    { arn: acmArn('a'), domains: ['a.example.org'] },
    { arn: acmArn('b'), domains: ['b.example.org'] },
    { arn: iamArn('c'), source: 'iam', domains: ['c.example.org'] },
  ]);
  const { clients, clock } = running;
  const warnings: string[] = [];
  cache = new CertificateCache(
    [
      new AcmCertificateProvider({ acm: clients.acm, trustedRoots: roots }),
      new IamCertificateProvider({ iam: clients.iam, trustedRoots: roots }),
    ],
    { blacklist, clock, refreshIntervalMs: INTERVAL, logger: { warn: (_details, message) => warnings.push(message) } },
  );
  return { sim: running, clock, cache, warnings };
}

const arns = (certs: readonly CertificateSummary[] | undefined) => (certs ?? []).map((c) => c.arn).sort();

describe('CertificateCache', () => {
  it('loads ACM and IAM certificates at start, without blacklisted ones', async () => {
    const { cache, clock } = await startWithSim([acmArn('b')]);
    expect(cache.current()).toBeUndefined();
    await cache.start();
    expect(arns(cache.current())).toEqual([acmArn('a'), iamArn('c')].sort());
    expect(cache.lastLoadedAt).toBe(clock.now());
    expect(cache.lastError).toBeUndefined();
  });

  it('fails start with CertificateLoadError when the initial load fails, and schedules nothing', async () => {
    const { cache, sim, clock } = await startWithSim();
    sim.sim.world.behaviour.serverErrors['iam:ListServerCertificates'] = 1;
    const error = await cache.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateLoadError);
    expect((error as CertificateLoadError).failures).toEqual([expect.any(CertificateProviderError)]);
    expect(cache.current()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refreshes every interval, and keeps the last good set while a refresh fails', async () => {
    const { cache, sim, clock, warnings } = await startWithSim();
    await cache.start();
    const loadedAt = cache.lastLoadedAt;
    const before = cache.current();

    sim.sim.world.behaviour.serverErrors['acm:ListCertificates'] = 1;
    sim.sim.world.certificates.set(acmArn('new'), {
      arn: acmArn('new'), source: 'acm', domains: ['new.example.org'], notBefore: START - 86400_000, notAfter: START + 86400_000 * 90,
      trust: 'public', status: 'ISSUED', tags: {},
    });
    clock.advance(INTERVAL);
    await vi.waitFor(() => expect(cache.lastError).toBeInstanceOf(CertificateLoadError));
    expect(cache.current()).toBe(before);
    expect(cache.lastLoadedAt).toBe(loadedAt);
    expect(cache.lastError?.failures[0]).toMatchObject({ source: 'acm', operation: 'ListCertificates' });
    expect(warnings).toContain('certificate refresh failed; keeping the previous certificates');

    sim.sim.world.behaviour.serverErrors = {};
    clock.advance(INTERVAL);
    await vi.waitFor(() => expect(cache.lastError).toBeUndefined());
    expect(arns(cache.current())).toEqual([acmArn('a'), acmArn('b'), acmArn('new'), iamArn('c')].sort());
    expect(cache.lastLoadedAt).toBe(START + 2 * INTERVAL);
  });

  it('stops refreshing after stop()', async () => {
    const { cache, sim, clock } = await startWithSim();
    await cache.start();
    expect(clock.pendingTimers()).toBe(1);
    cache.stop();
    expect(clock.pendingTimers()).toBe(0);
    const listed = sim.sim.server.calls.length;
    clock.advance(5 * INTERVAL);
    expect(sim.sim.server.calls.length).toBe(listed);
  });
});

/** A provider whose listings the test resolves by hand. */
class ManualProvider implements CertificateProvider {
  calls = 0;
  private pending: { resolve(v: CertificateSummary[]): void; reject(e: Error): void }[] = [];
  constructor(readonly source: 'acm' | 'iam') {}
  list(): Promise<CertificateSummary[]> {
    this.calls++;
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  resolve(certs: CertificateSummary[]): void {
    this.pending.shift()?.resolve(certs);
  }
  reject(error: Error): void {
    this.pending.shift()?.reject(error);
  }
}

const summary = (arn: string): CertificateSummary => ({
  arn, source: 'acm', domainNames: [], dnsNames: [], notBefore: 0, notAfter: 1, chainNotBefore: 0, chainNotAfter: 1, trusted: true,
});

describe('CertificateCache scheduling', () => {
  it('runs providers in parallel and joins a refresh already in flight', async () => {
    const acm = new ManualProvider('acm');
    const iam = new ManualProvider('iam');
    const clock = new VirtualClock(START);
    cache = new CertificateCache([acm, iam], { blacklist: [], clock, refreshIntervalMs: INTERVAL });
    const first = cache.refresh();
    const second = cache.refresh();
    expect([acm.calls, iam.calls]).toEqual([1, 1]);
    acm.resolve([summary('x')]);
    iam.resolve([]);
    await Promise.all([first, second]);
    expect(arns(cache.current())).toEqual(['x']);
  });

  it('keeps the ticker rhythm while a slow refresh runs', async () => {
    const acm = new ManualProvider('acm');
    const clock = new VirtualClock(START);
    cache = new CertificateCache([acm], { blacklist: [], clock, refreshIntervalMs: INTERVAL });
    const started = cache.start();
    acm.resolve([summary('x')]);
    await started;

    clock.advance(INTERVAL);
    expect(acm.calls).toBe(2);
    // The next tick comes while the second load still runs: it joins instead of starting a third.
    clock.advance(INTERVAL);
    expect(acm.calls).toBe(2);
    acm.reject(new Error('slow and failed'));
    await vi.waitFor(() => expect(cache?.lastError?.failures[0]?.message).toBe('slow and failed'));
    clock.advance(INTERVAL);
    expect(acm.calls).toBe(3);
    acm.resolve([summary('y')]);
    await vi.waitFor(() => expect(arns(cache?.current())).toEqual(['y']));
    expect(cache.lastError).toBeUndefined();
  });
});

describe('createCertificateCache', () => {
  it('wires filter tag, blacklist, polling interval and the extra CA file from the configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cert-config-'));
    try {
      const caFile = join(dir, 'ca.pem');
      await writeTrustedRootsFile(caFile);
      running = await startCertificateSim([
        { arn: acmArn('a'), domains: ['a.example.org'], tags: { use: 'ingress' } },
        { arn: acmArn('b'), domains: ['b.example.org'], tags: { use: 'ingress' } },
        { arn: acmArn('untagged'), domains: ['u.example.org'] },
        { arn: iamArn('c'), source: 'iam', domains: ['c.example.org'], trust: 'private-ca', tags: { use: 'ingress' } },
      ]);
      cache = await createCertificateCache({
        config: {
          certFilterTag: 'use=ingress',
          blacklistCertificateARNs: [acmArn('b')],
          extraTrustedCAFile: caFile,
          certPollingIntervalMs: INTERVAL,
        },
        clients: running.clients,
        clock: running.clock,
      });
      await cache.start();
      expect(cache.current()?.map((c) => [c.arn, c.trusted])).toEqual([
        [acmArn('a'), true],
        [iamArn('c'), false],
      ]);
      expect(running.clock.nextDue()).toBe(START + INTERVAL);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
