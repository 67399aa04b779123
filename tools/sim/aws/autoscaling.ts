// Simulated Auto Scaling (awsQuery protocol): group discovery plus the target-group attachments the
// controller manages for ASG-backed nodes.
import { createHash } from 'node:crypto';
import { AwsError, globMatch, list, paginate, required } from './protocol.ts';
import type { ServiceDefinition, SimContext } from './server.ts';
import type { SimAutoScalingGroup, World } from './world.ts';

const MAX_TARGET_GROUPS_PER_CALL = 10;
// Groups predate every scenario; a fixed instant keeps responses identical run after run.
const CREATED_TIME = new Date(Date.UTC(2025, 0, 1));

function groupArn(world: World, name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:autoscaling:${world.region}:${world.accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;
}

function findGroup(world: World, name: string): SimAutoScalingGroup {
  const group = world.autoScalingGroups.get(name);
  if (!group) throw new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
  return group;
}

function pageSize(input: any, max: number, fallback: number): number {
  if (input.MaxRecords === undefined) return fallback;
  const size = Number(input.MaxRecords);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  }
  return size;
}

/** Lifecycle as Auto Scaling reports it for the EC2 state of a member instance. */
function lifecycle(state: string | undefined): { LifecycleState: string; HealthStatus: string } {
  if (state === 'pending') return { LifecycleState: 'Pending', HealthStatus: 'Healthy' };
  if (state === 'shutting-down' || state === 'terminated' || state === 'stopping' || state === 'stopped') {
    return { LifecycleState: 'Terminating', HealthStatus: 'Unhealthy' };
  }
  return { LifecycleState: 'InService', HealthStatus: 'Healthy' };
}

function groupFilter(filters: unknown): (g: SimAutoScalingGroup) => boolean {
  const parsed = list<{ Name?: string; Values?: unknown }>(filters).map((f) => {
    const name = String(f.Name ?? '');
    const values = list<string>(f.Values).map(String);
    let read: (g: SimAutoScalingGroup) => string[];
    if (name.startsWith('tag:')) read = (g) => (g.tags[name.slice(4)] !== undefined ? [g.tags[name.slice(4)]!] : []);
    else if (name === 'tag-key') read = (g) => Object.keys(g.tags);
    else if (name === 'tag-value') read = (g) => Object.values(g.tags);
    else throw new AwsError('ValidationError', `Filter name ${name} is invalid.`);
    return { read, values };
  });
  return (g) => parsed.every(({ read, values }) => values.some((p) => read(g).some((v) => globMatch(p, v))));
}

function describeAutoScalingGroups(input: any, { world }: SimContext) {
  const names = list<string>(input.AutoScalingGroupNames).map(String);
  // Unknown names are skipped silently, as Auto Scaling does.
  const groups = [...world.autoScalingGroups.values()]
    .filter((g) => names.length === 0 || names.includes(g.name))
    .filter(groupFilter(input.Filters))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, next } = paginate(groups, input.NextToken, pageSize(input, 100, 50));
  return {
    AutoScalingGroups: page.map((g) => {
      const instances = g.instances.map((id) => {
        const ec2 = world.instances.get(id);
        return {
          InstanceId: id,
          InstanceType: 'm5.large',
          AvailabilityZone: ec2?.availabilityZone ?? `${world.region}a`,
          ...lifecycle(ec2?.state),
          ProtectedFromScaleIn: false,
        };
      });
      const zones = [...new Set(instances.map((i) => i.AvailabilityZone))];
      const subnets = [...new Set(g.instances.map((id) => world.instances.get(id)?.subnetId).filter((s): s is string => !!s))];
      // The world has no sizing; a group that holds exactly its current instances is the least surprising.
      const size = g.instances.length;
      return {
        AutoScalingGroupName: g.name,
        AutoScalingGroupARN: groupArn(world, g.name),
        MinSize: size,
        MaxSize: Math.max(size, 1),
        DesiredCapacity: size,
        DefaultCooldown: 300,
        AvailabilityZones: zones.length > 0 ? zones : [`${world.region}a`],
        LoadBalancerNames: [],
        TargetGroupARNs: g.targetGroupARNs,
        HealthCheckType: 'EC2',
        HealthCheckGracePeriod: 300,
        Instances: instances,
        CreatedTime: CREATED_TIME,
        VPCZoneIdentifier: subnets.join(','),
        Tags: Object.keys(g.tags).sort().map((Key) => ({
          ResourceId: g.name, ResourceType: 'auto-scaling-group', Key, Value: g.tags[Key], PropagateAtLaunch: true,
        })),
        NewInstancesProtectedFromScaleIn: false,
      };
    }),
    NextToken: next,
  };
}

function describeLoadBalancerTargetGroups(input: any, { world }: SimContext) {
  const group = findGroup(world, required(input, 'AutoScalingGroupName'));
  const { page, next } = paginate(group.targetGroupARNs, input.NextToken, pageSize(input, 100, 100));
  return {
    LoadBalancerTargetGroups: page.map((arn) => ({ LoadBalancerTargetGroupARN: arn, State: 'InService' })),
    NextToken: next,
  };
}

function targetGroupArns(input: any): string[] {
  const arns = list<string>(input.TargetGroupARNs).map(String);
  if (arns.length === 0) {
    throw new AwsError('ValidationError', "1 validation error detected: Value '[]' at 'targetGroupARNs' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  if (arns.length > MAX_TARGET_GROUPS_PER_CALL) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '[${arns.join(', ')}]' at 'targetGroupARNs' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TARGET_GROUPS_PER_CALL}`);
  }
  return arns;
}

function attachLoadBalancerTargetGroups(input: any, { world }: SimContext) {
  const group = findGroup(world, required(input, 'AutoScalingGroupName'));
  const arns = targetGroupArns(input);
  if (arns.some((arn) => !world.targetGroups.has(arn))) {
    throw new AwsError('ValidationError', 'Provided Target Groups may not be valid. Please ensure they exist and try again.');
  }
  for (const arn of arns) {
    if (!group.targetGroupARNs.includes(arn)) group.targetGroupARNs.push(arn);
    // Auto Scaling registers the group's live instances with an attached target group on its behalf.
    const tg = world.targetGroups.get(arn)!;
    for (const id of group.instances) {
      const state = world.instances.get(id)?.state;
      if (state === undefined || state === 'terminated' || state === 'shutting-down') continue;
      if (!tg.targets.some((t) => t.id === id)) tg.targets.push({ id, port: tg.port });
    }
  }
  return {};
}

function detachLoadBalancerTargetGroups(input: any, { world }: SimContext) {
  const group = findGroup(world, required(input, 'AutoScalingGroupName'));
  // No existence check: detaching a target group that was deleted meanwhile is how stale attachments go away.
  const arns = targetGroupArns(input);
  group.targetGroupARNs = group.targetGroupARNs.filter((arn) => !arns.includes(arn));
  for (const arn of arns) {
    const tg = world.targetGroups.get(arn);
    if (tg) tg.targets = tg.targets.filter((t) => !group.instances.includes(t.id));
  }
  return {};
}

/** The call log records API-shaped input: page sizes as numbers, target groups always a list. */
function normalize(action: string, input: any): unknown {
  const out: Record<string, unknown> = { ...input };
  if (out.MaxRecords !== undefined) out.MaxRecords = Number(out.MaxRecords);
  if (action === 'AttachLoadBalancerTargetGroups' || action === 'DetachLoadBalancerTargetGroups') {
    out.TargetGroupARNs = list(input.TargetGroupARNs);
  }
  return out;
}

export const autoScalingService: ServiceDefinition = {
  name: 'autoscaling',
  protocol: 'query',
  handlers: {
    DescribeAutoScalingGroups: describeAutoScalingGroups,
    DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
    AttachLoadBalancerTargetGroups: attachLoadBalancerTargetGroups,
    DetachLoadBalancerTargetGroups: detachLoadBalancerTargetGroups,
  },
  mutating: new Set(['AttachLoadBalancerTargetGroups', 'DetachLoadBalancerTargetGroups']),
  normalize,
};
