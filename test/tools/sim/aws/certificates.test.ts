// @peculiar/x509 needs the reflect polyfill loaded before it.
import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { ensureCertificatePem, privateRootPem, serialNumberFor, trustedRootPem, writeTrustedRootsFile } from '../../../../tools/sim/aws/certificates.ts';
import type { SimCertificate } from '../../../../tools/sim/aws/world.ts';

const DAY = 86400_000;
const NOT_BEFORE = Date.UTC(2025, 11, 1);
const NOT_AFTER = Date.UTC(2026, 5, 1);

function simCert(trust: SimCertificate['trust'], arn = `arn:aws:acm:eu-central-1:123456789012:certificate/${trust}`): SimCertificate {
  return {
    arn, source: 'acm', domains: ['foo.example.org', '*.example.org'], notBefore: NOT_BEFORE, notAfter: NOT_AFTER,
    trust, status: 'ISSUED', tags: {},
  };
}

function expectServerLeaf(leaf: X509Certificate, arn: string): void {
  expect(leaf.subject).toBe('CN=foo.example.org');
  expect(leaf.subjectAltName).toBe('DNS:foo.example.org, DNS:*.example.org');
  expect(leaf.checkHost('foo.example.org')).toBe('foo.example.org');
  expect(leaf.checkHost('bar.example.org')).toBe('*.example.org');
  expect(leaf.checkHost('a.b.example.org')).toBeUndefined();
  expect(leaf.checkHost('example.com')).toBeUndefined();
  expect(new Date(leaf.validFrom).getTime()).toBe(NOT_BEFORE);
  expect(new Date(leaf.validTo).getTime()).toBe(NOT_AFTER);
  expect(leaf.ca).toBe(false);
  expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  expect(leaf.serialNumber.toLowerCase()).toBe(serialNumberFor(arn));
  const usage = new x509.X509Certificate(leaf.raw).getExtension(x509.KeyUsagesExtension);
  expect(usage?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
}

describe('certificates', () => {
  it('signs public leaves with an intermediate that chains to the trusted root', async () => {
    const cert = simCert('public');
    const { certificate, chain } = await ensureCertificatePem(cert);
    const leaf = new X509Certificate(certificate);
    const intermediate = new X509Certificate(chain);
    const root = new X509Certificate(await trustedRootPem());
    expectServerLeaf(leaf, cert.arn);
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(false);
    expect(intermediate.ca).toBe(true);
    expect(intermediate.checkIssued(root)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(root.ca).toBe(true);
    expect(root.checkIssued(root) && root.verify(root.publicKey)).toBe(true);
    expect(cert.pem).toEqual({ certificate, chain });
  });

  it('signs private-ca leaves with a root other than the trusted one', async () => {
    const cert = simCert('private-ca');
    const { certificate, chain } = await ensureCertificatePem(cert);
    const leaf = new X509Certificate(certificate);
    const privateRoot = new X509Certificate(chain);
    const trusted = new X509Certificate(await trustedRootPem());
    expectServerLeaf(leaf, cert.arn);
    expect(chain).toBe(await privateRootPem());
    expect(leaf.checkIssued(privateRoot) && leaf.verify(privateRoot.publicKey)).toBe(true);
    expect(privateRoot.checkIssued(trusted)).toBe(false);
    expect(leaf.checkIssued(trusted)).toBe(false);
    expect(privateRoot.fingerprint256).not.toBe(trusted.fingerprint256);
  });

  it('self-signs self-signed leaves and leaves the chain empty', async () => {
    const cert = simCert('self-signed');
    const { certificate, chain } = await ensureCertificatePem(cert);
    const leaf = new X509Certificate(certificate);
    expectServerLeaf(leaf, cert.arn);
    expect(chain).toBe('');
    expect(leaf.issuer).toBe(leaf.subject);
    expect(leaf.verify(leaf.publicKey)).toBe(true);
    // OpenSSL only calls a certificate its own issuer when it may sign certificates; a server leaf may not.
    expect(leaf.checkIssued(leaf)).toBe(false);
    expect(leaf.checkIssued(new X509Certificate(await trustedRootPem()))).toBe(false);
  });

  it('keeps expired and not-yet-valid windows as requested', async () => {
    const expired = { ...simCert('public', 'arn:aws:acm:eu-central-1:123456789012:certificate/expired'), notBefore: NOT_BEFORE - 400 * DAY, notAfter: NOT_BEFORE - DAY };
    const leaf = new X509Certificate((await ensureCertificatePem(expired)).certificate);
    expect(new Date(leaf.validTo).getTime()).toBe(NOT_BEFORE - DAY);
  });

  it('shares one leaf key across certificates and derives serials from the ARN', async () => {
    // Key generation is paid once per process; every leaf reuses that key (speed is measured by benchmarks, not here).
    const certs = Array.from({ length: 20 }, (_, n) => simCert(n % 3 === 0 ? 'self-signed' : 'public', `arn:aws:acm:eu-central-1:123456789012:certificate/bulk-${n}`));
    const pems = await Promise.all(certs.map(ensureCertificatePem));
    const leaves = pems.map((p) => new X509Certificate(p.certificate));
    expect(new Set(leaves.map((l) => l.publicKey.export({ type: 'spki', format: 'pem' }))).size).toBe(1);
    expect(new Set(leaves.map((l) => l.serialNumber)).size).toBe(20);
    expect(serialNumberFor(certs[0]!.arn)).toBe(serialNumberFor(certs[0]!.arn));
  });

  it('generates a certificate once even under concurrent requests', async () => {
    const cert = simCert('public', 'arn:aws:acm:eu-central-1:123456789012:certificate/concurrent');
    const [a, b] = await Promise.all([ensureCertificatePem(cert), ensureCertificatePem(cert)]);
    expect(a).toBe(b);
    expect(await ensureCertificatePem(cert)).toBe(a);
  });

  it('writes the trusted root to a PEM file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-roots-'));
    try {
      const file = join(dir, 'roots.pem');
      await writeTrustedRootsFile(file);
      const pem = await readFile(file, 'utf8');
      expect(pem).toBe(await trustedRootPem());
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(new X509Certificate(pem).subject).toContain('CN=Simulated Trusted Root CA');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
