// Many ingresses created at once against a real controller process: does any AWS operation family go faster
// than its client-side limit (--aws-api-throttle)? Measured on the simulation's call log (its timestamps are
// when each request arrived), per rule: the most calls in any one second, and the whole run's count against
// the most a token bucket can let through over the same span (burst + rate * seconds).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { throttleRules, type ThrottledService, type ThrottleRule } from '../services/aws/throttle/throttle-rules.ts';
import { clusterWorld } from './cluster-world.ts';
import { startController, startSimHost, waitFor, type ControllerProcess, type SimHost } from './processes.ts';
import type { LoggedCall } from './sim-host.ts';

export interface RateLimitBenchOptions {
  readonly ingresses: number;
  /** Of those, how many get a load balancer of their own (each one a CreateStack). */
  readonly dedicated: number;
  /** How long the call log is watched after the ingresses are applied. */
  readonly observeSeconds: number;
  /** Extra --aws-api-throttle rules (the smoke run tightens the limits so that a few ingresses reach them). */
  readonly throttle?: string;
}

export interface RateLimitFamily {
  /** `service:regex` as in the flag. */
  readonly family: string;
  readonly rate: number;
  readonly burst: number;
  readonly calls: number;
  /** Most calls in any window of one second. */
  readonly maxPerSecond: number;
  /** Most calls a bucket of this rate and burst admits over the span of these calls (+1 for arrival jitter). */
  readonly allowed: number;
  readonly withinLimit: boolean;
}

export interface RateLimitBenchResult {
  readonly ingresses: number;
  readonly observedSeconds: number;
  readonly stacksCreated: number;
  readonly throttledCalls: number;
  readonly families: RateLimitFamily[];
}

const SIGNING_NAME: Record<ThrottledService, string> = {
  cloudformation: 'cloudformation', ec2: 'ec2', elbv2: 'elasticloadbalancing', autoscaling: 'autoscaling', acm: 'acm', iam: 'iam',
};

/** Per rule, from the call log alone: a call counts against every rule that matches it, as the throttle does. */
export function measureFamilies(calls: readonly Pick<LoggedCall, 'at' | 'service' | 'action'>[], rules: readonly ThrottleRule[]): RateLimitFamily[] {
  return rules.map((rule) => {
    const times = calls
      .filter((c) => c.service === SIGNING_NAME[rule.service] && rule.operations.test(c.action))
      .map((c) => c.at)
      .sort((a, b) => a - b);
    let maxPerSecond = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      maxPerSecond = Math.max(maxPerSecond, i - j + 1);
    }
    const spanSeconds = times.length > 1 ? (times[times.length - 1]! - times[0]!) / 1000 : 0;
    const allowed = Math.floor(rule.burst + rule.rate * spanSeconds) + 1;
    return {
      family: `${SIGNING_NAME[rule.service]}:${rule.pattern}`, rate: rule.rate, burst: rule.burst,
      calls: times.length, maxPerSecond, allowed, withinLimit: times.length <= allowed,
    };
  });
}

export async function rateLimitBench(options: RateLimitBenchOptions): Promise<RateLimitBenchResult> {
  const flags = ['--polling-interval=30s', ...(options.throttle ? [`--aws-api-throttle=${options.throttle}`] : [])];
  const world = clusterWorld({ ingresses: 0, certificates: 50, dedicated: 0, spareCertificates: 0, flags, now: Date.now() });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'kiac-bench-rates-'));
  let sim: SimHost | undefined;
  let controller: ControllerProcess | undefined;
  try {
    sim = await startSimHost(world);
    const host = sim;
    controller = await startController(host.endpoints, flags, stateDir);
    const url = controller.url;
    await waitFor(async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined), 120_000, 'readiness');
    const from = (await host.calls()).length;
    const every = options.dedicated > 0 ? Math.max(1, Math.floor(options.ingresses / options.dedicated)) : 0;
    const manifests = Array.from({ length: options.ingresses }, (_, i) => world.newIngress(i, every > 0 && i % every === 0 && i / every < options.dedicated));
    const applied = Date.now();
    // "At once": as fast as the Kubernetes simulation takes them, a few requests in flight.
    for (let i = 0; i < manifests.length; i += 25) await Promise.all(manifests.slice(i, i + 25).map((m) => host.apply(m)));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.observeSeconds * 1000 - (Date.now() - applied))));
    const calls = await host.calls(from);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const throttledCalls = metrics.split('\n')
      .filter((l) => l.startsWith('kube_ingress_aws_controller_aws_api_throttled_calls_total{'))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return {
      ingresses: options.ingresses, observedSeconds: (Date.now() - applied) / 1000,
      stacksCreated: calls.filter((c) => c.action === 'CreateStack').length, throttledCalls,
      families: measureFamilies(calls, throttleRules(options.throttle ?? '')),
    };
  } finally {
    await controller?.stop();
    await sim?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
