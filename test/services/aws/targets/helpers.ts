// Test support for the target synchroniser: a small simulated cluster (two owned ASGs, a foreign one, single
// instances) and the real SDK clients pointed at it, one attempt per call so an injected error shows at once.
import { pino } from 'pino';
import { createAwsClients, type AwsClients } from '../../../../services/aws/clients.ts';
import { TargetSynchronizer } from '../../../../services/aws/targets/target-sync.ts';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import type { Ec2Filter } from '../../../../services/config/config.ts';
import { startAwsSim, type AwsSim } from '../../../../tools/sim/aws/index.ts';
import type { CallRecord, ServiceDefinition } from '../../../../tools/sim/aws/server.ts';
import type { AwsWorldInput, Tags } from '../../../../tools/sim/aws/world.ts';

export const CLUSTER_ID = 'kube-1';
export const CONTROLLER_ID = 'kube-ingress-aws-controller';
export const CLUSTER_TAG = `kubernetes.io/cluster/${CLUSTER_ID}`;

export const tgArn = (name: string) =>
  `arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/${name}/${name.replace(/[^0-9a-f]/g, '').padStart(16, '0').slice(0, 16)}`;

/** Tags CloudFormation propagates from the controller's stacks. */
export const OURS: Tags = { [CLUSTER_TAG]: 'owned', 'kubernetes:application': CONTROLLER_ID };

export const TG1 = tgArn('tg-ours-1');
export const TG2 = tgArn('tg-ours-2');
export const TG_OLD = tgArn('tg-ours-old');
export const TG_IP = tgArn('tg-ours-ip');
export const TG_FOREIGN = tgArn('tg-foreign');
export const TG_OTHER_CONTROLLER = tgArn('tg-other-controller');
export const TG_GONE = tgArn('tg-deleted');

const node = (extra: Tags = {}): Tags => ({ [CLUSTER_TAG]: 'owned', 'k8s.io/role/node': '', ...extra });

/**
 * nodes-a (owned, targeted, pool=ingress) holds an old TG of ours, a foreign TG, one owned by another controller
 * and one that no longer exists. nodes-b is owned without the pool tag; foreign has no cluster tag.
 */
export function clusterWorld(extra: Partial<AwsWorldInput> = {}): AwsWorldInput {
  return {
    region: 'eu-central-1',
    subnets: [{ id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a' }],
    instances: [
      { id: 'i-a1', tags: node({ 'aws:autoscaling:groupName': 'nodes-a' }) },
      { id: 'i-a2', tags: node({ 'aws:autoscaling:groupName': 'nodes-a' }) },
      { id: 'i-b1', tags: node({ 'aws:autoscaling:groupName': 'nodes-b' }) },
      { id: 'i-s1', tags: node() },
      { id: 'i-s2', tags: node(), state: 'stopped' },
      { id: 'i-elsewhere', tags: { 'k8s.io/role/node': '' } },
    ],
    autoScalingGroups: [
      { name: 'nodes-a', tags: { [CLUSTER_TAG]: 'owned', pool: 'ingress' }, instances: ['i-a1', 'i-a2'], targetGroupARNs: [TG_OLD, TG_FOREIGN, TG_OTHER_CONTROLLER, TG_GONE] },
      { name: 'nodes-b', tags: { [CLUSTER_TAG]: 'owned' }, instances: ['i-b1'], targetGroupARNs: [] },
      { name: 'foreign', tags: { team: 'other' }, instances: [], targetGroupARNs: [TG_FOREIGN] },
    ],
    targetGroups: [
      { arn: TG1, tags: OURS },
      { arn: TG2, tags: OURS },
      { arn: TG_OLD, tags: OURS },
      { arn: TG_IP, targetType: 'ip', tags: OURS },
      { arn: TG_FOREIGN, tags: { team: 'other' } },
      { arn: TG_OTHER_CONTROLLER, tags: { [CLUSTER_TAG]: 'owned', 'kubernetes:application': 'another-controller' } },
    ],
    ...extra,
  };
}

export interface Fixture {
  sim: AwsSim;
  clients: AwsClients;
  sync: TargetSynchronizer;
  /** Calls recorded since the last mark() (or the start). */
  calls(action?: string): CallRecord[];
  mark(): void;
  attachedTo(asg: string): string[];
  targetsOf(tg: string): string[];
  close(): Promise<void>;
}

export interface StartOptions {
  customFilters?: readonly Ec2Filter[];
  /** Replacement simulated services (same name as a default one). */
  services?: ServiceDefinition[];
}

export async function start(input: AwsWorldInput = clusterWorld(), options: StartOptions = {}): Promise<Fixture> {
  const { customFilters, services } = options;
  const sim = await startAwsSim({ input, clock: new VirtualClock(Date.UTC(2026, 0, 1)), ...(services ? { services } : {}) });
  const clients = createAwsClients({
    region: sim.world.region, endpoint: sim.endpoint, maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
  });
  const sync = new TargetSynchronizer({
    clients, clusterId: CLUSTER_ID, logger: pino({ level: 'silent' }),
    config: { customFilters, controllerId: CONTROLLER_ID },
  });
  let from = 0;
  return {
    sim, clients, sync,
    calls: (action) => sim.server.calls.slice(from).filter((c) => action === undefined || c.action === action),
    mark: () => { from = sim.server.calls.length; },
    attachedTo: (asg) => [...(sim.world.autoScalingGroups.get(asg)?.targetGroupARNs ?? [])].sort(),
    targetsOf: (tg) => (sim.world.targetGroups.get(tg)?.targets ?? []).map((t) => t.id).sort(),
    close: async () => {
      clients.destroy();
      await sim.close();
    },
  };
}

/** `AutoScalingGroupName: TargetGroupARNs` of the attach or detach calls, for compact assertions. */
export function attachments(calls: readonly CallRecord[]): [string, string[]][] {
  return calls.map((c) => {
    const input = c.input as { AutoScalingGroupName: string; TargetGroupARNs: string[] };
    return [input.AutoScalingGroupName, input.TargetGroupARNs];
  });
}

export function targetCalls(calls: readonly CallRecord[]): [string, string[]][] {
  return calls.map((c) => {
    const input = c.input as { TargetGroupArn: string; Targets: { Id: string; Port?: number }[] };
    return [input.TargetGroupArn, input.Targets.map((t) => (t.Port === undefined ? t.Id : `${t.Id}:${t.Port}`))];
  });
}
