import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../services/aws/clients.ts';
import {
  clusterIdFromTags,
  discover,
  InstanceNotFoundError,
  NoSubnetsError,
  SecurityGroupNotFoundError,
  UNKNOWN_CLUSTER,
  type DiscoveryDeps,
} from '../../../services/aws/discovery.ts';
import { ImdsClient, type InstanceMetadata } from '../../../services/aws/imds.ts';
import { VirtualClock } from '../../../tools/support/virtual-clock.ts';
import { startAwsSim, startImds, type AwsSim, type ImdsHandle } from '../../../tools/sim/aws/index.ts';
import type { AwsWorldInput } from '../../../tools/sim/aws/world.ts';

const CLUSTER = 'aws:123:eu-central-1:kube-1';
const CLUSTER_TAG = `kubernetes.io/cluster/${CLUSTER}`;
const CONTROLLER = 'kube-ingress-aws-controller';

// The `aws` section of the 01-alb-basic conformance scenario, plus the instance the controller runs on.
function world(overrides: Partial<AwsWorldInput> = {}): AwsWorldInput {
  return {
    region: 'eu-central-1',
    accountId: '123456789012',
    self: { instanceId: 'i-ctrl' },
    vpcs: [{ id: 'vpc-1' }],
    subnets: [
      { id: 'subnet-a1', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', public: true, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/elb': '' } },
      { id: 'subnet-b1', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', public: true, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/elb': '' } },
      { id: 'subnet-a2', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', public: false, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/internal-elb': '' } },
      { id: 'subnet-other', vpcId: 'vpc-2', availabilityZone: 'eu-central-1a', public: true, tags: { [CLUSTER_TAG]: 'owned' } },
    ],
    securityGroups: [
      { id: 'sg-shared', vpcId: 'vpc-1', tags: { [CLUSTER_TAG]: 'shared', 'kubernetes:application': CONTROLLER } },
      { id: 'sg-1', vpcId: 'vpc-1', tags: { [CLUSTER_TAG]: 'owned', 'kubernetes:application': CONTROLLER } },
    ],
    instances: [
      { id: 'i-ctrl', vpcId: 'vpc-1', subnetId: 'subnet-a2', state: 'running', tags: { Name: 'node', [CLUSTER_TAG]: 'owned' } },
      { id: 'i-1', vpcId: 'vpc-1', state: 'running', tags: { [CLUSTER_TAG]: 'owned', 'aws:autoscaling:groupName': 'asg-1' } },
    ],
    ...overrides,
  };
}

const noImds: InstanceMetadata = {
  instanceId: () => Promise.reject(new Error('instance metadata must not be consulted')),
  region: () => Promise.reject(new Error('instance metadata must not be consulted')),
};

let running: { sim: AwsSim; imds: ImdsHandle; clients: AwsClients } | undefined;

async function start(input: AwsWorldInput) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = await startAwsSim({ input, clock });
  const imds = await startImds({ world: sim.world, clock });
  const clients = createAwsClients({
    region: sim.world.region,
    endpoint: sim.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
  });
  running = { sim, imds, clients };
  const deps = (config: { clusterId?: string; vpcId?: string; controllerId?: string }, extra: Partial<DiscoveryDeps> = {}): DiscoveryDeps => ({
    clients,
    imds: new ImdsClient({ endpoint: imds.endpoint }),
    config: { clusterId: config.clusterId ?? '', vpcId: config.vpcId ?? '', controllerId: config.controllerId ?? CONTROLLER },
    ...extra,
  });
  return { sim, deps };
}

afterEach(async () => {
  if (!running) return;
  running.clients.destroy();
  await running.imds.close();
  await running.sim.close();
  running = undefined;
});

const ec2Calls = (sim: AwsSim, action: string) => sim.server.calls.filter((c) => c.service === 'ec2' && c.action === action);

describe('discover', () => {
  it('uses the given cluster and VPC ids without asking instance metadata', async () => {
    const { sim, deps } = await start(world());
    const result = await discover(deps({ clusterId: CLUSTER, vpcId: 'vpc-1' }, { imds: noImds }));
    expect(result).toEqual({
      clusterId: CLUSTER,
      vpcId: 'vpc-1',
      securityGroupId: 'sg-1',
      subnets: [
        { id: 'subnet-a1', availabilityZone: 'eu-central-1a', public: true, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/elb': '' } },
        { id: 'subnet-b1', availabilityZone: 'eu-central-1b', public: true, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/elb': '' } },
        { id: 'subnet-a2', availabilityZone: 'eu-central-1a', public: false, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/internal-elb': '' } },
      ],
      warnings: [],
    });
    expect(ec2Calls(sim, 'DescribeInstances')).toHaveLength(0);
    expect(ec2Calls(sim, 'DescribeSecurityGroups')[0]?.input).toMatchObject({
      Filter: [
        { Name: `tag:${CLUSTER_TAG}`, Value: ['owned'] },
        { Name: 'tag:kubernetes:application', Value: [CONTROLLER] },
      ],
    });
    expect(ec2Calls(sim, 'DescribeSubnets')[0]?.input).toMatchObject({ Filter: [{ Name: 'vpc-id', Value: ['vpc-1'] }] });
    expect(ec2Calls(sim, 'DescribeRouteTables')[0]?.input).toMatchObject({ Filter: [{ Name: 'vpc-id', Value: ['vpc-1'] }] });
  });

  it('discovers both ids from the instance it runs on (IMDSv2, then DescribeInstances)', async () => {
    const { sim, deps } = await start(world());
    const result = await discover(deps({}));
    expect(result.instanceId).toBe('i-ctrl');
    expect(result.clusterId).toBe(CLUSTER);
    expect(result.vpcId).toBe('vpc-1');
    expect(result.securityGroupId).toBe('sg-1');
    expect(result.subnets.map((s) => s.id)).toEqual(['subnet-a1', 'subnet-b1', 'subnet-a2']);
    expect(result.warnings).toEqual([]);
    expect(ec2Calls(sim, 'DescribeInstances')[0]?.input).toMatchObject({ Filter: [{ Name: 'instance-id', Value: ['i-ctrl'] }] });
  });

  it('rediscovers both ids when only one is given, as upstream does, and says so', async () => {
    const { deps } = await start(world());
    const onlyCluster = await discover(deps({ clusterId: 'some-other-cluster' }));
    expect(onlyCluster.clusterId).toBe(CLUSTER);
    expect(onlyCluster.vpcId).toBe('vpc-1');
    expect(onlyCluster.warnings).toHaveLength(1);
    expect(onlyCluster.warnings[0]).toContain('--cluster-id=some-other-cluster is ignored');

    const onlyVpc = await discover(deps({ vpcId: 'vpc-2' }));
    expect(onlyVpc.vpcId).toBe('vpc-1');
    expect(onlyVpc.warnings[0]).toContain('--vpc-id=vpc-2 is ignored');
  });

  it('requires the instance to be running', async () => {
    const input = world();
    input.instances![0]!.state = 'stopped';
    const { deps } = await start(input);
    const error = await discover(deps({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceNotFoundError);
    expect((error as InstanceNotFoundError).instanceId).toBe('i-ctrl');
  });

  it('falls back to the legacy KubernetesCluster tag', async () => {
    const input = world();
    input.instances![0]!.tags = { KubernetesCluster: 'legacy-1' };
    input.securityGroups!.push({ id: 'sg-legacy', vpcId: 'vpc-1', tags: { 'kubernetes.io/cluster/legacy-1': 'owned', 'kubernetes:application': CONTROLLER } });
    const { deps } = await start(input);
    const result = await discover(deps({}));
    expect(result.clusterId).toBe('legacy-1');
    expect(result.securityGroupId).toBe('sg-legacy');
    // No subnet carries kubernetes.io/cluster/legacy-1, so all of the VPC's are used.
    expect(result.subnets.map((s) => s.id)).toEqual(['subnet-a1', 'subnet-b1', 'subnet-a2']);
    expect(result.warnings).toEqual([expect.stringContaining('no subnet in VPC vpc-1 has the tag key kubernetes.io/cluster/legacy-1')]);
  });

  it('fails when no security group carries both tags', async () => {
    const { deps } = await start(world());
    const error = await discover(deps({ clusterId: CLUSTER, vpcId: 'vpc-1', controllerId: 'another-controller' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityGroupNotFoundError);
    expect((error as Error).message).toContain('kubernetes:application=another-controller');
  });

  it('fails when the VPC has no subnets', async () => {
    const input = world();
    input.securityGroups!.push({ id: 'sg-3', vpcId: 'vpc-3', tags: { [CLUSTER_TAG]: 'owned', 'kubernetes:application': CONTROLLER } });
    const { deps } = await start(input);
    const error = await discover(deps({ clusterId: CLUSTER, vpcId: 'vpc-3' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSubnetsError);
  });

  it('classifies subnets by their route table: explicit association, else the main table', async () => {
    const { sim, deps } = await start(world());
    const result = await discover(deps({ clusterId: CLUSTER, vpcId: 'vpc-2' }));
    expect(result.subnets).toEqual([{ id: 'subnet-other', availabilityZone: 'eu-central-1a', public: true, tags: { [CLUSTER_TAG]: 'owned' } }]);
    // The simulated VPC routes public subnets through an explicitly associated table with an igw- route;
    // private ones fall back to the main table, which has only the local route.
    sim.world.subnets.get('subnet-other')!.public = false;
    const after = await discover(deps({ clusterId: CLUSTER, vpcId: 'vpc-2' }));
    expect(after.subnets[0]?.public).toBe(false);
  });

  it('follows NextToken when EC2 answers in pages', async () => {
    const input = world();
    for (let i = 0; i < 9; i++) {
      input.subnets!.push({ id: `subnet-p${i}`, vpcId: 'vpc-1', availabilityZone: 'eu-central-1c', public: i % 2 === 0, tags: { [CLUSTER_TAG]: 'shared' } });
    }
    const { sim, deps } = await start(input);
    const result = await discover(deps({ clusterId: CLUSTER, vpcId: 'vpc-1' }, { pageSize: 5 }));
    expect(result.subnets).toHaveLength(12);
    expect(result.subnets.filter((s) => s.public).map((s) => s.id)).toEqual([
      'subnet-a1', 'subnet-b1', 'subnet-p0', 'subnet-p2', 'subnet-p4', 'subnet-p6', 'subnet-p8',
    ]);
    expect(ec2Calls(sim, 'DescribeSubnets')).toHaveLength(3);
  });
});

describe('clusterIdFromTags', () => {
  it('takes the first owned kubernetes.io/cluster tag', () => {
    expect(
      clusterIdFromTags([
        { Key: 'kubernetes.io/cluster/shared-one', Value: 'shared' },
        { Key: 'kubernetes.io/cluster/mine', Value: 'owned' },
        { Key: 'kubernetes.io/cluster/second', Value: 'owned' },
        { Key: 'KubernetesCluster', Value: 'legacy' },
      ]),
    ).toBe('mine');
  });

  it('falls back to KubernetesCluster, then to unknown-cluster', () => {
    expect(clusterIdFromTags([{ Key: 'KubernetesCluster', Value: 'legacy' }])).toBe('legacy');
    expect(clusterIdFromTags([{ Key: 'kubernetes.io/cluster/x', Value: 'shared' }])).toBe(UNKNOWN_CLUSTER);
    expect(clusterIdFromTags([])).toBe(UNKNOWN_CLUSTER);
  });
});
