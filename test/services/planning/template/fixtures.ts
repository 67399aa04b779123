// Inputs shared by the templating tests: upstream's default flags (plus --target-access-mode=HostPort), the
// cluster of the public conformance scenarios, and a load balancer builder.
import type { Config } from '../../../../services/config/config.ts';
import type { LoadBalancerSpec } from '../../../../services/planning/types/load-balancer.ts';
import type { SubnetSummary } from '../../../../services/planning/template/subnets.ts';
import type { StackEnvironment } from '../../../../services/planning/template/stack-document.ts';
import { configFromFlags } from '../../../helpers/config.ts';

export const CLUSTER_ID = 'aws:123:eu-central-1:kube-1';
export const VPC_ID = 'vpc-1';
export const CERT_FOO = 'arn:aws:acm:eu-central-1:123456789012:certificate/foo';

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return configFromFlags([], overrides);
}

export function loadBalancer(overrides: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec {
  return {
    stack: undefined,
    scheme: 'internet-facing',
    securityGroup: 'sg-1',
    sslPolicy: 'ELBSecurityPolicy-2016-08',
    ipAddressType: 'ipv4',
    loadBalancerType: 'application',
    http2: true,
    wafWebACLID: '',
    shared: true,
    owner: '',
    ingressesByCertificate: {},
    certificateARNs: { [CERT_FOO]: null },
    ingresses: [],
    clusterLocal: false,
    ...overrides,
  };
}

const clusterTag = `kubernetes.io/cluster/${CLUSTER_ID}`;

/** The subnets of the public conformance scenarios: two public (a1, b1) and one private (a2). */
export const SUBNETS: readonly SubnetSummary[] = [
  {
    id: 'subnet-a1',
    availabilityZone: 'eu-central-1a',
    public: true,
    tags: { [clusterTag]: 'owned', 'kubernetes.io/role/elb': '' },
  },
  {
    id: 'subnet-b1',
    availabilityZone: 'eu-central-1b',
    public: true,
    tags: { [clusterTag]: 'owned', 'kubernetes.io/role/elb': '' },
  },
  {
    id: 'subnet-a2',
    availabilityZone: 'eu-central-1a',
    public: false,
    tags: { [clusterTag]: 'owned', 'kubernetes.io/role/internal-elb': '' },
  },
];

export function environment(overrides: Partial<StackEnvironment> = {}): StackEnvironment {
  return { config: defaultConfig(), clusterId: CLUSTER_ID, vpcId: VPC_ID, subnets: SUBNETS, alarms: [], ...overrides };
}
