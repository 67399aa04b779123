// Simulated ACM (JSON 1.1, X-Amz-Target CertificateManager.*): certificate listing and retrieval for the
// controller's ACM provider. Dates are epoch seconds on this protocol.
import { ensureCertificatePem, issuerNameFor, serialForDisplay } from './certificates.ts';
import { AwsError, list, paginate, required } from './protocol.ts';
import type { ServiceDefinition, SimContext } from './server.ts';
import type { SimCertificate, World } from './world.ts';

// Every simulated leaf is RSA-2048 (see certificates.ts). ACM spells the key type two ways: the
// ListCertificates filter says RSA_2048, the certificate detail says RSA-2048.
const KEY_TYPE = 'RSA_2048';
const KEY_ALGORITHM = 'RSA-2048';
// ACM truncates the SAN summary in listings to the first 100 names.
const SAN_SUMMARY_LIMIT = 100;

const seconds = (ms: number) => ms / 1000;

function acmCertificates(world: World): SimCertificate[] {
  return [...world.certificates.values()].filter((c) => c.source === 'acm');
}

function findCertificate(world: World, arn: string): SimCertificate {
  const cert = world.certificates.get(arn);
  if (cert && cert.source === 'acm') return cert;
  if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/.+/.test(arn)) {
    throw new AwsError('InvalidArnException', `String '${arn}' is not a valid ARN.`);
  }
  throw new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
}

/** ACM's certificate Type: Amazon-issued when it chains to a public root, imported otherwise. */
function certificateType(cert: SimCertificate): string {
  if (cert.trust === 'public') return 'AMAZON_ISSUED';
  if (cert.trust === 'private-ca') return 'PRIVATE';
  return 'IMPORTED';
}

function listCertificates(input: any, { world }: SimContext) {
  const statuses = list<string>(input.CertificateStatuses);
  const keyTypes: string[] = input.Includes?.keyTypes ?? [KEY_TYPE];
  const maxItems = input.MaxItems === undefined ? 1000 : Number(input.MaxItems);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  const matching = acmCertificates(world)
    .filter((c) => statuses.length === 0 || statuses.includes(c.status))
    .filter(() => keyTypes.includes(KEY_TYPE));
  const { page, next } = paginate(matching, input.NextToken, maxItems);
  return {
    CertificateSummaryList: page.map((c) => ({
      CertificateArn: c.arn,
      DomainName: c.domains[0],
      SubjectAlternativeNameSummaries: c.domains.slice(0, SAN_SUMMARY_LIMIT),
      HasAdditionalSubjectAlternativeNames: c.domains.length > SAN_SUMMARY_LIMIT,
      Status: c.status,
      Type: certificateType(c),
      KeyAlgorithm: KEY_ALGORITHM,
      KeyUsages: ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'],
      ExtendedKeyUsages: ['TLS_WEB_SERVER_AUTHENTICATION'],
      InUse: false,
      RenewalEligibility: 'INELIGIBLE',
      NotBefore: seconds(c.notBefore),
      NotAfter: seconds(c.notAfter),
      CreatedAt: seconds(c.notBefore),
      ...(c.status === 'ISSUED' ? { IssuedAt: seconds(c.notBefore) } : {}),
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

function describeCertificate(input: any, { world }: SimContext) {
  const cert = findCertificate(world, required(input, 'CertificateArn', 'json'));
  const first = cert.domains[0] ?? '';
  return {
    Certificate: {
      CertificateArn: cert.arn,
      DomainName: first,
      SubjectAlternativeNames: cert.domains,
      Serial: serialForDisplay(cert.arn),
      Subject: `CN=${first}`,
      Issuer: issuerNameFor(cert.trust, first),
      CreatedAt: seconds(cert.notBefore),
      ...(cert.status === 'ISSUED' ? { IssuedAt: seconds(cert.notBefore) } : {}),
      ...(certificateType(cert) === 'IMPORTED' ? { ImportedAt: seconds(cert.notBefore) } : {}),
      Status: cert.status,
      NotBefore: seconds(cert.notBefore),
      NotAfter: seconds(cert.notAfter),
      KeyAlgorithm: KEY_ALGORITHM,
      SignatureAlgorithm: 'SHA256WITHRSA',
      InUseBy: [],
      Type: certificateType(cert),
      KeyUsages: [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }],
      ExtendedKeyUsages: [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' }],
      RenewalEligibility: 'INELIGIBLE',
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
    },
  };
}

async function getCertificate(input: any, { world }: SimContext) {
  const cert = findCertificate(world, required(input, 'CertificateArn', 'json'));
  if (cert.status === 'PENDING_VALIDATION') {
    throw new AwsError('RequestInProgressException', `Certificate ${cert.arn} is not yet issued.`);
  }
  const pem = await ensureCertificatePem(cert);
  return { Certificate: pem.certificate, ...(pem.chain ? { CertificateChain: pem.chain } : {}) };
}

function listTagsForCertificate(input: any, { world }: SimContext) {
  const cert = findCertificate(world, required(input, 'CertificateArn', 'json'));
  return { Tags: Object.entries(cert.tags).map(([Key, Value]) => ({ Key, Value })) };
}

export const acmService: ServiceDefinition = {
  name: 'acm',
  protocol: 'json',
  handlers: {
    ListCertificates: listCertificates,
    DescribeCertificate: describeCertificate,
    GetCertificate: getCertificate,
    ListTagsForCertificate: listTagsForCertificate,
  },
  mutating: new Set(),
};
