// The contract every managed stack carries, in one place: tag, parameter, output and logical resource names,
// the zero time that marks a certificate "in use", and the CloudFormation status sets the controller acts on.
// Existing stacks of the Go controller already carry these names: changing one replaces resources or orphans
// stacks, so they are fixed by upstream, not by us.

export const StackTag = {
  application: 'kubernetes:application',
  clusterPrefix: 'kubernetes.io/cluster/',
  clusterOwned: 'owned',
  /** Read only: stacks from before kubernetes.io/cluster/<id> existed. */
  legacyClusterId: 'ClusterID',
  certificatePrefix: 'ingress:certificate-arn/',
  /** Read only: single-certificate format of old stacks; the value is the ARN, its expiry unknown. */
  legacyCertificate: 'ingress:certificate-arn',
  owner: 'ingress:owner',
  alarmConfigHash: 'cloudwatch:alarm-config-hash',
} as const;

/** `kubernetes.io/cluster/<id>`: on stacks, security groups, subnets, instances and ASGs of the cluster. */
export const clusterTag = (clusterId: string): string => `${StackTag.clusterPrefix}${clusterId}`;

export const StackParameter = {
  scheme: 'LoadBalancerSchemeParameter',
  securityGroup: 'LoadBalancerSecurityGroupParameter',
  subnets: 'LoadBalancerSubnetsParameter',
  healthCheckPath: 'TargetGroupHealthCheckPathParameter',
  healthCheckPort: 'TargetGroupHealthCheckPortParameter',
  healthCheckInterval: 'TargetGroupHealthCheckIntervalParameter',
  healthCheckTimeout: 'TargetGroupHealthCheckTimeoutParameter',
  targetPort: 'TargetGroupTargetPortParameter',
  httpTargetPort: 'TargetGroupHTTPTargetPortParameter',
  vpcId: 'TargetGroupVPCIDParameter',
  sslPolicy: 'ListenerSslPolicyParameter',
  ipAddressType: 'IpAddressType',
  loadBalancerType: 'Type',
  wafWebACLID: 'LoadBalancerWAFWebACLIDParameter',
  http2: 'HTTP2',
} as const;

/**
 * The parameters that make two stacks different load balancers (with the owner tag): one never turns into the
 * other by an update, so a pending creation is matched to a planned load balancer on these.
 */
export const IDENTITY_PARAMETERS: readonly string[] = [
  StackParameter.scheme, StackParameter.securityGroup, StackParameter.loadBalancerType, StackParameter.ipAddressType, StackParameter.http2,
];

export const StackOutput = {
  loadBalancerARN: 'LoadBalancerARN',
  dnsName: 'LoadBalancerDNSName',
  targetGroupARN: 'TargetGroupARN',
  httpTargetGroupARN: 'HTTPTargetGroupARN',
} as const;

export const LogicalId = {
  loadBalancer: 'LB',
  targetGroup: 'TG',
  httpTargetGroup: 'TGHTTP',
  httpListener: 'HTTPListener',
  httpsListener: 'HTTPSListener',
  /** Followed by the hex SHA-256 of the certificate set (certificate-hash.ts). */
  listenerCertificatePrefix: 'HTTPSListenerCertificate',
  httpDenyRule: 'HTTPRuleBlockInternalTraffic',
  httpsDenyRule: 'HTTPSRuleBlockInternalTraffic',
  wafAssociation: 'WAFAssociation',
  /** Followed by the alarm's index in the configured list. */
  alarmPrefix: 'CloudWatchAlarm',
} as const;

/** Go's zero time: a certificate tag with this value is in use (no expiry). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Upstream's IsComplete: the stack can take an update and its outputs can be trusted. */
const COMPLETE_STATUSES: ReadonlySet<string> = new Set([
  'CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE',
]);

/** Statuses of a managed stack that upstream does not report as a problem (§4.1 step 2). */
const EXPECTED_STATUSES: ReadonlySet<string> = new Set([
  'CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE',
]);

export function isCompleteStatus(status: string): boolean {
  return COMPLETE_STATUSES.has(status);
}

/** Any other status is reported as "unexpected status X: reason". */
export function isExpectedStatus(status: string): boolean {
  return EXPECTED_STATUSES.has(status);
}

/** CloudFormation is still working on the stack: wait, do not act. */
export function isInProgressStatus(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}
