// The rate limits on real SDK clients against the simulation: calls over the limit are held back (counted on the
// simulation's call log, with the throttle on a virtual clock), then all go through; none fails.
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../../services/aws/clients.ts';
import { ApiThrottle, type ThrottleDelay } from '../../../../services/aws/throttle/api-throttle.ts';
import { parseThrottleRules } from '../../../../services/aws/throttle/throttle-rules.ts';
import { ControllerMetrics } from '../../../../server/metrics.ts';
import { startAwsSim, type AwsSim } from '../../../../tools/sim/aws/index.ts';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';

let sim: AwsSim | undefined;
let clients: AwsClients | undefined;
afterEach(async () => {
  clients?.destroy();
  await sim?.close();
  sim = undefined;
  clients = undefined;
});

const realTick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/** Waits (real time) until the simulation has seen `n` calls of `action`, and a little longer to catch extras. */
async function settle(action: string, n: number): Promise<number> {
  const count = () => sim!.server.calls.filter((c) => c.action === action).length;
  for (let i = 0; i < 400 && count() < n; i++) await realTick();
  for (let i = 0; i < 10; i++) await realTick();
  return count();
}

async function setup(rules: string, onDelay?: (d: ThrottleDelay) => void): Promise<{ clock: VirtualClock; clients: AwsClients }> {
  const clock = new VirtualClock();
  sim = await startAwsSim({ clock, input: { region: 'eu-central-1' } });
  const throttle = new ApiThrottle({ rules: parseThrottleRules(rules), clock, ...(onDelay ? { onDelay } : {}) });
  clients = createAwsClients({
    region: 'eu-central-1', endpoint: sim.endpoint, maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' }, throttle,
  });
  return { clock, clients };
}

describe('ApiThrottle on the SDK clients', () => {
  it('holds calls over the burst until their tokens exist, then sends them all', async () => {
    const delays: ThrottleDelay[] = [];
    const { clock, clients } = await setup('elasticloadbalancing:^Describe=1:2', (d) => delays.push(d));
    const results = Array.from({ length: 4 }, () => clients.elbv2.send(new DescribeLoadBalancersCommand({})));
    expect(await settle('DescribeLoadBalancers', 2)).toBe(2);
    expect(delays.map((d) => [d.service, d.operation, d.delayMs])).toEqual([
      ['elbv2', 'DescribeLoadBalancers', 1000], ['elbv2', 'DescribeLoadBalancers', 2000],
    ]);
    clock.advance(1000);
    expect(await settle('DescribeLoadBalancers', 3)).toBe(3);
    clock.advance(1000);
    expect(await settle('DescribeLoadBalancers', 4)).toBe(4);
    const answers = await Promise.allSettled(results);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('limits only the operations and services its rules match', async () => {
    const { clients } = await setup('elasticloadbalancing:^DescribeTargetGroups$=1:1');
    await Promise.all([
      ...Array.from({ length: 3 }, () => clients.elbv2.send(new DescribeLoadBalancersCommand({}))),
      ...Array.from({ length: 3 }, () => clients.cloudformation.send(new DescribeStacksCommand({}))),
    ]);
    expect(await settle('DescribeLoadBalancers', 3)).toBe(3);
    expect(await settle('DescribeStacks', 3)).toBe(3);
  });

  it('counts delayed calls in the metrics', async () => {
    const metrics = new ControllerMetrics();
    const { clock, clients } = await setup('cloudformation:.*=1:1', (d) => metrics.throttled(d));
    const sent = Promise.all([clients.cloudformation.send(new DescribeStacksCommand({})), clients.cloudformation.send(new DescribeStacksCommand({}))]);
    expect(await settle('DescribeStacks', 1)).toBe(1);
    clock.advance(1000);
    await sent;
    const text = await metrics.registry.metrics();
    expect(text).toContain('kube_ingress_aws_controller_aws_api_throttled_calls_total{service="cloudformation",operation="DescribeStacks"} 1');
    expect(text).toContain('kube_ingress_aws_controller_aws_api_throttle_wait_seconds_total{service="cloudformation"} 1');
  });

  it('waits after the retry strategy and before signing, so each attempt is limited and signed when sent', () => {
    const throttle = new ApiThrottle({ rules: [], clock: new VirtualClock() });
    const c = createAwsClients({ region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, throttle });
    try {
      for (const client of [c.cloudformation, c.ec2, c.elbv2, c.autoscaling, c.acm, c.iam]) {
        const order = client.middlewareStack.identify().map((m) => m.split(' ')[0]);
        const at = (name: string) => order.indexOf(name);
        expect(at('retryMiddleware')).toBeGreaterThanOrEqual(0);
        expect(at('apiThrottle')).toBeGreaterThan(at('retryMiddleware'));
        expect(at('apiThrottle')).toBeLessThan(at('httpSigningMiddleware'));
      }
    } finally {
      c.destroy();
    }
  });
});
