// A certificate parsed once into both views the verifier needs: Node's X509Certificate for signature checks,
// and the DER fields for names, validity and constraints.
import { X509Certificate } from 'node:crypto';
import { readCertificateFields, type CertificateFields } from './x509-fields.ts';

export interface ParsedCertificate {
  readonly der: Buffer;
  readonly x509: X509Certificate;
  readonly fields: CertificateFields;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The DER of every CERTIFICATE block in a PEM text; other block types (keys, CRLs) are skipped. */
export function pemCertificates(pem: string): Buffer[] {
  const out: Buffer[] = [];
  for (const match of pem.matchAll(PEM_BLOCK)) {
    const body = (match[1] ?? '').replace(/\s+/g, '');
    if (body !== '') out.push(Buffer.from(body, 'base64'));
  }
  return out;
}

/** Throws (DerError or Node's parse error) when the DER is not a certificate. */
export function parseCertificate(der: Buffer): ParsedCertificate {
  const x509 = new X509Certificate(der);
  return { der: x509.raw, x509, fields: readCertificateFields(x509.raw) };
}
