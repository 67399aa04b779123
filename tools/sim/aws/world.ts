// State of the simulated AWS account. The input shape is the `aws` part of the scenario format
// (docs/scenarios.md); the runtime shape adds what the services create over time.
import type { Clock } from '../../../services/clock.ts';

export type Tags = Record<string, string>;

// ---- scenario input ------------------------------------------------------------------------------------

export interface AwsWorldInput {
  region?: string;
  accountId?: string;
  self?: { instanceId: string };
  vpcs?: { id: string; cidrBlock?: string }[];
  subnets?: { id: string; vpcId: string; availabilityZone: string; public?: boolean; cidrBlock?: string; tags?: Tags }[];
  securityGroups?: { id: string; vpcId: string; name?: string; tags?: Tags }[];
  instances?: { id: string; vpcId?: string; subnetId?: string; availabilityZone?: string; state?: string; privateIp?: string; tags?: Tags }[];
  autoScalingGroups?: { name: string; tags?: Tags; instances?: string[]; targetGroupARNs?: string[] }[];
  certificates?: CertificateInput[];
  stacks?: StackInput[];
  loadBalancers?: { arn: string; state?: string; createdAt?: string; dnsName?: string; type?: string; scheme?: string }[];
  targetGroups?: { arn: string; targetType?: string; port?: number; protocol?: string; vpcId?: string; tags?: Tags; targets?: string[] }[];
  behaviour?: BehaviourInput;
}

export interface CertificateInput {
  arn: string;
  source?: 'acm' | 'iam';
  domains: string[];
  notBefore?: string;
  notAfter?: string;
  trust?: 'public' | 'self-signed' | 'private-ca';
  status?: string;
  tags?: Tags;
}

export interface StackInput {
  name: string;
  status?: string;
  statusReason?: string;
  tags?: Tags;
  parameters?: Record<string, string>;
  outputs?: Record<string, string>;
  template?: unknown;
  terminationProtection?: boolean;
  createdAt?: string;
}

export interface BehaviourInput {
  operationSeconds?: number;
  failCreate?: string[];
  failUpdate?: string[];
  failDelete?: string[];
  /** Updates of these stacks fail and so does their rollback (UPDATE_ROLLBACK_FAILED). */
  failRollback?: string[];
  /** "service:Action" -> fraction of calls answered with a throttling error (deterministic, see Knobs). */
  throttle?: Record<string, number>;
  /** "service:Action" -> fraction of calls answered with HTTP 500 InternalFailure. */
  serverErrors?: Record<string, number>;
  /** Real milliseconds added before every answer. */
  latencyMs?: number;
}

// ---- runtime state -------------------------------------------------------------------------------------

export interface SimVpc { id: string; cidrBlock: string }
export interface SimSubnet { id: string; vpcId: string; availabilityZone: string; public: boolean; cidrBlock: string; tags: Tags }
export interface SimSecurityGroup { id: string; vpcId: string; name: string; tags: Tags }
export interface SimInstance {
  id: string; vpcId: string; subnetId: string; availabilityZone: string; state: string; privateIp: string; tags: Tags;
}
export interface SimAutoScalingGroup { name: string; tags: Tags; instances: string[]; targetGroupARNs: string[] }

export interface SimCertificate {
  arn: string;
  source: 'acm' | 'iam';
  domains: string[];
  notBefore: number;
  notAfter: number;
  trust: 'public' | 'self-signed' | 'private-ca';
  status: string;
  tags: Tags;
  /** Generated lazily by certificates.ts and cached here. */
  pem?: { certificate: string; chain: string };
}

export interface SimStack {
  name: string;
  stackId: string;
  status: string;
  statusReason: string;
  tags: Tags;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  templateBody: string;
  terminationProtection: boolean;
  timeoutInMinutes?: number;
  onFailure?: string;
  createdAt: number;
  lastUpdatedAt?: number;
  deletedAt?: number;
  /** Logical id -> physical resource, as CloudFormation tracks them (kept across updates). */
  resources?: Record<string, SimStackResource>;
}

export interface SimStackResource { type: string; physicalId: string }

export interface SimLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  type: string;
  scheme: string;
  state: string;
  createdAt: number;
  ipAddressType: string;
  vpcId: string;
  securityGroups: string[];
  subnets: string[];
  tags: Tags;
  /** Stack that declared it, if any. */
  stackName?: string;
}

export interface SimTarget { id: string; port?: number }

export interface SimTargetGroup {
  arn: string;
  name: string;
  targetType: string;
  port: number;
  protocol: string;
  vpcId: string;
  tags: Tags;
  targets: SimTarget[];
  loadBalancerArns: string[];
  stackName?: string;
  healthCheck?: SimHealthCheck;
}

export interface SimHealthCheck {
  protocol?: string;
  port?: string;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
}

export interface SimListener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  certificates: string[];
  sslPolicy?: string;
  stackName?: string;
  /** DefaultActions in the API's shape (Type, TargetGroupArn, RedirectConfig, ...). */
  defaultActions?: Record<string, unknown>[];
  tags?: Tags;
}

export interface Behaviour {
  operationMs: number;
  failCreate: string[];
  failUpdate: string[];
  failDelete: string[];
  failRollback: string[];
  throttle: Record<string, number>;
  serverErrors: Record<string, number>;
  latencyMs: number;
}

export interface World {
  region: string;
  accountId: string;
  selfInstanceId: string;
  vpcs: Map<string, SimVpc>;
  subnets: Map<string, SimSubnet>;
  securityGroups: Map<string, SimSecurityGroup>;
  instances: Map<string, SimInstance>;
  autoScalingGroups: Map<string, SimAutoScalingGroup>;
  certificates: Map<string, SimCertificate>;
  /** Every stack ever seen, including DELETE_COMPLETE ones (CloudFormation lists those by id for a while). */
  stacks: Map<string, SimStack>;
  loadBalancers: Map<string, SimLoadBalancer>;
  targetGroups: Map<string, SimTargetGroup>;
  listeners: Map<string, SimListener>;
  behaviour: Behaviour;
  /** Monotonic counter for generated ids (deterministic). */
  sequence: number;
}

export function nextId(world: World): number {
  world.sequence += 1;
  return world.sequence;
}

const isoToMs = (s: string | undefined, fallback: number): number => (s ? Date.parse(s) : fallback);

export function createWorld(input: AwsWorldInput = {}, clock: Clock): World {
  const now = clock.now();
  const region = input.region ?? 'eu-central-1';
  const world: World = {
    region,
    accountId: input.accountId ?? '123456789012',
    selfInstanceId: input.self?.instanceId ?? 'i-controller',
    vpcs: new Map(),
    subnets: new Map(),
    securityGroups: new Map(),
    instances: new Map(),
    autoScalingGroups: new Map(),
    certificates: new Map(),
    stacks: new Map(),
    loadBalancers: new Map(),
    targetGroups: new Map(),
    listeners: new Map(),
    behaviour: {
      operationMs: (input.behaviour?.operationSeconds ?? 60) * 1000,
      failCreate: input.behaviour?.failCreate ?? [],
      failUpdate: input.behaviour?.failUpdate ?? [],
      failDelete: input.behaviour?.failDelete ?? [],
      failRollback: input.behaviour?.failRollback ?? [],
      throttle: input.behaviour?.throttle ?? {},
      serverErrors: input.behaviour?.serverErrors ?? {},
      latencyMs: input.behaviour?.latencyMs ?? 0,
    },
    sequence: 0,
  };
  for (const v of input.vpcs ?? []) world.vpcs.set(v.id, { id: v.id, cidrBlock: v.cidrBlock ?? '10.0.0.0/16' });
  let subnetIndex = 0;
  for (const s of input.subnets ?? []) {
    world.subnets.set(s.id, {
      id: s.id, vpcId: s.vpcId, availabilityZone: s.availabilityZone, public: s.public ?? false,
      cidrBlock: s.cidrBlock ?? `10.0.${subnetIndex++}.0/24`, tags: { ...(s.tags ?? {}) },
    });
  }
  for (const g of input.securityGroups ?? []) {
    world.securityGroups.set(g.id, { id: g.id, vpcId: g.vpcId, name: g.name ?? g.id, tags: { ...(g.tags ?? {}) } });
  }
  let ipIndex = 10;
  const firstSubnet = [...world.subnets.values()][0];
  for (const i of input.instances ?? []) {
    const subnet = (i.subnetId && world.subnets.get(i.subnetId)) || firstSubnet;
    world.instances.set(i.id, {
      id: i.id, vpcId: i.vpcId ?? subnet?.vpcId ?? 'vpc-1', subnetId: i.subnetId ?? subnet?.id ?? '',
      availabilityZone: i.availabilityZone ?? subnet?.availabilityZone ?? `${region}a`, state: i.state ?? 'running',
      privateIp: i.privateIp ?? `10.0.100.${ipIndex++}`, tags: { ...(i.tags ?? {}) },
    });
  }
  for (const a of input.autoScalingGroups ?? []) {
    world.autoScalingGroups.set(a.name, {
      name: a.name, tags: { ...(a.tags ?? {}) }, instances: [...(a.instances ?? [])], targetGroupARNs: [...(a.targetGroupARNs ?? [])],
    });
  }
  for (const c of input.certificates ?? []) {
    world.certificates.set(c.arn, {
      arn: c.arn, source: c.source ?? 'acm', domains: [...c.domains],
      notBefore: isoToMs(c.notBefore, now - 30 * 86400_000), notAfter: isoToMs(c.notAfter, now + 365 * 86400_000),
      trust: c.trust ?? 'public', status: c.status ?? 'ISSUED', tags: { ...(c.tags ?? {}) },
    });
  }
  for (const lb of input.loadBalancers ?? []) {
    world.loadBalancers.set(lb.arn, {
      arn: lb.arn, name: lb.arn.split('/').slice(-2, -1)[0] ?? 'lb', dnsName: lb.dnsName ?? `${lb.arn.split('/').slice(-2).join('-')}.${region}.elb.amazonaws.com`,
      type: lb.type ?? 'application', scheme: lb.scheme ?? 'internet-facing', state: lb.state ?? 'active',
      createdAt: isoToMs(lb.createdAt, now), ipAddressType: 'ipv4', vpcId: firstSubnet?.vpcId ?? 'vpc-1',
      securityGroups: [], subnets: [], tags: {},
    });
  }
  for (const tg of input.targetGroups ?? []) {
    world.targetGroups.set(tg.arn, {
      arn: tg.arn, name: tg.arn.split('/').slice(-2, -1)[0] ?? 'tg', targetType: tg.targetType ?? 'instance', port: tg.port ?? 9999,
      protocol: tg.protocol ?? 'HTTP', vpcId: tg.vpcId ?? firstSubnet?.vpcId ?? 'vpc-1', tags: { ...(tg.tags ?? {}) },
      targets: (tg.targets ?? []).map((id) => ({ id })), loadBalancerArns: [],
    });
  }
  // Pre-existing stacks are loaded by cloudformation.ts (loadStacks), which also materialises their resources.
  return world;
}
