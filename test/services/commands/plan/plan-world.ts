// Plan mode against the simulations: the world of conformance example 01 (one VPC, an ASG, an ACM certificate
// for foo.bar.org), optionally with stacks that the real controller created first. Everything runs on loopback
// and the call logs of both simulations say whether anything was changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { pino } from 'pino';
import YAML from 'yaml';
import { systemClock, type Clock } from '../../../../services/clock.ts';
import type { Config } from '../../../../services/config/config.ts';
import { parseCommandLine } from '../../../../services/config/parse.ts';
import { runPlan, type PlanOutputFormat } from '../../../../services/commands/plan/plan-command.ts';
import { startRuntime } from '../../../../services/commands/run.ts';
import { writeTrustedRootsFile } from '../../../../tools/sim/aws/certificates.ts';
import { startAwsSim, startImds, type AwsSim, type ImdsHandle } from '../../../../tools/sim/aws/index.ts';
import type { CallRecord } from '../../../../tools/sim/aws/server.ts';
import type { AwsWorldInput, StackInput } from '../../../../tools/sim/aws/world.ts';
import { startKubernetesSim, type KubernetesSim, type WriteRecord } from '../../../../tools/sim/kubernetes/index.ts';
import { PUBLIC_CONFORMANCE } from '../../../helpers/fixtures.ts';

const scenario = YAML.parse(
  fs.readFileSync(path.join(PUBLIC_CONFORMANCE, '01-alb-basic/scenario.yaml'), 'utf8'),
) as { flags: string[]; aws: AwsWorldInput; kubernetes: { objects: Record<string, unknown>[] } };

export const CLUSTER_ID = 'aws:123:eu-central-1:kube-1';
export const CERTIFICATE_ARN = 'arn:aws:acm:eu-central-1:123456789012:certificate/foo';
/** The plan's "now": inside the example certificate's validity, whatever day the tests run on. */
export const PLAN_NOW = Date.UTC(2026, 2, 1);
export const planClock: Clock = { ...systemClock, now: () => PLAN_NOW };

export const exampleFlags: readonly string[] = scenario.flags;
export const exampleIngress = scenario.kubernetes.objects[0]!;

/**
 * The example's world, with the certificate valid for ten more years: the controller that prepares existing
 * stacks runs on the real clock, and the example's certificate would otherwise stop matching on 2026-12-01.
 */
export function exampleWorld(): AwsWorldInput {
  const world = structuredClone(scenario.aws);
  for (const c of world.certificates ?? []) c.notAfter = '2036-12-01T00:00:00Z';
  return world;
}

export function ingress(name: string, host: string, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name, port: { number: 80 } } } }] } }] },
  };
}

const silent = () => pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));
const awsOverrides = (aws: AwsSim) => ({
  region: aws.world.region, endpoint: aws.endpoint,
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  retryStrategy: new ConfiguredRetryStrategy(2, () => 5),
});

/** The base flags without their --target-access-mode when the extra flags choose one (it may be given once). */
function withMode(base: readonly string[], extra: readonly string[]): string[] {
  const chosen = extra.some((f) => f.startsWith('--target-access-mode'));
  return base.filter((f) => !(chosen && f.startsWith('--target-access-mode')));
}

export interface PlanRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly text: string;
}

export interface PlanWorld {
  readonly aws: AwsSim;
  readonly imds: ImdsHandle;
  readonly kube: KubernetesSim;
  readonly dir: string;
  readonly caFile: string;
  /** The flags every run gets: the example's, the trusted root, the simulated API server, a private state dir. */
  baseFlags(): string[];
  config(flags?: readonly string[]): Config;
  plan(flags?: readonly string[], options?: { format?: PlanOutputFormat; env?: Record<string, string> }): Promise<PlanRun>;
  /** Mutating AWS calls and Kubernetes writes seen since the world started: both must stay empty. */
  mutations(): { aws: CallRecord[]; kubernetes: WriteRecord[] };
  close(): Promise<void>;
}

export async function startPlanWorld(options: { aws?: AwsWorldInput; objects?: unknown[]; stacks?: StackInput[] } = {}): Promise<PlanWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-plan-'));
  const caFile = path.join(dir, 'ca.pem');
  await writeTrustedRootsFile(caFile);
  const input = { ...(options.aws ?? exampleWorld()), stacks: options.stacks ?? [] };
  const aws = await startAwsSim({ input, clock: systemClock });
  const imds = await startImds({ world: aws.world });
  const kube = await startKubernetesSim({ clock: systemClock, objects: options.objects ?? [exampleIngress] });

  const baseFlags = () => [
    ...exampleFlags, `--extra-trusted-ca-file=${caFile}`, `--api-server-base-url=${kube.url}`, `--state-dir=${path.join(dir, 'state')}`,
  ];
  const config = (flags: readonly string[] = []) => {
    const outcome = parseCommandLine(['plan', ...withMode(baseFlags(), flags), ...flags], {});
    if (outcome.kind !== 'plan') throw new Error(`unexpected parse outcome ${outcome.kind}`);
    return outcome.config;
  };
  return {
    aws, imds, kube, dir, caFile, baseFlags, config,
    async plan(flags = [], runOptions = {}) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runPlan({
        config: config(flags), logger: silent(), clock: planClock,
        out: (line) => out.push(line), err: (line) => err.push(line),
        ...(runOptions.format ? { format: runOptions.format } : {}),
        overrides: { aws: awsOverrides(aws), imdsEndpoint: imds.endpoint, kubeConfig: kube.kubeConfig(), env: runOptions.env ?? {} },
      });
      return { code, out, err, text: out.join('\n') };
    },
    mutations: () => ({ aws: aws.server.calls.filter((c) => c.mutating), kubernetes: [...kube.writes] }),
    async close() {
      await kube.close();
      await imds.close();
      await aws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Lets the real controller create the load balancer(s) for `objects` with `flags`, and returns the resulting
 * stacks in the scenario format: the "existing stacks" of a plan are then exactly what the controller makes.
 */
export async function provisionStacks(options: { flags?: readonly string[]; objects?: unknown[]; expectStacks?: number } = {}): Promise<StackInput[]> {
  const world = await startPlanWorld({ aws: { ...exampleWorld(), behaviour: { operationSeconds: 0 } }, ...(options.objects ? { objects: options.objects } : {}) });
  try {
    const outcome = parseCommandLine([...withMode(world.baseFlags(), options.flags ?? []), '--no-leader-election', ...(options.flags ?? [])], {});
    if (outcome.kind !== 'run') throw new Error(`unexpected parse outcome ${outcome.kind}`);
    const runtime = await startRuntime({
      config: outcome.config, clock: systemClock, logger: silent(), aws: awsOverrides(world.aws),
      imdsEndpoint: world.imds.endpoint, kubeConfig: world.kube.kubeConfig(), timings: { stackPollIntervalMs: 20 },
    });
    try {
      const wanted = options.expectStacks ?? 1;
      const complete = () => [...world.aws.world.stacks.values()].filter((s) => s.status === 'CREATE_COMPLETE');
      const deadline = Date.now() + 15_000;
      while (complete().length < wanted) {
        if (Date.now() > deadline) throw new Error(`the controller did not create ${wanted} stack(s) in time`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return complete().map((s) => ({
        name: s.name, status: s.status, tags: { ...s.tags }, parameters: { ...s.parameters }, outputs: { ...s.outputs },
        template: s.templateBody, terminationProtection: s.terminationProtection, createdAt: new Date(s.createdAt).toISOString(),
      }));
    } finally {
      await runtime.stop();
    }
  } finally {
    await world.close();
  }
}
