// Reading a CloudFormation stack back into the controller's view of it (upstream's isManagedStack and
// mapToManagedStack). Everything the model knows about an existing load balancer comes from these tags,
// parameters and outputs, so stacks created by the Go controller are understood without any local state.
import type { CertificateExpiries, ManagedStack } from '../types/stack.ts';
import { parseRFC3339 } from '../rfc3339.ts';
import { clusterTag, StackOutput, StackParameter, StackTag } from '../stack-contract.ts';

/** A stack as DescribeStacks reports it, flattened into plain records. */
export interface RawStack {
  readonly name: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason: string;
  readonly createdAt?: number | undefined;
  readonly lastUpdatedAt?: number | undefined;
  readonly terminationProtection: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Ownership is decided by tags only: stack names are random, and several controllers may share a region. */
export function isManagedStack(
  tags: Readonly<Record<string, string>>,
  controllerId: string,
  clusterId: string,
): boolean {
  if (own(tags, StackTag.application) !== controllerId) return false;
  return (
    own(tags, clusterTag(clusterId)) === StackTag.clusterOwned || own(tags, StackTag.legacyClusterId) === clusterId
  );
}

export function toManagedStack(raw: RawStack): ManagedStack {
  const param = (key: string): string => own(raw.parameters, key) ?? '';
  const output = (key: string): string => own(raw.outputs, key) ?? '';
  const targetGroupARNs = [StackOutput.targetGroupARN, StackOutput.httpTargetGroupARN]
    .map((key) => own(raw.outputs, key))
    .filter((arn): arn is string => arn !== undefined);

  return {
    name: raw.name,
    stackId: raw.stackId,
    status: raw.status,
    statusReason: raw.statusReason,
    createdAt: raw.createdAt,
    lastUpdatedAt: raw.lastUpdatedAt,
    terminationProtection: raw.terminationProtection,
    tags: raw.tags,
    parameters: raw.parameters,
    outputs: raw.outputs,

    scheme: param(StackParameter.scheme),
    securityGroup: param(StackParameter.securityGroup),
    sslPolicy: param(StackParameter.sslPolicy),
    ipAddressType: param(StackParameter.ipAddressType),
    loadBalancerType: param(StackParameter.loadBalancerType),
    // Stacks from before the parameter existed had HTTP/2 on.
    http2: param(StackParameter.http2) !== 'false',
    wafWebACLID: param(StackParameter.wafWebACLID),

    loadBalancerARN: output(StackOutput.loadBalancerARN),
    dnsName: output(StackOutput.dnsName),
    targetGroupARNs,

    certificateARNs: certificateExpiries(raw.tags),
    ownerIngress: own(raw.tags, StackTag.owner) ?? '',
    cwAlarmConfigHash: own(raw.tags, StackTag.alarmConfigHash) ?? '',
  };
}

/** Certificate tags -> expiries. An unparseable expiry counts as the zero time ("in use"), as upstream. */
export function certificateExpiries(tags: Readonly<Record<string, string>>): CertificateExpiries {
  const expiries: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(StackTag.certificatePrefix)) continue;
    const parsed = parseRFC3339(value);
    expiries[key.slice(StackTag.certificatePrefix.length)] = parsed === undefined ? null : parsed;
  }
  // Applied last so that, should both formats name the same ARN, the certificate stays "in use": upstream's
  // outcome depends on map order there, and keeping a certificate is the harmless side.
  const legacy = own(tags, StackTag.legacyCertificate);
  if (legacy !== undefined) expiries[legacy] = null;
  return expiries;
}

function own(record: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
