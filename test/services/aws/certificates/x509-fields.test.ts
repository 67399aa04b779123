import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { DerError } from '../../../../services/aws/certificates/der.ts';
import { readCertificateFields } from '../../../../services/aws/certificates/x509-fields.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

let keys: CryptoKeyPair;
beforeAll(async () => {
  keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
});

async function certificate(name: string, extensions: x509.Extension[] = []): Promise<Buffer> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    notBefore: new Date(Date.UTC(2026, 0, 1)),
    notAfter: new Date(Date.UTC(2027, 0, 1)),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions,
  });
  return Buffer.from(cert.rawData);
}

describe('readCertificateFields', () => {
  it('reads the CN as stored (no escaping), keeping the last of several as Go does', async () => {
    // Node's text form of that last CN is `a\, \"b\" \+ ü`; the DER holds the plain value.
    const fields = readCertificateFields(await certificate('CN=first, O=Org\\, Inc., CN=a\\, \\"b\\" \\+ ü'));
    expect(fields.commonName).toBe('a, "b" + ü');
  });

  it('has no CN when the subject has none', async () => {
    expect(readCertificateFields(await certificate('O=only an org')).commonName).toBeUndefined();
  });

  it('reads DNS SANs only, in order', async () => {
    const san = new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'b.example.org' },
      { type: 'ip', value: '10.0.0.1' },
      { type: 'email', value: 'ops@example.org' },
      { type: 'dns', value: '*.example.org' },
    ]);
    expect(readCertificateFields(await certificate('CN=x', [san])).dnsNames).toEqual(['b.example.org', '*.example.org']);
  });

  it('reads basic constraints and extended key usage, or their absence', async () => {
    const with_ = readCertificateFields(
      await certificate('CN=ca', [new x509.BasicConstraintsExtension(true, 2, true), new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1'])]),
    );
    expect(with_.basicConstraints).toEqual({ ca: true, pathLen: 2 });
    expect(with_.extKeyUsages).toEqual(['1.3.6.1.5.5.7.3.1']);
    const without = readCertificateFields(await certificate('CN=leaf'));
    expect(without.basicConstraints).toBeUndefined();
    expect(without.extKeyUsages).toBeUndefined();
    expect(without.notBefore).toBe(Date.UTC(2026, 0, 1));
    expect(without.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
  });

  it('throws DerError for something that is not a certificate', () => {
    expect(() => readCertificateFields(Buffer.from([0x30, 0x05, 0x02, 0x01]))).toThrow(DerError);
    expect(() => readCertificateFields(Buffer.from([0x02, 0x01, 0x00]))).toThrow(DerError);
  });
});
