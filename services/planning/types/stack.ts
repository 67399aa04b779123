// An existing CloudFormation stack managed by this controller, read back as upstream's mapToManagedStack does.

/** Certificate ARN -> expiry (epoch ms). null is Go's zero time: "in use, no expiry". */
export type CertificateExpiries = Readonly<Record<string, number | null>>;

export interface ManagedStack {
  readonly name: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason: string;
  readonly createdAt: number | undefined;
  readonly lastUpdatedAt: number | undefined;
  readonly terminationProtection: boolean;
  /** The controller has sent its DeleteStack (the actor is deleting), whatever the last scan says. */
  readonly beingDeleted?: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;

  // derived from parameters
  readonly scheme: string;
  readonly securityGroup: string;
  readonly sslPolicy: string;
  readonly ipAddressType: string;
  /** '' for legacy stacks created before load balancer types existed. */
  readonly loadBalancerType: string;
  readonly http2: boolean;
  readonly wafWebACLID: string;

  // derived from outputs
  readonly loadBalancerARN: string;
  readonly dnsName: string;
  readonly targetGroupARNs: readonly string[];

  // derived from tags
  readonly certificateARNs: CertificateExpiries;
  /** `namespace/name` from ingress:owner; '' when shared. */
  readonly ownerIngress: string;
  readonly cwAlarmConfigHash: string;
}

/** State of a stack's load balancer, from ELBv2 DescribeLoadBalancers. */
export interface LoadBalancerState {
  readonly arn: string;
  readonly state: string;
  readonly createdAt: number;
}
