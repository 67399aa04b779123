// Real X.509 material for the simulated ACM and IAM, so the controller's certificate verification (hostname,
// chain to a trusted root, validity window, key usage) runs against genuine certificates rather than stubs.
//
// Three issuers exist per process: a root the controller is told to trust (it signs an intermediate, which
// signs `public` leaves), a private root nobody trusts (`private-ca` leaves), and the leaf itself
// (`self-signed`). RSA-2048 key generation is the slow part, so every leaf shares one key pair and each CA
// has one; all are created on first use and memoised.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as x509 from '@peculiar/x509';
import type { SimCertificate } from './world.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

// CA validity spans any date a scenario's virtual clock is likely to use, so only the leaf's own window
// decides whether a chain is currently valid.
const CA_NOT_BEFORE = new Date(Date.UTC(2000, 0, 1));
const CA_NOT_AFTER = new Date(Date.UTC(2099, 11, 31, 23, 59, 59));

const CA_KEY_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;

interface Issuer {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
}

function memo<T>(factory: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= factory().catch((e: unknown) => {
      // A failed generation must not poison every later call.
      value = undefined;
      throw e;
    });
    return value;
  };
}

const generateKeys = () => webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function caExtensions(keys: CryptoKeyPair, issuerKey: CryptoKey, pathLength?: number): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
  ];
}

async function selfSignedCa(commonName: string, serialNumber: string): Promise<Issuer> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: [{ CN: [commonName] }, { O: ['kube-ingress-aws-controller simulation'] }],
    notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER,
    signingAlgorithm: RSA,
    keys,
    extensions: await caExtensions(keys, keys.publicKey),
  });
  return { certificate, keys, pem: certificate.toString('pem') };
}

const trustedRoot = memo(() => selfSignedCa('Simulated Trusted Root CA', '01'));
const privateRoot = memo(() => selfSignedCa('Simulated Private Root CA', '02'));

const publicIntermediate = memo(async (): Promise<Issuer> => {
  const root = await trustedRoot();
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: '03',
    subject: [{ CN: ['Simulated Public Intermediate CA'] }, { O: ['kube-ingress-aws-controller simulation'] }],
    issuer: root.certificate.subjectName,
    notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER,
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    extensions: await caExtensions(keys, root.keys.publicKey, 0),
  });
  return { certificate, keys, pem: certificate.toString('pem') };
});

const leafKeys = memo(generateKeys);

/** PEM of the root CA that the controller under test should trust. */
export async function trustedRootPem(): Promise<string> {
  return (await trustedRoot()).pem;
}

/** PEM of the root behind `private-ca` certificates; never handed to the controller as trusted. */
export async function privateRootPem(): Promise<string> {
  return (await privateRoot()).pem;
}

/** Write the trusted root as a PEM bundle, for a controller configured with a CA file. */
export async function writeTrustedRootsFile(path: string): Promise<void> {
  await writeFile(path, await trustedRootPem(), 'utf8');
}

/**
 * Hex serial number derived from the ARN, so the same scenario yields the same serials run after run. The
 * top bit is cleared (serials are positive) and the next one set (DER keeps all 16 bytes, no padding).
 */
export function serialNumberFor(arn: string): string {
  const bytes = createHash('sha256').update(arn).digest().subarray(0, 16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** The serial as ACM's DescribeCertificate prints it: colon-separated lowercase hex pairs. */
export function serialForDisplay(arn: string): string {
  return serialNumberFor(arn).match(/../g)!.join(':');
}

/** Issuer common name as DescribeCertificate reports it. */
export function issuerNameFor(trust: SimCertificate['trust'], firstDomain: string): string {
  if (trust === 'public') return 'Simulated Public Intermediate CA';
  if (trust === 'private-ca') return 'Simulated Private Root CA';
  return firstDomain;
}

async function issueLeaf(cert: SimCertificate): Promise<{ certificate: string; chain: string }> {
  const keys = await leafKeys();
  const commonName = cert.domains[0] ?? 'localhost';
  const subject: x509.JsonName = [{ CN: [commonName] }];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(cert.domains.map((value) => ({ type: 'dns' as const, value }))),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const common = {
    serialNumber: serialNumberFor(cert.arn),
    notBefore: new Date(cert.notBefore),
    notAfter: new Date(cert.notAfter),
    signingAlgorithm: RSA,
  };
  if (cert.trust === 'self-signed') {
    const leaf = await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: subject, keys, extensions });
    return { certificate: leaf.toString('pem'), chain: '' };
  }
  const issuer = cert.trust === 'public' ? await publicIntermediate() : await privateRoot();
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  const leaf = await x509.X509CertificateGenerator.create({
    ...common,
    subject,
    issuer: issuer.certificate.subjectName,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions,
  });
  return { certificate: leaf.toString('pem'), chain: issuer.pem };
}

// Concurrent requests for the same certificate (the controller fetches certificates in parallel) share one
// generation instead of racing to fill `cert.pem`.
const inFlight = new WeakMap<SimCertificate, Promise<{ certificate: string; chain: string }>>();

/** The certificate's PEM body and chain (empty for self-signed), generated once and cached in `cert.pem`. */
export function ensureCertificatePem(cert: SimCertificate): Promise<{ certificate: string; chain: string }> {
  if (cert.pem) return Promise.resolve(cert.pem);
  let pending = inFlight.get(cert);
  if (!pending) {
    pending = issueLeaf(cert).then(
      (pem) => {
        cert.pem = pem;
        inFlight.delete(cert);
        return pem;
      },
      (e: unknown) => {
        inFlight.delete(cert);
        throw e;
      },
    );
    inFlight.set(cert, pending);
  }
  return pending;
}
