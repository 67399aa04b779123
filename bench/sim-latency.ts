// How fast the simulated AWS answers the call the controller makes most: DescribeStacks, every poll, listing
// all stacks. Measured through the real SDK client (signing, HTTP, XML parsing included) because that is the
// cost a scenario or a hand-run controller pays; client and simulation share one process and event loop,
// as they do in the scenario runner.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { systemClock } from '../services/clock.ts';
import { startAwsSim } from '../tools/sim/aws/index.ts';
import type { AwsWorldInput, StackInput } from '../tools/sim/aws/world.ts';
import type { BenchmarkResult } from './run.ts';

const STACKS = 20;
const WARM_UP_CALLS = 50;
const MEASURED_CALLS = 1000;
const CLUSTER_ID = 'aws:123:eu-central-1:kube-1';

/** Stacks shaped like the controller's own, so each DescribeStacks answer is as large as in a real cluster. */
function stack(index: number): StackInput {
  const id = index.toString(16).padStart(8, '0');
  const lb = `arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/kube-1-lb-${id}/${id}${id}`;
  return {
    name: `kube-ingress-aws-controller-kube-1-${id}`,
    status: 'CREATE_COMPLETE',
    tags: {
      [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned',
      'kubernetes:application': 'kube-ingress-aws-controller',
      [`ingress:certificate-arn/arn:aws:acm:eu-central-1:123456789012:certificate/${id}`]: '0001-01-01T00:00:00Z',
    },
    parameters: {
      LoadBalancerSchemeParameter: index % 4 === 0 ? 'internal' : 'internet-facing',
      LoadBalancerSubnetsParameter: 'subnet-a,subnet-b',
      LoadBalancerSecurityGroupParameter: 'sg-1',
      IpAddressType: 'ipv4',
      Type: 'application',
      HTTP2: 'true',
    },
    outputs: {
      LoadBalancerARN: lb,
      LoadBalancerDNSName: `kube-1-lb-${id}.eu-central-1.elb.amazonaws.com`,
      TargetGroupARN: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/kube-1-tg-${id}/${id}${id}`,
    },
  };
}

const world: AwsWorldInput = {
  region: 'eu-central-1',
  vpcs: [{ id: 'vpc-1' }],
  subnets: [
    { id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', public: true },
    { id: 'subnet-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', public: true },
  ],
  stacks: Array.from({ length: STACKS }, (_, i) => stack(i + 1)),
};

/** Nearest-rank percentile of ascending samples. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

export async function simLatency(): Promise<BenchmarkResult> {
  // The SDK's Node-version notice would land in the middle of the figures; the test configuration mutes it too.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const sim = await startAwsSim({ input: world, clock: systemClock });
  const cfn = new CloudFormationClient({
    endpoint: sim.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
    maxAttempts: 1,
  });
  try {
    const call = async () => {
      const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({}));
      // A short answer would make the figures meaningless; better to stop than to print them.
      if (Stacks.length !== STACKS) throw new Error(`expected ${STACKS} stacks, DescribeStacks answered ${Stacks.length}`);
    };
    for (let i = 0; i < WARM_UP_CALLS; i++) await call();

    const samples: number[] = [];
    const started = performance.now();
    for (let i = 0; i < MEASURED_CALLS; i++) {
      const t0 = performance.now();
      await call();
      samples.push(performance.now() - t0);
    }
    const elapsedMs = performance.now() - started;
    samples.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    return {
      description:
        `${MEASURED_CALLS} sequential CloudFormation DescribeStacks (${STACKS} stacks) through @aws-sdk/client-cloudformation, ` +
        `after ${WARM_UP_CALLS} warm-up calls`,
      figures: {
        p50: ms(percentile(samples, 50)),
        p90: ms(percentile(samples, 90)),
        p99: ms(percentile(samples, 99)),
        max: ms(samples[samples.length - 1] ?? Number.NaN),
        throughput: `${Math.round((MEASURED_CALLS / elapsedMs) * 1000)} calls/s`,
      },
    };
  } finally {
    cfn.destroy();
    await sim.close();
  }
}
