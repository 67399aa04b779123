// Reading a CloudFormation stack back into the controller's view of it (upstream's isManagedStack and
// mapToManagedStack). Everything the model knows about an existing load balancer comes from these tags,
// parameters and outputs, so stacks created by the Go controller are understood without any local state.
import type { CertificateExpiries, ManagedStack } from '../types/stack.ts';
import { parseRFC3339 } from '../rfc3339.ts';

export const STACK_TAGS = {
  application: 'kubernetes:application',
  clusterPrefix: 'kubernetes.io/cluster/',
  /** Written by controllers before the kubernetes.io/cluster/<id> tag; still honoured for discovery. */
  legacyClusterID: 'ClusterID',
  certificateARNPrefix: 'ingress:certificate-arn/',
  /** Single-certificate format of old stacks: the value is the ARN. */
  legacyCertificateARN: 'ingress:certificate-arn',
  owner: 'ingress:owner',
  alarmConfigHash: 'cloudwatch:alarm-config-hash',
} as const;

export const STACK_PARAMETERS = {
  scheme: 'LoadBalancerSchemeParameter',
  securityGroup: 'LoadBalancerSecurityGroupParameter',
  sslPolicy: 'ListenerSslPolicyParameter',
  ipAddressType: 'IpAddressType',
  type: 'Type',
  http2: 'HTTP2',
  wafWebACLID: 'LoadBalancerWAFWebACLIDParameter',
} as const;

export const STACK_OUTPUTS = {
  loadBalancerARN: 'LoadBalancerARN',
  dnsName: 'LoadBalancerDNSName',
  targetGroupARN: 'TargetGroupARN',
  httpTargetGroupARN: 'HTTPTargetGroupARN',
} as const;

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
  if (own(tags, STACK_TAGS.application) !== controllerId) return false;
  return (
    own(tags, STACK_TAGS.clusterPrefix + clusterId) === 'owned' || own(tags, STACK_TAGS.legacyClusterID) === clusterId
  );
}

export function toManagedStack(raw: RawStack): ManagedStack {
  const param = (key: string): string => own(raw.parameters, key) ?? '';
  const output = (key: string): string => own(raw.outputs, key) ?? '';
  const targetGroupARNs = [STACK_OUTPUTS.targetGroupARN, STACK_OUTPUTS.httpTargetGroupARN]
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

    scheme: param(STACK_PARAMETERS.scheme),
    securityGroup: param(STACK_PARAMETERS.securityGroup),
    sslPolicy: param(STACK_PARAMETERS.sslPolicy),
    ipAddressType: param(STACK_PARAMETERS.ipAddressType),
    loadBalancerType: param(STACK_PARAMETERS.type),
    // Stacks from before the parameter existed had HTTP/2 on.
    http2: param(STACK_PARAMETERS.http2) !== 'false',
    wafWebACLID: param(STACK_PARAMETERS.wafWebACLID),

    loadBalancerARN: output(STACK_OUTPUTS.loadBalancerARN),
    dnsName: output(STACK_OUTPUTS.dnsName),
    targetGroupARNs,

    certificateARNs: certificateExpiries(raw.tags),
    ownerIngress: own(raw.tags, STACK_TAGS.owner) ?? '',
    cwAlarmConfigHash: own(raw.tags, STACK_TAGS.alarmConfigHash) ?? '',
  };
}

/** Certificate tags -> expiries. An unparseable expiry counts as the zero time ("in use"), as upstream. */
export function certificateExpiries(tags: Readonly<Record<string, string>>): CertificateExpiries {
  const expiries: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(STACK_TAGS.certificateARNPrefix)) continue;
    const parsed = parseRFC3339(value);
    expiries[key.slice(STACK_TAGS.certificateARNPrefix.length)] = parsed === undefined ? null : parsed;
  }
  // Applied last so that, should both formats name the same ARN, the certificate stays "in use": upstream's
  // outcome depends on map order there, and keeping a certificate is the harmless side.
  const legacy = own(tags, STACK_TAGS.legacyCertificateARN);
  if (legacy !== undefined) expiries[legacy] = null;
  return expiries;
}

function own(record: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
