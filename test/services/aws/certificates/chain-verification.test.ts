// Chains the simulation does not produce (constraints, usages, look-alike issuers), built here with
// @peculiar/x509 on fast P-256 keys and checked through summarizeCertificate.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeCertificate } from '../../../../services/aws/certificates/summarize.ts';
import { TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const YEAR = 365 * 86400_000;
const T0 = Date.UTC(2026, 0, 1);
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
}

interface IssueOptions {
  cn?: string;
  dns?: string[];
  issuer?: Issued;
  /** Reuse a key pair (look-alike or cross-signed certificates). */
  keys?: CryptoKeyPair;
  /** undefined: no basicConstraints extension. */
  ca?: boolean;
  pathLen?: number;
  eku?: string[];
  notBefore?: number;
  notAfter?: number;
  hash?: 'SHA-256' | 'SHA-1';
}

let serial = 1;
const newKeys = () => webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function issue(options: IssueOptions): Promise<Issued> {
  const keys = options.keys ?? (await newKeys());
  const extensions: x509.Extension[] = [];
  if (options.ca !== undefined) extensions.push(new x509.BasicConstraintsExtension(options.ca, options.pathLen, true));
  if (options.eku) extensions.push(new x509.ExtendedKeyUsageExtension(options.eku));
  if (options.dns) extensions.push(new x509.SubjectAlternativeNameExtension(options.dns.map((value) => ({ type: 'dns' as const, value }))));
  const common = {
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    notBefore: new Date(options.notBefore ?? T0 - YEAR),
    notAfter: new Date(options.notAfter ?? T0 + YEAR),
    signingAlgorithm: { name: 'ECDSA', hash: options.hash ?? 'SHA-256' },
    extensions,
  };
  const name = options.cn === undefined ? '' : `CN=${options.cn}`;
  const cert = options.issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: name,
        issuer: options.issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: options.issuer.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys });
  return { cert, keys, pem: cert.toString('pem') };
}

function verdict(leaf: Issued, chain: Issued[], roots: Issued[]) {
  return summarizeCertificate({
    arn: 'arn:aws:iam::123456789012:server-certificate/test',
    source: 'iam',
    certificatePem: leaf.pem,
    chainPem: chain.map((c) => c.pem).join('\n'),
    trustedRoots: TrustedRoots.fromPem(roots.map((r) => r.pem)),
  });
}

const leafOptions = (issuer: Issued, extra: Partial<IssueOptions> = {}): IssueOptions => ({
  cn: 'www.example.org', dns: ['www.example.org'], ca: false, eku: [SERVER_AUTH], issuer, ...extra,
});

let root: Issued;
let intermediate: Issued;

beforeAll(async () => {
  root = await issue({ cn: 'Test Root', ca: true, notBefore: T0 - 10 * YEAR, notAfter: T0 + 10 * YEAR });
  intermediate = await issue({ cn: 'Test Intermediate', ca: true, pathLen: 0, issuer: root, notAfter: T0 + YEAR / 2 });
});

describe('chain verification', () => {
  it('trusts leaf → intermediate → root; the window is the intersection without the root', async () => {
    const leaf = await issue(leafOptions(intermediate));
    const summary = verdict(leaf, [intermediate], [root]);
    expect(summary.trusted).toBe(true);
    expect(summary.notAfter).toBe(T0 + YEAR);
    expect(summary.chainNotBefore).toBe(T0 - YEAR);
    expect(summary.chainNotAfter).toBe(T0 + YEAR / 2);
  });

  it('does not trust a chain whose intermediate is missing', async () => {
    const leaf = await issue(leafOptions(intermediate));
    const summary = verdict(leaf, [], [root]);
    expect(summary.trusted).toBe(false);
    expect([summary.chainNotBefore, summary.chainNotAfter]).toEqual([summary.notBefore, summary.notAfter]);
  });

  it('requires intermediates to be CAs by basic constraints', async () => {
    for (const ca of [undefined, false]) {
      const notCa = await issue({ cn: 'Not A CA', ...(ca === undefined ? {} : { ca }), issuer: root });
      const leaf = await issue(leafOptions(notCa));
      expect(verdict(leaf, [notCa], [root]).trusted).toBe(false);
    }
  });

  it('enforces path length constraints of intermediates and roots', async () => {
    const second = await issue({ cn: 'Below pathLen 0', ca: true, issuer: intermediate });
    const leaf = await issue(leafOptions(second));
    expect(verdict(leaf, [second, intermediate], [root]).trusted).toBe(false);

    const strictRoot = await issue({ cn: 'Strict Root', ca: true, pathLen: 0 });
    const underStrict = await issue({ cn: 'Under Strict Root', ca: true, issuer: strictRoot });
    expect(verdict(await issue(leafOptions(underStrict)), [underStrict], [strictRoot]).trusted).toBe(false);
    expect(verdict(await issue(leafOptions(strictRoot)), [], [strictRoot]).trusted).toBe(true);

    const looseRoot = await issue({ cn: 'Loose Root', ca: true, pathLen: 1 });
    const underLoose = await issue({ cn: 'Under Loose Root', ca: true, issuer: looseRoot });
    expect(verdict(await issue(leafOptions(underLoose)), [underLoose], [looseRoot]).trusted).toBe(true);
  });

  it('requires server authentication wherever extended key usage is present', async () => {
    expect(verdict(await issue(leafOptions(intermediate, { eku: [CLIENT_AUTH] })), [intermediate], [root]).trusted).toBe(false);
    expect(verdict(await issue(leafOptions(intermediate, { eku: [CLIENT_AUTH, SERVER_AUTH] })), [intermediate], [root]).trusted).toBe(true);
    const noEku = await issue({ cn: 'www.example.org', dns: ['www.example.org'], issuer: intermediate });
    expect(verdict(noEku, [intermediate], [root]).trusted).toBe(true);

    const clientOnlyCa = await issue({ cn: 'Client CA', ca: true, eku: [CLIENT_AUTH], issuer: root });
    expect(verdict(await issue(leafOptions(clientOnlyCa)), [clientOnlyCa], [root]).trusted).toBe(false);
    const anyCa = await issue({ cn: 'Any CA', ca: true, eku: [ANY_EKU], issuer: root });
    expect(verdict(await issue(leafOptions(anyCa)), [anyCa], [root]).trusted).toBe(true);
  });

  it('checks signatures, not just names', async () => {
    // Same subject as the real intermediate, different key: the leaf's issuer name matches, its signature does not.
    const lookAlike = await issue({ cn: 'Test Intermediate', ca: true, issuer: root });
    const leaf = await issue(leafOptions(intermediate));
    expect(verdict(leaf, [lookAlike], [root]).trusted).toBe(false);
    expect(verdict(leaf, [lookAlike, intermediate], [root]).trusted).toBe(true);

    const fakeRoot = await issue({ cn: 'Test Root', ca: true });
    expect(verdict(leaf, [intermediate], [fakeRoot]).trusted).toBe(false);
  });

  it('refuses SHA-1 signatures, as Go does', async () => {
    const leaf = await issue(leafOptions(intermediate, { hash: 'SHA-1' }));
    expect(verdict(leaf, [intermediate], [root]).trusted).toBe(false);
  });

  it('trusts a certificate that is itself a trusted root', async () => {
    const selfSigned = await issue({ cn: 'internal.example.org', dns: ['internal.example.org'], eku: [SERVER_AUTH] });
    expect(verdict(selfSigned, [], [root]).trusted).toBe(false);
    expect(verdict(selfSigned, [], [root, selfSigned]).trusted).toBe(true);
  });

  it('reports the widest window when the intermediate is cross-signed twice', async () => {
    const keys = await newKeys();
    const shortLived = await issue({ cn: 'Cross CA', ca: true, keys, issuer: root, notAfter: T0 + YEAR / 4 });
    const longLived = await issue({ cn: 'Cross CA', ca: true, keys, issuer: root, notAfter: T0 + 2 * YEAR });
    const leaf = await issue(leafOptions(shortLived, { notAfter: T0 + 3 * YEAR }));
    expect(verdict(leaf, [shortLived, longLived], [root]).chainNotAfter).toBe(T0 + 2 * YEAR);
    expect(verdict(leaf, [shortLived], [root]).chainNotAfter).toBe(T0 + YEAR / 4);
  });

  it('names: CN first, then DNS SANs; a CN-only certificate has no DNS names', async () => {
    const cnOnly = await issue({ cn: 'legacy.example.org', ca: false, issuer: intermediate });
    const summary = verdict(cnOnly, [intermediate], [root]);
    expect(summary.domainNames).toEqual(['legacy.example.org']);
    expect(summary.dnsNames).toEqual([]);

    const sansOnly = await issue({ dns: ['a.example.org', '*.b.example.org'], issuer: intermediate });
    expect(verdict(sansOnly, [intermediate], [root]).domainNames).toEqual(['a.example.org', '*.b.example.org']);
  });
});
