import {
  DescribeInstancesCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand,
  DescribeVpcsCommand, EC2Client, paginateDescribeInstances, paginateDescribeSubnets, type RouteTable,
} from '@aws-sdk/client-ec2';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ec2Service } from '../../../../tools/sim/aws/ec2.ts';
import type { AwsWorldInput } from '../../../../tools/sim/aws/world.ts';
import { collect, failure, startSim, type SimUnderTest } from './sdk.ts';

const CLUSTER = 'kubernetes.io/cluster/kube-1';
const node = { [CLUSTER]: 'owned', 'k8s.io/role/node': '' };

const input: AwsWorldInput = {
  region: 'eu-central-1',
  self: { instanceId: 'i-ctrl' },
  vpcs: [{ id: 'vpc-1', cidrBlock: '10.0.0.0/16' }, { id: 'vpc-2', cidrBlock: '172.16.0.0/16' }],
  subnets: [
    { id: 'subnet-a1', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', public: true, tags: { [CLUSTER]: 'shared', 'kubernetes.io/role/elb': '' } },
    { id: 'subnet-a2', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', tags: { [CLUSTER]: 'shared' } },
    { id: 'subnet-b1', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', public: true },
    { id: 'subnet-x1', vpcId: 'vpc-2', availabilityZone: 'eu-central-1c' },
  ],
  securityGroups: [
    { id: 'sg-lb', vpcId: 'vpc-1', name: 'ingress-lb', tags: { [CLUSTER]: 'owned', 'kubernetes:application': 'kube-ingress-aws-controller' } },
    { id: 'sg-other', vpcId: 'vpc-1', tags: { [CLUSTER]: 'owned' } },
    { id: 'sg-x', vpcId: 'vpc-2' },
  ],
  instances: [
    { id: 'i-ctrl', subnetId: 'subnet-a2', privateIp: '10.0.1.5', tags: { [CLUSTER]: 'owned', Name: 'controller' } },
    ...Array.from({ length: 11 }, (_, n) => ({
      id: `i-node${String(n).padStart(2, '0')}`,
      subnetId: n % 2 === 0 ? 'subnet-a1' : 'subnet-b1',
      state: n === 10 ? 'stopped' : 'running',
      tags: n < 6 ? { ...node, 'aws:autoscaling:groupName': 'asg-1' } : node,
    })),
    { id: 'i-foreign', vpcId: 'vpc-2', subnetId: 'subnet-x1', tags: { team: 'blue' } },
  ],
};

let sim: SimUnderTest;
let ec2: EC2Client;

beforeAll(async () => {
  sim = await startSim(input, [ec2Service]);
  ec2 = new EC2Client(sim.config);
});
afterAll(async () => {
  ec2.destroy();
  await sim.close();
});

const instanceIds = (out: { Reservations?: { Instances?: { InstanceId?: string }[] }[] }) =>
  (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);

describe('DescribeInstances', () => {
  it('answers the controller default filters with the full instance shape', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({
      Filters: [{ Name: `tag:${CLUSTER}`, Values: ['owned'] }, { Name: 'tag-key', Values: ['k8s.io/role/node'] }],
    }));
    expect(instanceIds(out)).toHaveLength(11);
    const first = out.Reservations?.[0]?.Instances?.[0];
    expect(first).toMatchObject({
      InstanceId: 'i-node00',
      State: { Code: 16, Name: 'running' },
      PrivateIpAddress: expect.stringMatching(/^10\./),
      SubnetId: 'subnet-a1',
      VpcId: 'vpc-1',
      Placement: { AvailabilityZone: 'eu-central-1a' },
    });
    expect(first?.Tags).toContainEqual({ Key: 'aws:autoscaling:groupName', Value: 'asg-1' });
    expect(out.NextToken).toBeUndefined();
  });

  it('ORs the values of one filter and ANDs separate filters', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({
      Filters: [
        { Name: 'instance-state-name', Values: ['stopped', 'pending'] },
        { Name: 'vpc-id', Values: ['vpc-1'] },
      ],
    }));
    expect(instanceIds(out)).toEqual(['i-node10']);
    const stopped = out.Reservations?.[0]?.Instances?.[0]?.State;
    expect(stopped).toEqual({ Code: 80, Name: 'stopped' });
  });

  it('filters by instance-id, subnet-id and wildcard tag values', async () => {
    const byId = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ['i-ctrl'] }] }));
    expect(instanceIds(byId)).toEqual(['i-ctrl']);
    const bySubnet = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'subnet-id', Values: ['subnet-x1'] }] }));
    expect(instanceIds(bySubnet)).toEqual(['i-foreign']);
    const wildcard = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['asg-*'] }] }));
    expect(instanceIds(wildcard)).toHaveLength(6);
  });

  it('selects explicit InstanceIds and rejects unknown ones', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-node03', 'i-ctrl'] }));
    expect(instanceIds(out)).toEqual(['i-node03', 'i-ctrl']);
    const err = await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-ctrl', 'i-gone'] })));
    expect(err.name).toBe('InvalidInstanceID.NotFound');
    expect(err.message).toContain("'i-gone'");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('rejects filter names EC2 does not know', async () => {
    const err = await failure(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe("The filter 'colour' is invalid");
  });

  it('pages with MaxResults/NextToken through the SDK paginator', async () => {
    const pages = await collect(paginateDescribeInstances({ client: ec2, pageSize: 5 }, {}));
    expect(pages.map((p) => instanceIds(p).length)).toEqual([5, 5, 3]);
    expect(pages.flatMap(instanceIds)).toEqual([...sim.world.instances.keys()]);
    expect(sim.server.calls.filter((c) => c.action === 'DescribeInstances').slice(-3).map((c) => (c.input as any).NextToken))
      .toEqual([undefined, 'p5', 'p10']);
  });

  it('rejects page sizes outside 5..1000 and MaxResults together with InstanceIds', async () => {
    expect((await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 2 })))).name).toBe('InvalidParameterValue');
    const err = await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: ['i-ctrl'] })));
    expect(err.name).toBe('InvalidParameterCombination');
  });
});

describe('throttling', () => {
  it('answers 503 RequestLimitExceeded, which the SDK retries', async () => {
    const client = new EC2Client({ ...sim.config, maxAttempts: undefined, retryStrategy: new ConfiguredRetryStrategy(3, () => 5) });
    sim.world.behaviour.throttle['ec2:DescribeInstances'] = 1;
    // Throttle exactly the first attempt, then let the retry through.
    sim.server.onCall((call) => {
      if (call.error === 'RequestLimitExceeded') delete sim.world.behaviour.throttle['ec2:DescribeInstances'];
    });
    const out = await client.send(new DescribeInstancesCommand({ InstanceIds: ['i-ctrl'] }));
    expect(instanceIds(out)).toEqual(['i-ctrl']);
    expect(out.$metadata.attempts).toBe(2);

    sim.world.behaviour.throttle['ec2:DescribeVpcs'] = 1;
    const err = await failure(client.send(new DescribeVpcsCommand({})));
    delete sim.world.behaviour.throttle['ec2:DescribeVpcs'];
    expect(err.name).toBe('RequestLimitExceeded');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 3 });
    client.destroy();
  });
});

describe('DescribeSubnets', () => {
  it('filters by vpc-id and reports public subnets as mapping public IPs', async () => {
    const out = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }));
    expect(out.Subnets?.map((s) => [s.SubnetId, s.AvailabilityZone, s.MapPublicIpOnLaunch])).toEqual([
      ['subnet-a1', 'eu-central-1a', true],
      ['subnet-a2', 'eu-central-1a', false],
      ['subnet-b1', 'eu-central-1b', true],
    ]);
    expect(out.Subnets?.[0]).toMatchObject({ VpcId: 'vpc-1', State: 'available', CidrBlock: expect.any(String) });
    expect(out.Subnets?.[0]?.Tags).toContainEqual({ Key: 'kubernetes.io/role/elb', Value: '' });
  });

  it('filters by subnet-id, tag-key and tag value', async () => {
    const byKey = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag-key', Values: [CLUSTER] }] }));
    expect(byKey.Subnets?.map((s) => s.SubnetId)).toEqual(['subnet-a1', 'subnet-a2']);
    const byTag = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:kubernetes.io/role/elb', Values: [''] }] }));
    expect(byTag.Subnets?.map((s) => s.SubnetId)).toEqual(['subnet-a1']);
    const byId = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: ['subnet-b1', 'subnet-x1'] }] }));
    expect(byId.Subnets?.map((s) => s.SubnetId)).toEqual(['subnet-b1', 'subnet-x1']);
    const err = await failure(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-nope'] })));
    expect(err.name).toBe('InvalidSubnetID.NotFound');
  });

  it('pages through the SDK paginator', async () => {
    const pages = await collect(paginateDescribeSubnets({ client: ec2, pageSize: 5 }, {}));
    expect(pages.flatMap((p) => p.Subnets ?? [])).toHaveLength(4);
  });
});

describe('DescribeRouteTables', () => {
  /** The controller's rule: a subnet is public when its table (explicit, else main) routes to an igw. */
  const isPublic = (tables: RouteTable[], subnetId: string) => {
    const table = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId))
      ?? tables.find((t) => t.Associations?.some((a) => a.Main));
    return !!table?.Routes?.some((r) => r.GatewayId?.startsWith('igw'));
  };

  it('derives a main table and a public table per VPC', async () => {
    const out = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }));
    const tables = out.RouteTables ?? [];
    expect(tables).toHaveLength(2);
    const main = tables.find((t) => t.Associations?.some((a) => a.Main));
    expect(main?.Routes).toEqual([{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' }]);
    const publicTable = tables.find((t) => t !== main);
    expect(publicTable?.Associations?.map((a) => a.SubnetId)).toEqual(['subnet-a1', 'subnet-b1']);
    expect(publicTable?.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId?.startsWith('igw-'))).toBe(true);
    expect(['subnet-a1', 'subnet-a2', 'subnet-b1'].map((s) => isPublic(tables, s))).toEqual([true, false, true]);
  });

  it('filters by association.subnet-id and gives VPCs without public subnets only a main table', async () => {
    const assoc = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-b1'] }] }));
    expect(assoc.RouteTables?.map((t) => t.RouteTableId)).toEqual(['rtb-1-public']);
    const none = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-a2'] }] }));
    expect(none.RouteTables).toEqual([]);
    const vpc2 = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-2'] }] }));
    expect(vpc2.RouteTables?.map((t) => [t.RouteTableId, t.Associations?.[0]?.Main])).toEqual([['rtb-2-main', true]]);
  });
});

describe('DescribeSecurityGroups', () => {
  it('finds the controller security group by its two tags', async () => {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: `tag:${CLUSTER}`, Values: ['owned'] },
        { Name: 'tag:kubernetes:application', Values: ['kube-ingress-aws-controller'] },
      ],
    }));
    expect(out.SecurityGroups).toHaveLength(1);
    expect(out.SecurityGroups?.[0]).toMatchObject({ GroupId: 'sg-lb', GroupName: 'ingress-lb', VpcId: 'vpc-1', Description: 'ingress-lb' });
  });

  it('filters by tag-key, vpc-id and group-id, and rejects unknown ids', async () => {
    const byKey = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag-key', Values: [CLUSTER] }] }));
    expect(byKey.SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-lb', 'sg-other']);
    const byVpc = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-2'] }] }));
    expect(byVpc.SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-x']);
    const byId = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ['sg-other'] }] }));
    expect(byId.SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-other']);
    expect((await failure(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-nope'] })))).name).toBe('InvalidGroup.NotFound');
    expect((await failure(ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })))).name)
      .toBe('InvalidParameterValue');
  });
});

describe('DescribeVpcs', () => {
  it('lists VPCs, filters by id and rejects unknown ids', async () => {
    const all = await ec2.send(new DescribeVpcsCommand({}));
    expect(all.Vpcs?.map((v) => [v.VpcId, v.CidrBlock, v.State, v.IsDefault])).toEqual([
      ['vpc-1', '10.0.0.0/16', 'available', false],
      ['vpc-2', '172.16.0.0/16', 'available', false],
    ]);
    const one = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-2'] }] }));
    expect(one.Vpcs?.map((v) => v.VpcId)).toEqual(['vpc-2']);
    expect((await failure(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-9'] })))).name).toBe('InvalidVpcID.NotFound');
  });
});
