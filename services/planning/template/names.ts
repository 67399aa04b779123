// Names that existing stacks already carry. Changing any of them replaces resources or orphans stacks, so they
// are fixed by upstream, not by us.

export const Parameter = {
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

export const Output = {
  loadBalancerARN: 'LoadBalancerARN',
  dnsName: 'LoadBalancerDNSName',
  targetGroupARN: 'TargetGroupARN',
  httpTargetGroupARN: 'HTTPTargetGroupARN',
} as const;

export const Tag = {
  application: 'kubernetes:application',
  clusterPrefix: 'kubernetes.io/cluster/',
  clusterOwned: 'owned',
  /** Read only: stacks from before kubernetes.io/cluster/<id> existed. */
  legacyClusterId: 'ClusterID',
  certificatePrefix: 'ingress:certificate-arn/',
  /** Read only: value is the ARN, expiry unknown. */
  legacyCertificate: 'ingress:certificate-arn',
  owner: 'ingress:owner',
  alarmConfigHash: 'cloudwatch:alarm-config-hash',
} as const;
