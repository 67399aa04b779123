// The ListenerCertificate logical ID changes with the certificate set on purpose: upstream replaces the resource
// instead of updating it to dodge a CloudFormation bug, and existing stacks carry IDs computed this way.
import { createHash } from 'node:crypto';
import { compareBytes } from './go-json.ts';
import { LogicalId } from '../stack-contract.ts';

/** Certificate ARNs in the order every template uses: bytewise ascending, the first being the listener default. */
export function sortedCertificateARNs(arns: Iterable<string>): string[] {
  return [...arns].sort(compareBytes);
}

/** Lowercase hex SHA-256 over the sorted ARNs, each followed by one NUL byte. */
export function certificateSetHash(sortedARNs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const arn of sortedARNs) {
    hash.update(arn, 'utf8');
    hash.update(Buffer.of(0));
  }
  return hash.digest('hex');
}

export function listenerCertificateLogicalId(sortedARNs: readonly string[]): string {
  return LogicalId.listenerCertificatePrefix + certificateSetHash(sortedARNs);
}
