import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateParseError } from '../../../../services/aws/certificates/errors.ts';
import { summarizeCertificate } from '../../../../services/aws/certificates/summarize.ts';
import { loadTrustedRoots, type TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';
import { verifyForHost } from '../../../../services/planning/certificates/hostname-verification.ts';
import { ensureCertificatePem, writeTrustedRootsFile } from '../../../../tools/sim/aws/certificates.ts';
import type { SimCertificate } from '../../../../tools/sim/aws/world.ts';
import { acmArn, DAY, simTrustedRoots, START } from './helpers.ts';

function simCert(trust: SimCertificate['trust'], window: { notBefore?: number; notAfter?: number } = {}, id: string = trust): SimCertificate {
  return {
    arn: acmArn(id),
    source: 'acm',
    domains: ['foo.example.org', '*.example.org'],
    notBefore: window.notBefore ?? START - 30 * DAY,
    notAfter: window.notAfter ?? START + 90 * DAY,
    trust,
    status: 'ISSUED',
    tags: {},
  };
}

async function summarize(cert: SimCertificate, trustedRoots: TrustedRoots) {
  const pem = await ensureCertificatePem(cert);
  return summarizeCertificate({ arn: cert.arn, source: 'acm', certificatePem: pem.certificate, chainPem: pem.chain, trustedRoots });
}

let dir: string;
let simRoots: TrustedRoots;
let simAndPrivateRoots: TrustedRoots;
let systemOnly: TrustedRoots;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'summarize-'));
  simRoots = await simTrustedRoots();
  simAndPrivateRoots = await simTrustedRoots({ withPrivateRoot: true });
  systemOnly = await loadTrustedRoots('');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('summarizeCertificate', () => {
  it('trusts a public certificate through its intermediate, and reports names and windows', async () => {
    const cert = simCert('public');
    const summary = await summarize(cert, simRoots);
    expect(summary).toEqual({
      arn: cert.arn,
      source: 'acm',
      domainNames: ['foo.example.org', 'foo.example.org', '*.example.org'],
      dnsNames: ['foo.example.org', '*.example.org'],
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      // The simulated intermediate spans 2000-2099, so the leaf bounds the chain.
      chainNotBefore: cert.notBefore,
      chainNotAfter: cert.notAfter,
      trusted: true,
    });
    expect(verifyForHost(summary, 'bar.example.org', START)).toBe(true);
  });

  it('trusts the simulation root when it comes from the file writeTrustedRootsFile writes', async () => {
    const file = join(dir, 'roots.pem');
    await writeTrustedRootsFile(file);
    const roots = await loadTrustedRoots(file);
    expect((await summarize(simCert('public'), roots)).trusted).toBe(true);
  });

  it('does not trust the simulation public root with system roots alone', async () => {
    expect((await summarize(simCert('public'), systemOnly)).trusted).toBe(false);
  });

  it('does not trust a private-CA certificate, even with its root in the chain', async () => {
    const summary = await summarize(simCert('private-ca'), simRoots);
    expect(summary.trusted).toBe(false);
    expect(verifyForHost(summary, 'foo.example.org', START)).toBe(false);
  });

  it('trusts a private-CA certificate once its root is in the extra CA file', async () => {
    expect((await summarize(simCert('private-ca'), simAndPrivateRoots)).trusted).toBe(true);
  });

  it('does not trust a self-signed certificate', async () => {
    const summary = await summarize(simCert('self-signed'), simAndPrivateRoots);
    expect(summary.trusted).toBe(false);
    expect(summary.dnsNames).toEqual(['foo.example.org', '*.example.org']);
  });

  it('reports an expired certificate as trusted but with its past window', async () => {
    const cert = simCert('public', { notBefore: START - 400 * DAY, notAfter: START - DAY }, 'expired');
    const summary = await summarize(cert, simRoots);
    expect(summary.trusted).toBe(true);
    expect([summary.notBefore, summary.notAfter]).toEqual([cert.notBefore, cert.notAfter]);
    expect([summary.chainNotBefore, summary.chainNotAfter]).toEqual([cert.notBefore, cert.notAfter]);
    expect(verifyForHost(summary, 'foo.example.org', START)).toBe(false);
    expect(verifyForHost(summary, 'foo.example.org', START - 10 * DAY)).toBe(true);
  });

  it('reports a not-yet-valid certificate with its future window', async () => {
    const cert = simCert('public', { notBefore: START + DAY, notAfter: START + 100 * DAY }, 'future');
    const summary = await summarize(cert, simRoots);
    expect([summary.notBefore, summary.notAfter, summary.chainNotBefore, summary.chainNotAfter]).toEqual([
      cert.notBefore, cert.notAfter, cert.notBefore, cert.notAfter,
    ]);
    expect(verifyForHost(summary, 'foo.example.org', START)).toBe(false);
    expect(verifyForHost(summary, 'foo.example.org', START + 2 * DAY)).toBe(true);
  });

  it('takes validity across the 2049/2050 UTCTime boundary and into GeneralizedTime', async () => {
    const notAfter = Date.UTC(2050, 0, 1, 12, 0, 0);
    const cert = simCert('self-signed', { notBefore: Date.UTC(1999, 11, 31), notAfter }, 'long-lived');
    const summary = await summarize(cert, simRoots);
    expect([summary.notBefore, summary.notAfter]).toEqual([Date.UTC(1999, 11, 31), notAfter]);
  });

  it('rejects a body without a certificate with CertificateParseError', () => {
    const call = (certificatePem: string) => () =>
      summarizeCertificate({ arn: acmArn('bad'), source: 'acm', certificatePem, chainPem: '', trustedRoots: simRoots });
    expect(call('')).toThrow(CertificateParseError);
    expect(call('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(CertificateParseError);
  });

  it('ignores a chain block that does not parse', async () => {
    const cert = simCert('public');
    const pem = await ensureCertificatePem(cert);
    const summary = summarizeCertificate({
      arn: cert.arn,
      source: 'iam',
      certificatePem: pem.certificate,
      chainPem: `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n${pem.chain}`,
      trustedRoots: simRoots,
    });
    expect(summary.trusted).toBe(true);
    expect(summary.source).toBe('iam');
  });

  it('uses certificates after the first one in the body as chain material', async () => {
    const cert = simCert('public');
    const pem = await ensureCertificatePem(cert);
    const summary = summarizeCertificate({
      arn: cert.arn, source: 'iam', certificatePem: `${pem.certificate}\n${pem.chain}`, chainPem: '', trustedRoots: simRoots,
    });
    expect(summary.trusted).toBe(true);
  });
});
