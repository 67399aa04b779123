// Startup discovery of where the controller lives: cluster id, VPC, the load balancers' security group and the
// VPC's subnets with their public/private classification. Rules follow upstream's buildManifest so a drop-in
// picks the same security group and subnets; pagination is handled although upstream reads only one page.
import {
  paginateDescribeInstances,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  type EC2Client,
  type Filter,
  type Instance,
  type RouteTable,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { Config } from '../config/config.ts';
import { clusterTag, StackTag } from '../planning/stack-contract.ts';
import type { SubnetSummary } from '../planning/template/subnets.ts';
import type { InstanceMetadata } from './imds.ts';

export type { SubnetSummary };

export interface Discovery {
  readonly clusterId: string;
  readonly vpcId: string;
  /** Only when instance metadata was consulted. */
  readonly instanceId?: string;
  readonly securityGroupId: string;
  readonly subnets: SubnetSummary[];
  /** Things worth a log line at startup; none of them stops the controller. */
  readonly warnings: string[];
}

export interface DiscoveryDeps {
  readonly clients: { readonly ec2: EC2Client };
  readonly config: Pick<Config, 'clusterId' | 'vpcId' | 'controllerId'>;
  readonly imds: InstanceMetadata;
  /** MaxResults for the EC2 describe calls; unset asks EC2 for everything in one answer, as upstream does. */
  readonly pageSize?: number;
}

/** Instance tag of clusters from before kubernetes.io/cluster/<id> (not a stack tag). */
const LEGACY_CLUSTER_TAG = 'KubernetesCluster';
export const UNKNOWN_CLUSTER = 'unknown-cluster';

/** Discovery cannot produce a usable result; the controller must not start. */
export class DiscoveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscoveryError';
  }
}

export class InstanceNotFoundError extends DiscoveryError {
  constructor(readonly instanceId: string, reason: string) {
    super(`instance ${instanceId} (from instance metadata): ${reason}`);
    this.name = 'InstanceNotFoundError';
  }
}

export class SecurityGroupNotFoundError extends DiscoveryError {
  constructor(readonly clusterId: string, readonly controllerId: string) {
    super(
      `no security group tagged ${clusterTag(clusterId)}=${StackTag.clusterOwned} and ${StackTag.application}=${controllerId}`,
    );
    this.name = 'SecurityGroupNotFoundError';
  }
}

export class NoSubnetsError extends DiscoveryError {
  constructor(readonly vpcId: string) {
    super(`no subnets found in VPC ${vpcId}`);
    this.name = 'NoSubnetsError';
  }
}

export class RouteTableNotFoundError extends DiscoveryError {
  constructor(readonly subnetId: string, readonly vpcId: string) {
    super(`subnet ${subnetId} has no associated route table and VPC ${vpcId} has no main route table`);
    this.name = 'RouteTableNotFoundError';
  }
}

export async function discover(deps: DiscoveryDeps): Promise<Discovery> {
  const { ec2 } = deps.clients;
  const warnings: string[] = [];
  let { clusterId, vpcId } = deps.config;
  let instanceId: string | undefined;

  if (clusterId === '' || vpcId === '') {
    if (clusterId !== '' || vpcId !== '') {
      // Upstream rediscovers both as soon as one is missing, silently dropping the one that was given.
      // Kept for drop-in compatibility; the warning is ours.
      const given = clusterId !== '' ? `--cluster-id=${clusterId}` : `--vpc-id=${vpcId}`;
      warnings.push(
        `${given} is ignored because the other of --cluster-id/--vpc-id is empty: both are taken from this instance's metadata, as the Go controller does`,
      );
    }
    instanceId = await deps.imds.instanceId();
    const instance = await findRunningInstance(ec2, instanceId, deps.pageSize);
    clusterId = clusterIdFromTags(instance.Tags ?? []);
    if (clusterId === UNKNOWN_CLUSTER) {
      warnings.push(`instance ${instanceId} has no ${StackTag.clusterPrefix}<id>=${StackTag.clusterOwned} or ${LEGACY_CLUSTER_TAG} tag; cluster id is "${UNKNOWN_CLUSTER}"`);
    }
    vpcId = instance.VpcId ?? '';
    if (vpcId === '') throw new InstanceNotFoundError(instanceId, 'the instance reports no VPC');
  }

  const network = await discoverNetwork(deps, clusterId, vpcId);
  return { clusterId, vpcId, ...(instanceId !== undefined ? { instanceId } : {}), ...network, warnings: [...warnings, ...network.warnings] };
}

/** What can change while the controller runs: the security group and the subnets (with their route tables). */
export interface NetworkDiscovery {
  readonly securityGroupId: string;
  readonly subnets: SubnetSummary[];
  readonly warnings: string[];
}

/** The security group and subnets of a known cluster and VPC: start-up, and every periodic refresh. */
export async function discoverNetwork(deps: Omit<DiscoveryDeps, 'imds'>, clusterId: string, vpcId: string): Promise<NetworkDiscovery> {
  const warnings: string[] = [];
  const securityGroupId = await findSecurityGroup(deps.clients.ec2, clusterId, deps.config.controllerId, deps.pageSize);
  const subnets = await findSubnets(deps.clients.ec2, vpcId, clusterId, warnings, deps.pageSize);
  return { securityGroupId, subnets, warnings };
}

/**
 * Upstream reads the first `kubernetes.io/cluster/<id>` tag whose value is `owned` (in Go's random map order;
 * here in the order EC2 lists the tags), then the legacy `KubernetesCluster` tag.
 */
export function clusterIdFromTags(tags: readonly Tag[]): string {
  for (const tag of tags) {
    if (tag.Key?.startsWith(StackTag.clusterPrefix) && tag.Value === StackTag.clusterOwned) return tag.Key.slice(StackTag.clusterPrefix.length);
  }
  const legacy = tags.find((t) => t.Key === LEGACY_CLUSTER_TAG);
  return legacy?.Value || UNKNOWN_CLUSTER;
}

async function findRunningInstance(ec2: EC2Client, instanceId: string, pageSize: number | undefined): Promise<Instance> {
  const filters: Filter[] = [{ Name: 'instance-id', Values: [instanceId] }];
  for await (const page of paginateDescribeInstances(pagination(ec2, pageSize), { Filters: filters })) {
    for (const reservation of page.Reservations ?? []) {
      const running = reservation.Instances?.find((i) => i.State?.Name === 'running');
      if (running) return running;
    }
  }
  throw new InstanceNotFoundError(instanceId, 'no running instance with this id');
}

async function findSecurityGroup(
  ec2: EC2Client,
  clusterId: string,
  controllerId: string,
  pageSize: number | undefined,
): Promise<string> {
  const filters: Filter[] = [
    { Name: `tag:${clusterTag(clusterId)}`, Values: [StackTag.clusterOwned] },
    { Name: `tag:${StackTag.application}`, Values: [controllerId] },
  ];
  for await (const page of paginateDescribeSecurityGroups(pagination(ec2, pageSize), { Filters: filters })) {
    const first = page.SecurityGroups?.find((g) => g.GroupId);
    if (first?.GroupId) return first.GroupId;
  }
  throw new SecurityGroupNotFoundError(clusterId, controllerId);
}

async function findSubnets(
  ec2: EC2Client,
  vpcId: string,
  clusterId: string,
  warnings: string[],
  pageSize: number | undefined,
): Promise<SubnetSummary[]> {
  const byVpc: Filter[] = [{ Name: 'vpc-id', Values: [vpcId] }];
  const [subnets, routeTables] = await Promise.all([
    collect(paginateDescribeSubnets(pagination(ec2, pageSize), { Filters: byVpc }), (p) => p.Subnets ?? []),
    collect(paginateDescribeRouteTables(pagination(ec2, pageSize), { Filters: byVpc }), (p) => p.RouteTables ?? []),
  ]);
  const all = subnets.map((s): SubnetSummary => {
    const id = s.SubnetId ?? '';
    return { id, availabilityZone: s.AvailabilityZone ?? '', public: isPublic(id, vpcId, routeTables), tags: tagMap(s.Tags) };
  });
  if (all.length === 0) throw new NoSubnetsError(vpcId);

  const tag = clusterTag(clusterId);
  const tagged = all.filter((s) => Object.hasOwn(s.tags, tag));
  if (tagged.length > 0) return tagged;
  warnings.push(`no subnet in VPC ${vpcId} has the tag key ${tag}; using all ${all.length} subnets of the VPC`);
  return all;
}

/** Public = the subnet's route table (explicit association, else the VPC's main table) routes to an internet gateway. */
function isPublic(subnetId: string, vpcId: string, tables: readonly RouteTable[]): boolean {
  const table =
    tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ??
    tables.find((t) => t.Associations?.some((a) => a.Main === true));
  if (!table) throw new RouteTableNotFoundError(subnetId, vpcId);
  return (table.Routes ?? []).some((r) => r.GatewayId?.startsWith('igw') ?? false);
}

function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

function pagination(client: EC2Client, pageSize: number | undefined) {
  return pageSize === undefined ? { client } : { client, pageSize };
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[]): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...items(page));
  return out;
}
