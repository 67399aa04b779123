// The controller's configuration: one typed, immutable object built from flags and environment.
// Field names follow the upstream flags (see docs/flags.md); durations are milliseconds.

import type { ThrottleRule } from '../aws/throttle/throttle-rules.ts';

export type TargetAccessMode = 'HostPort' | 'AWSCNI' | 'Legacy';
export type LoadBalancerType = 'application' | 'network';
export type IpAddressType = 'ipv4' | 'dualstack';

export interface NamespacedName {
  readonly namespace: string;
  readonly name: string;
}

/** One EC2 filter, as sent to DescribeInstances (`Name`, `Values`). */
export interface Ec2Filter {
  readonly name: string;
  readonly values: readonly string[];
}

export interface Config {
  // process
  readonly version: boolean;
  readonly debug: boolean;
  readonly quiet: boolean;
  readonly apiServerBaseURL: string;
  readonly metricsAddress: string;
  readonly disableInstrumentedHTTPClient: boolean;

  // timing (milliseconds)
  readonly pollingIntervalMs: number;
  readonly creationTimeoutMs: number;
  /** How often a stack operation in progress is checked. */
  readonly stackPollIntervalMs: number;
  /** Most stack operations in progress at once (--max-stack-operations). */
  readonly maxStackOperations: number;
  /** 0: subnets and security group are read only at start-up. */
  readonly discoveryRefreshIntervalMs: number;
  readonly leaderElection: {
    readonly enabled: boolean;
    /** Empty: the service account's namespace, else kube-system. */
    readonly namespace: string;
    readonly name: string;
    readonly leaseDurationMs: number;
    readonly renewDeadlineMs: number;
    readonly retryPeriodMs: number;
  };
  readonly certPollingIntervalMs: number;
  readonly certTTLTimeoutMs: number;
  readonly minLoadBalancerAgeMs: number;
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  /** After upstream's coercion: 0 when the flag was outside [1s, 4000s]. */
  readonly idleConnectionTimeoutMs: number;
  /** After upstream's coercion: 0 when the flag was outside [1s, 3600s]. */
  readonly deregistrationDelayTimeoutMs: number;

  // identity and discovery
  readonly controllerId: string;
  readonly clusterId: string;
  readonly vpcId: string;
  readonly clusterLocalDomain: string;
  /** From the CUSTOM_FILTERS environment variable; undefined = upstream's default filters. */
  readonly customFilters: readonly Ec2Filter[] | undefined;

  // certificates
  readonly disableSNISupport: boolean;
  readonly maxCertsALB: number;
  readonly certFilterTag: string;
  readonly blacklistCertificateARNs: readonly string[];
  /** Ours: PEM file whose roots are trusted besides the system roots. '' = none. */
  readonly extraTrustedCAFile: string;

  // stacks
  readonly stackTerminationProtection: boolean;
  readonly additionalStackTags: Readonly<Record<string, string>>;
  readonly cloudwatchAlarmsConfigMap: NamespacedName | undefined;

  // load balancer and target groups
  readonly loadBalancerType: LoadBalancerType;
  readonly ipAddrType: IpAddressType;
  readonly sslPolicy: string;
  readonly healthCheckPath: string;
  readonly healthCheckPort: number;
  readonly targetPort: number;
  readonly albHTTPTargetPort: number;
  readonly nlbHTTPTargetPort: number;
  readonly targetHTTPS: boolean;
  readonly albHealthyThresholdCount: number;
  readonly albUnhealthyThresholdCount: number;
  readonly nlbHealthyThresholdCount: number;
  readonly logsS3Bucket: string;
  readonly logsS3Prefix: string;
  readonly awsWAFWebACLID: string;
  readonly redirectHTTPToHTTPS: boolean;
  readonly nlbZoneAffinity: string;
  readonly nlbCrossZone: boolean;
  readonly nlbHTTPEnabled: boolean;
  readonly denyInternalDomains: boolean;
  readonly internalDomains: readonly string[];
  readonly denyInternalDomainsResponse: string;
  readonly denyInternalDomainsResponseContentType: string;
  readonly denyInternalDomainsResponseStatusCode: number;

  // Kubernetes
  /** Parsed `--ingress-class-filter`; empty = accept every class. An entry '' matches unclassed objects. */
  readonly ingressClassFilter: readonly string[];
  readonly targetAccessMode: TargetAccessMode;
  readonly targetCNINamespace: string;
  readonly targetCNIPodLabelSelector: string;

  // ours
  /** Directory holding the SQLite state. */
  readonly stateDir: string;
  /** `--aws-api-throttle` applied over the defaults (validated). */
  readonly awsApiThrottle: readonly ThrottleRule[];
}

/** A warning produced while building the configuration (e.g. upstream's silent coercions), to be logged. */
export interface ConfigWarning {
  readonly flag: string;
  readonly message: string;
}
