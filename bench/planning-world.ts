// Synthetic clusters for the planning benchmarks: N ingresses over C certificates (one wildcard certificate per
// domain, each ingress a host under one domain), optionally a share of dedicated (not shared) ingresses, and
// the stacks a previous cycle would have left (steady state), built from the planner's own documents.
import type { Config } from '../services/config/config.ts';
import { planCycle, type CyclePlanInput } from '../services/planning/cycle-plan.ts';
import { toManagedStack } from '../services/planning/model/managed-stack.ts';
import type { CertificateSummary } from '../services/planning/types/certificate.ts';
import type { IngressModel } from '../services/planning/types/ingress.ts';
import type { ManagedStack } from '../services/planning/types/stack.ts';
import { parseCommandLine } from '../services/config/parse.ts';

export const BENCH_NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
export const BENCH_CLUSTER = 'aws:123456789012:eu-central-1:bench';

export interface PlanningWorldOptions {
  readonly ingresses: number;
  readonly certificates: number;
  /** Fraction of ingresses that are not shared (each gets a load balancer of its own). */
  readonly dedicated: number;
}

export interface PlanningWorld {
  readonly input: CyclePlanInput;
  /** The same input with one ingress's hosts changed (a watch event's worth of change). */
  changeOne(index: number): CyclePlanInput;
}

export function benchConfig(extra: readonly string[] = []): Config {
  const outcome = parseCommandLine(['--target-access-mode=HostPort', `--cluster-id=${BENCH_CLUSTER}`, '--vpc-id=vpc-1', '--state-dir=/tmp/bench', ...extra], {});
  if (outcome.kind !== 'run') throw new Error('bad bench flags');
  return outcome.config;
}

export function certificateFor(i: number): CertificateSummary {
  const names = [`*.d${i}.example.org`, `d${i}.example.org`];
  return {
    arn: `arn:aws:acm:eu-central-1:123456789012:certificate/${String(i).padStart(8, '0')}`,
    source: 'acm', domainNames: names, dnsNames: names,
    notBefore: BENCH_NOW - 30 * DAY, notAfter: BENCH_NOW + 300 * DAY,
    chainNotBefore: BENCH_NOW - 300 * DAY, chainNotAfter: BENCH_NOW + 3000 * DAY, trusted: true,
  };
}

export function ingressFor(i: number, certificates: number, dedicated: boolean, host?: string): IngressModel {
  const name = `app-${String(i).padStart(5, '0')}`;
  return {
    ref: { kind: 'Ingress', namespace: `ns-${i % 50}`, name },
    uid: `uid-${i}`, resourceVersion: '1',
    hostnames: [host ?? `${name}.d${i % certificates}.example.org`],
    clusterLocal: false, certificateARN: undefined, scheme: 'internet-facing', shared: !dedicated,
    securityGroup: undefined, sslPolicy: 'ELBSecurityPolicy-2016-08', hasSSLPolicyAnnotation: false,
    loadBalancerType: 'application', http2: true, wafWebACLID: '', ipAddressType: 'ipv4', currentHostname: '', warnings: [],
  };
}

export function steadyStacks(input: CyclePlanInput): ManagedStack[] {
  const first = planCycle(input);
  return first.stacks.map((p, i) => {
    const name = `kube-ingress-aws-controller-bench-${String(i).padStart(6, '0')}`;
    return toManagedStack({
      name, stackId: `arn:aws:cloudformation:eu-central-1:123456789012:stack/${name}/1`, status: 'CREATE_COMPLETE', statusReason: '',
      createdAt: BENCH_NOW - DAY, terminationProtection: false, tags: p.document.tags, parameters: p.document.parameters,
      outputs: {
        LoadBalancerARN: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/${name}/1`,
        LoadBalancerDNSName: `${name}.eu-central-1.elb.amazonaws.com`,
        TargetGroupARN: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/${name}/1`,
      },
    });
  });
}

export function planningWorld(options: PlanningWorldOptions): PlanningWorld {
  const certificates = Array.from({ length: options.certificates }, (_, i) => certificateFor(i));
  const every = options.dedicated > 0 ? Math.round(1 / options.dedicated) : 0;
  const isDedicated = (i: number) => every > 0 && i % every === 0;
  const ingresses = Array.from({ length: options.ingresses }, (_, i) => ingressFor(i, options.certificates, isDedicated(i)));
  const base: CyclePlanInput = {
    ingresses, stacks: [], certificates, alarms: { alarms: [], hash: '' },
    environment: {
      clusterId: BENCH_CLUSTER, vpcId: 'vpc-1', securityGroupId: 'sg-1',
      subnets: [
        { id: 'subnet-a', availabilityZone: 'eu-central-1a', public: true, tags: {} },
        { id: 'subnet-b', availabilityZone: 'eu-central-1b', public: true, tags: {} },
      ],
    },
    config: benchConfig(), now: BENCH_NOW,
  };
  const input: CyclePlanInput = { ...base, stacks: steadyStacks(base) };
  return {
    input,
    changeOne(index: number) {
      const changed = [...input.ingresses];
      const old = changed[index]!;
      changed[index] = { ...old, resourceVersion: '2', hostnames: [`changed-${index}.d${(index + 1) % options.certificates}.example.org`] };
      return { ...input, ingresses: changed };
    },
  };
}
