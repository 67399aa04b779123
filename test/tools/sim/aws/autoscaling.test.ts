import {
  AttachLoadBalancerTargetGroupsCommand, AutoScalingClient, DescribeAutoScalingGroupsCommand,
  DescribeLoadBalancerTargetGroupsCommand, DetachLoadBalancerTargetGroupsCommand, paginateDescribeAutoScalingGroups,
  paginateDescribeLoadBalancerTargetGroups,
} from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoScalingService } from '../../../../tools/sim/aws/autoscaling.ts';
import type { AwsWorldInput } from '../../../../tools/sim/aws/world.ts';
import { collect, failure, startSim, type SimUnderTest } from './sdk.ts';

const CLUSTER = 'kubernetes.io/cluster/kube-1';
const tg = (n: number) => `arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/tg-${n}/${String(n).padStart(16, '0')}`;

const input: AwsWorldInput = {
  subnets: [{ id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a' }, { id: 'subnet-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b' }],
  instances: [
    { id: 'i-1', subnetId: 'subnet-a' },
    { id: 'i-2', subnetId: 'subnet-b' },
    { id: 'i-3', subnetId: 'subnet-b', state: 'terminated' },
  ],
  autoScalingGroups: [
    { name: 'asg-nodes', tags: { [CLUSTER]: 'owned', Name: 'nodes' }, instances: ['i-1', 'i-2', 'i-3'], targetGroupARNs: [tg(0)] },
    ...Array.from({ length: 6 }, (_, n) => ({ name: `asg-pool-${n}`, tags: { team: n % 2 ? 'blue' : 'red' } })),
  ],
  targetGroups: Array.from({ length: 12 }, (_, n) => ({ arn: tg(n), port: 9999 })),
};

let sim: SimUnderTest;
let asg: AutoScalingClient;

beforeAll(async () => {
  sim = await startSim(input, [autoScalingService]);
  asg = new AutoScalingClient(sim.config);
});
afterAll(async () => {
  asg.destroy();
  await sim.close();
});

describe('DescribeAutoScalingGroups', () => {
  it('returns the group with instances, tags, target groups and sizes', async () => {
    const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['asg-nodes', 'asg-missing'] }));
    expect(out.AutoScalingGroups).toHaveLength(1);
    const group = out.AutoScalingGroups![0]!;
    expect(group).toMatchObject({
      AutoScalingGroupName: 'asg-nodes',
      AutoScalingGroupARN: expect.stringMatching(/^arn:aws:autoscaling:eu-central-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/asg-nodes$/),
      MinSize: 3, MaxSize: 3, DesiredCapacity: 3,
      TargetGroupARNs: [tg(0)],
      AvailabilityZones: ['eu-central-1a', 'eu-central-1b'],
      VPCZoneIdentifier: 'subnet-a,subnet-b',
    });
    expect(group.CreatedTime).toBeInstanceOf(Date);
    expect(group.Instances?.map((i) => [i.InstanceId, i.AvailabilityZone, i.LifecycleState, i.HealthStatus])).toEqual([
      ['i-1', 'eu-central-1a', 'InService', 'Healthy'],
      ['i-2', 'eu-central-1b', 'InService', 'Healthy'],
      ['i-3', 'eu-central-1b', 'Terminating', 'Unhealthy'],
    ]);
    expect(group.Tags).toEqual([
      { ResourceId: 'asg-nodes', ResourceType: 'auto-scaling-group', Key: 'Name', Value: 'nodes', PropagateAtLaunch: true },
      { ResourceId: 'asg-nodes', ResourceType: 'auto-scaling-group', Key: CLUSTER, Value: 'owned', PropagateAtLaunch: true },
    ]);
  });

  it('pages with MaxRecords/NextToken through the SDK paginator', async () => {
    const pages = await collect(paginateDescribeAutoScalingGroups({ client: asg, pageSize: 3 }, {}));
    expect(pages.map((p) => p.AutoScalingGroups?.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.AutoScalingGroups ?? []).map((g) => g.AutoScalingGroupName)).toEqual([
      'asg-nodes', 'asg-pool-0', 'asg-pool-1', 'asg-pool-2', 'asg-pool-3', 'asg-pool-4', 'asg-pool-5',
    ]);
    expect(pages.at(-1)?.NextToken).toBeUndefined();
  });

  it('filters by tag and rejects an oversized page', async () => {
    const out = await asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:team', Values: ['blue'] }] }));
    expect(out.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['asg-pool-1', 'asg-pool-3', 'asg-pool-5']);
    const err = await failure(asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })));
    expect(err.name).toBe('ValidationError');
  });
});

describe('target group attachments', () => {
  const attached = async (name: string) => {
    const pages = await collect(paginateDescribeLoadBalancerTargetGroups({ client: asg }, { AutoScalingGroupName: name }));
    return pages.flatMap((p) => p.LoadBalancerTargetGroups ?? []);
  };

  it('describes attachments as InService', async () => {
    expect(await attached('asg-nodes')).toEqual([{ LoadBalancerTargetGroupARN: tg(0), State: 'InService' }]);
    expect(await attached('asg-pool-0')).toEqual([]);
  });

  it('attaches idempotently, registers the live group instances, and logs a mutating call', async () => {
    const before = sim.server.calls.length;
    await asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'asg-nodes', TargetGroupARNs: [tg(1), tg(2)] }));
    await asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'asg-nodes', TargetGroupARNs: [tg(0), tg(1), tg(2)] }));
    expect((await attached('asg-nodes')).map((a) => a.LoadBalancerTargetGroupARN)).toEqual([tg(0), tg(1), tg(2)]);
    expect(sim.world.targetGroups.get(tg(1))?.targets.map((t) => t.id)).toEqual(['i-1', 'i-2']);
    const call = sim.server.calls[before]!;
    expect(call).toMatchObject({
      service: 'autoscaling', action: 'AttachLoadBalancerTargetGroups', mutating: true,
      input: { AutoScalingGroupName: 'asg-nodes', TargetGroupARNs: [tg(1), tg(2)] },
    });
  });

  it('detaches idempotently, including target groups that no longer exist', async () => {
    sim.world.autoScalingGroups.get('asg-nodes')!.targetGroupARNs.push('arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/gone/1');
    await asg.send(new DetachLoadBalancerTargetGroupsCommand({
      AutoScalingGroupName: 'asg-nodes',
      TargetGroupARNs: [tg(1), 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/gone/1'],
    }));
    await asg.send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'asg-nodes', TargetGroupARNs: [tg(1)] }));
    expect((await attached('asg-nodes')).map((a) => a.LoadBalancerTargetGroupARN)).toEqual([tg(0), tg(2)]);
    expect(sim.world.targetGroups.get(tg(1))?.targets).toEqual([]);
    expect(sim.server.calls.at(-3)).toMatchObject({ action: 'DetachLoadBalancerTargetGroups', mutating: true });
  });

  it('rejects unknown groups, unknown target groups and more than 10 per call', async () => {
    const missing = await failure(asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'asg-nope', TargetGroupARNs: [tg(1)] })));
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toBe('AutoScalingGroup name not found - AutoScalingGroup asg-nope not found');
    const detachMissing = await failure(asg.send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'asg-nope', TargetGroupARNs: [tg(1)] })));
    expect(detachMissing.name).toBe('ValidationError');
    const describeMissing = await failure(asg.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'asg-nope' })));
    expect(describeMissing.name).toBe('ValidationError');

    const unknownTg = await failure(asg.send(new AttachLoadBalancerTargetGroupsCommand({
      AutoScalingGroupName: 'asg-pool-0', TargetGroupARNs: [tg(3), 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/nope/1'],
    })));
    expect(unknownTg.name).toBe('ValidationError');
    expect(unknownTg.message).toBe('Provided Target Groups may not be valid. Please ensure they exist and try again.');

    const tooMany = await failure(asg.send(new AttachLoadBalancerTargetGroupsCommand({
      AutoScalingGroupName: 'asg-pool-0', TargetGroupARNs: Array.from({ length: 11 }, (_, n) => tg(n)),
    })));
    expect(tooMany.name).toBe('ValidationError');
    expect(tooMany.$metadata?.attempts).toBe(1);
    // A rejected call changes nothing.
    expect(sim.world.autoScalingGroups.get('asg-pool-0')?.targetGroupARNs).toEqual([]);
  });
});
