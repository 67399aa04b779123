// Simulated IAM server certificates (awsQuery protocol): the controller's second certificate provider.
// IAM addresses a server certificate by name; the world keys certificates by ARN, so the name and path are
// read back out of `arn:aws:iam::ACCOUNT:server-certificate/[PATH/]NAME`.
import { createHash } from 'node:crypto';
import { ensureCertificatePem } from './certificates.ts';
import { AwsError, paginate, required } from './protocol.ts';
import type { ServiceDefinition, SimContext } from './server.ts';
import type { SimCertificate, World } from './world.ts';

interface Named { cert: SimCertificate; name: string; path: string }

function nameAndPath(arn: string): { name: string; path: string } {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.replace(/^server-certificate\//, '').split('/').filter(Boolean);
  const name = parts.pop() ?? resource;
  return { name, path: parts.length > 0 ? `/${parts.join('/')}/` : '/' };
}

function iamCertificates(world: World): Named[] {
  return [...world.certificates.values()].filter((c) => c.source === 'iam').map((cert) => ({ cert, ...nameAndPath(cert.arn) }));
}

function findByName(world: World, name: string): Named {
  const found = iamCertificates(world).find((c) => c.name === name);
  if (!found) throw new AwsError('NoSuchEntity', `The Server Certificate with name ${name} cannot be found.`, 404);
  return found;
}

/** Stable id in IAM's style (ASCA prefix, uppercase), derived from the ARN. */
function certificateId(arn: string): string {
  return 'ASCA' + createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase();
}

function metadata({ cert, name, path }: Named) {
  return {
    Path: path,
    ServerCertificateName: name,
    ServerCertificateId: certificateId(cert.arn),
    Arn: cert.arn,
    UploadDate: new Date(cert.notBefore),
    Expiration: new Date(cert.notAfter),
  };
}

function maxItems(input: any): number {
  if (input.MaxItems === undefined) return 100;
  const n = Number(input.MaxItems);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return n;
}

/** IAM's Marker paging: IsTruncated tells whether to come back with Marker. */
function truncatable<T>(items: T[], input: any) {
  const { page, next } = paginate(items, input.Marker, maxItems(input));
  return { page, IsTruncated: next !== undefined, Marker: next };
}

function listServerCertificates(input: any, { world }: SimContext) {
  const prefix = input.PathPrefix ? String(input.PathPrefix) : '/';
  const { page, IsTruncated, Marker } = truncatable(iamCertificates(world).filter((c) => c.path.startsWith(prefix)), input);
  return { ServerCertificateMetadataList: page.map(metadata), IsTruncated, Marker };
}

async function getServerCertificate(input: any, { world }: SimContext) {
  const named = findByName(world, required(input, 'ServerCertificateName'));
  const pem = await ensureCertificatePem(named.cert);
  const tags = Object.entries(named.cert.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    ServerCertificate: {
      ServerCertificateMetadata: metadata(named),
      CertificateBody: pem.certificate,
      // IAM leaves the chain out entirely when none was uploaded.
      CertificateChain: pem.chain || undefined,
      Tags: tags.length > 0 ? tags : undefined,
    },
  };
}

function listServerCertificateTags(input: any, { world }: SimContext) {
  const { cert } = findByName(world, required(input, 'ServerCertificateName'));
  const tags = Object.entries(cert.tags).map(([Key, Value]) => ({ Key, Value }));
  const { page, IsTruncated, Marker } = truncatable(tags, input);
  return { Tags: page, IsTruncated, Marker };
}

export const iamService: ServiceDefinition = {
  name: 'iam',
  protocol: 'query',
  handlers: {
    ListServerCertificates: listServerCertificates,
    GetServerCertificate: getServerCertificate,
    ListServerCertificateTags: listServerCertificateTags,
  },
  mutating: new Set(),
};
