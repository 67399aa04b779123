import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLoadBalancerStates } from '../../../services/aws/load-balancer-states.ts';
import { VirtualClock } from '../../../tools/support/virtual-clock.ts';
import { startAwsSim, type AwsSim } from '../../../tools/sim/aws/index.ts';
import type { AwsWorldInput } from '../../../tools/sim/aws/world.ts';

const arn = (i: number) => `arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/kube-ing-${i}/${String(i).padStart(16, '0')}`;
const createdAt = (i: number) => `2025-12-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`;

let sim: AwsSim | undefined;
let elbv2: ElasticLoadBalancingV2Client | undefined;

async function start(count: number): Promise<{ sim: AwsSim; elbv2: ElasticLoadBalancingV2Client }> {
  const input: AwsWorldInput = {
    region: 'eu-central-1',
    loadBalancers: Array.from({ length: count }, (_, i) => ({
      arn: arn(i),
      state: i % 5 === 0 ? 'provisioning' : 'active',
      createdAt: createdAt(i),
    })),
  };
  sim = await startAwsSim({ input, clock: new VirtualClock(Date.UTC(2026, 0, 1)) });
  elbv2 = new ElasticLoadBalancingV2Client({
    region: 'eu-central-1',
    endpoint: sim.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
  });
  return { sim, elbv2 };
}

afterEach(async () => {
  elbv2?.destroy();
  await sim?.close();
  sim = undefined;
  elbv2 = undefined;
});

const describeCalls = (s: AwsSim) => s.server.calls.filter((c) => c.action === 'DescribeLoadBalancers');

describe('describeLoadBalancerStates', () => {
  it('reads state and creation time in chunks of 20', async () => {
    const { sim, elbv2 } = await start(45);
    const arns = Array.from({ length: 45 }, (_, i) => arn(i));
    const { states, missing } = await describeLoadBalancerStates(elbv2, arns);
    expect(missing).toEqual([]);
    expect(states.size).toBe(45);
    expect(states.get(arn(5))).toEqual({ arn: arn(5), state: 'provisioning', createdAt: Date.parse(createdAt(5)) });
    expect(states.get(arn(7))).toEqual({ arn: arn(7), state: 'active', createdAt: Date.parse(createdAt(7)) });
    const calls = describeCalls(sim);
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => (c.input as { LoadBalancerArns: string[] }).LoadBalancerArns.length)).toEqual([20, 20, 5]);
  });

  it('does not let one missing load balancer hide the rest of its chunk', async () => {
    const { sim, elbv2 } = await start(25);
    const gone = arn(99);
    const arns = [...Array.from({ length: 10 }, (_, i) => arn(i)), gone, ...Array.from({ length: 15 }, (_, i) => arn(10 + i))];
    const { states, missing } = await describeLoadBalancerStates(elbv2, arns);
    expect(missing).toEqual([gone]);
    expect(states.size).toBe(25);
    expect([...states.keys()].sort()).toEqual(Array.from({ length: 25 }, (_, i) => arn(i)).sort());
    // The first chunk fails as a whole, then is asked ARN by ARN; the second chunk is untouched by the miss.
    const calls = describeCalls(sim);
    expect(calls[0]?.error).toBe('LoadBalancerNotFound');
    expect(calls.slice(1, 21).every((c) => (c.input as { LoadBalancerArns: string[] }).LoadBalancerArns.length === 1)).toBe(true);
    expect(calls).toHaveLength(1 + 20 + 1);
  });

  it('reports every ARN as missing when none exists', async () => {
    const { elbv2 } = await start(0);
    const { states, missing } = await describeLoadBalancerStates(elbv2, [arn(1), arn(2)]);
    expect(states.size).toBe(0);
    expect(missing).toEqual([arn(1), arn(2)]);
  });

  it('makes no call for no ARNs, and asks once for duplicates', async () => {
    const { sim, elbv2 } = await start(2);
    expect(await describeLoadBalancerStates(elbv2, ['', ''])).toEqual({ states: new Map(), missing: [] });
    expect(describeCalls(sim)).toHaveLength(0);
    const { states } = await describeLoadBalancerStates(elbv2, [arn(1), arn(1)]);
    expect(states.size).toBe(1);
    expect((describeCalls(sim)[0]?.input as { LoadBalancerArns: string[] }).LoadBalancerArns).toEqual([arn(1)]);
  });

  it('lets other failures through', async () => {
    const { sim, elbv2 } = await start(3);
    sim.world.behaviour.serverErrors['elasticloadbalancing:DescribeLoadBalancers'] = 1;
    const error = await describeLoadBalancerStates(elbv2, [arn(0)]).catch((e: unknown) => e);
    expect((error as Error).name).toBe('InternalFailure');
  });
});
