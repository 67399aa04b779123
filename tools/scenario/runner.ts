// Runs a scenario: the real controller (services/commands/run.ts: adapters, model, template, actors, executors,
// SQLite) against the simulated AWS and Kubernetes on a virtual clock, and reports what happened as deterministic JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { pino, type Logger } from 'pino';
import { VirtualClock } from '../support/virtual-clock.ts';
import { ConfigError } from '../../services/config/config-error.ts';
import { parseCommandLine } from '../../services/config/parse.ts';
import type { Config } from '../../services/config/config.ts';
import { acceptsClass } from '../../services/kubernetes/class-filter.ts';
import { matchesLabels, parseLabelSelector } from '../../services/kubernetes/label-selector.ts';
import { seededUuid } from '../support/seeded-random.ts';
import { startRuntime, type Runtime } from '../../services/commands/run.ts';
import { startAwsSim, startImds, deleteStackOutOfBand, editStackOutOfBand, setLoadBalancerState, type AwsSim } from '../sim/aws/index.ts';
import { writeTrustedRootsFile } from '../sim/aws/certificates.ts';
import { createWorld, type World } from '../sim/aws/world.ts';
import type { CallRecord } from '../sim/aws/server.ts';
import { startKubernetesSim, type KubernetesSim } from '../sim/kubernetes/index.ts';
import type { Scenario, ScenarioStep } from './scenario-file.ts';
import { ScenarioError } from './scenario-file.ts';

export interface ScenarioCall {
  at: string;
  service: string;
  action: string;
  input?: unknown;
  error?: string;
  path?: string;
  contentType?: string;
  body?: unknown;
}

export interface ScenarioResult {
  stacks: {
    name: string; status: string; tags: Record<string, string>; parameters: Record<string, string>; outputs: Record<string, string>;
    template: unknown; terminationProtection: boolean; timeoutInMinutes?: number;
  }[];
  calls: ScenarioCall[];
  readCalls: Record<string, number>;
  kubernetes: {
    statuses: { apiVersion: string; kind: string; namespace: string; name: string; hostnames: string[] }[];
    events: { kind: string; namespace: string; name: string; type: string; reason: string; message: string }[];
  };
  problems: string[];
}

export interface RunOptions {
  /** Where logs go (stderr for the CLI; silent in tests by default). */
  readonly log?: NodeJS.WritableStream;
  /** Keeps the state directory for inspection. */
  readonly keepState?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const realTick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** A controller run inside the scenario: rebuilt on `restart`. */
class Session {
  runtime: Runtime | undefined;
  inFlight = 0;
  problems: string[] = [];
  config: Config | undefined;
  private lastCycleProblems = new Set<string>();

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: VirtualClock,
    private readonly aws: AwsSim,
    private readonly imdsEndpoint: string,
    private readonly kube: KubernetesSim,
    private readonly stateDir: string,
    private readonly caFile: string,
    private readonly logger: Logger,
    private readonly uuid: () => string,
  ) {}

  async start(): Promise<void> {
    const ours = [`--state-dir=${this.stateDir}`, `--extra-trusted-ca-file=${this.caFile}`, `--api-server-base-url=${this.kube.url}`];
    // One controller per scenario: no Lease to renew on every virtual tick (the Lease writes would be noise).
    if (!this.scenario.flags.some((f) => /^--(no-)?leader-election(=|$)/.test(f))) ours.push('--no-leader-election');
    const overridden = new Set(['--state-dir', '--extra-trusted-ca-file', '--api-server-base-url', '--metrics-address']);
    const flags = this.scenario.flags.filter((f) => !overridden.has(f.split('=')[0]!));
    const outcome = parseCommandLine([...flags, ...ours], this.scenario.env);
    if (outcome.kind !== 'run' && outcome.kind !== 'plan') throw new ScenarioError('flags', `expected controller flags, got --${outcome.kind}`);
    this.config = outcome.config;
    this.runtime = await startRuntime({
      config: outcome.config,
      clock: this.clock,
      logger: this.logger,
      env: this.scenario.env,
      aws: {
        region: this.aws.world.region,
        endpoint: this.aws.endpoint,
        credentials: { accessKeyId: 'AKIDSCENARIO', secretAccessKey: 'scenario' },
        retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
        // The rate limits count real seconds, and a run's calls come far faster in real time than in virtual
        // time: they would only stretch the run (the results stay the same). Their own tests cover them.
        throttle: null,
      },
      imdsEndpoint: this.imdsEndpoint,
      kubeConfig: this.kube.kubeConfig(),
      uuid: this.uuid,
      // The virtual clock makes the gap between cycles free; the runner keeps upstream's timing exactly.
      timings: { debounceMs: 0, minCycleGapMs: 0 },
      cniDebounceMs: 0,
      onCycle: (summary) => {
        // A problem is reported when it appears, not again every cycle while it persists.
        for (const p of summary.problems) if (!this.lastCycleProblems.has(p)) this.problems.push(p);
        this.lastCycleProblems = new Set(summary.problems);
      },
    });
    for (const client of Object.values(this.runtime.clients)) {
      const stack = (client as { middlewareStack?: { add: (mw: unknown, opts: unknown) => void } }).middlewareStack;
      stack?.add((next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        this.inFlight++;
        try {
          return await next(args);
        } finally {
          this.inFlight--;
        }
      }, { step: 'initialize', name: 'scenarioInFlight' });
    }
  }

  async stop(): Promise<void> {
    const rt = this.runtime;
    this.runtime = undefined;
    await rt?.stop();
  }

  /** Work is under way: a cycle, an actor's AWS call, or any AWS request (the certificate refresh included). */
  get working(): boolean {
    return !!this.runtime && (this.runtime.controller.working || this.runtime.cni?.busy === true || this.inFlight > 0);
  }

  /** Wait until the controller's informers have seen the objects' latest versions. */
  async observed(refs: { kind: string; namespace: string; name: string; resourceVersion?: string; deleted?: boolean; matches?: boolean }[]): Promise<void> {
    const pods = this.runtime!.kubernetes.pods;
    // Pods matter only to the AWS CNI pod watch, and only those in its namespace (the selector is its business).
    const wanted = refs.filter((r) => r.kind === 'Ingress' || r.kind === 'RouteGroup' || (r.kind === 'Pod' && pods?.options.namespace === r.namespace));
    for (let i = 0; i < 2000 && wanted.length > 0; i++) {
      const snap = this.runtime!.kubernetes.snapshot();
      const seen = (r: (typeof wanted)[number]) => {
        if (r.kind === 'Pod') return podSeen(pods!.pod(r.name), r);
        const ing = snap.ingresses.find((x) => x.ref.kind === r.kind && x.ref.namespace === r.namespace && x.ref.name === r.name);
        const rej = snap.rejected.find((x) => x.ref.kind === r.kind && x.ref.namespace === r.namespace && x.ref.name === r.name);
        if (r.deleted) return !ing && !rej;
        return (ing && ing.resourceVersion === r.resourceVersion) || !!rej;
      };
      if (wanted.every(seen)) return;
      await realTick();
    }
    // Going on would move the step's effects to a later virtual time: fail loudly instead.
    if (wanted.length > 0) throw new Error(`the controller did not observe ${wanted.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ')}`);
  }
}

/** A pod outside the selector never reaches the cache: its absence is all the controller can see of it. */
function podSeen(cached: { metadata?: { resourceVersion?: string } } | undefined, r: { resourceVersion?: string; deleted?: boolean; matches?: boolean }): boolean {
  if (r.deleted || r.matches === false) return cached === undefined;
  return cached?.metadata?.resourceVersion === r.resourceVersion;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const clock = new VirtualClock(scenario.clock);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-scenario-'));
  const logger = pino({ level: 'debug', base: null, timestamp: () => `,"vtime":"${iso(clock.now())}"` },
    options.log ?? new Writable({ write: (_c, _e, cb) => cb() }));
  let aws: AwsSim | undefined;
  let kube: KubernetesSim | undefined;
  let imds: { close(): Promise<void> } | undefined;
  let session: Session | undefined;
  const calls: ScenarioCall[] = [];
  const readCalls: Record<string, number> = {};
  try {
    aws = await startAwsSim({ input: scenario.aws, clock, seed: scenario.seed });
    const awsSim = aws;
    awsSim.server.onCall((c: CallRecord) => {
      if (c.mutating) {
        calls.push({ at: iso(c.at), service: c.service, action: c.action, input: c.input, ...(c.error ? { error: c.error } : {}) });
      } else {
        const key = `${c.service}:${c.action}`;
        readCalls[key] = (readCalls[key] ?? 0) + 1;
      }
    });
    const imdsHandle = await startImds({ world: awsSim.world, clock });
    imds = imdsHandle;
    kube = await startKubernetesSim({ clock, objects: scenario.kubernetes.objects, routeGroupsCRD: scenario.kubernetes.routeGroupsCRD, seed: scenario.seed });
    const kubeSim = kube;
    kubeSim.onWrite((w) => {
      calls.push({ at: iso(w.at), service: 'kubernetes', action: w.method, path: w.path, ...(w.contentType ? { contentType: w.contentType } : {}), body: w.body });
    });
    const caFile = path.join(workDir, 'trusted-roots.pem');
    await writeTrustedRootsFile(caFile);
    const stateDir = path.join(workDir, 'state');
    const uuid = seededUuid(scenario.seed);
    session = new Session(scenario, clock, awsSim, imdsHandle.endpoint, kubeSim, stateDir, caFile, logger, uuid);
    await session.start();
    const s = session;

    // Timers due at the same virtual instant fire one at a time, each after the work of the previous one has
    // settled, so that the order of effects never depends on how fast loopback HTTP answers.
    const runUntilIdle = async () => {
      let stable = 0;
      let last = -1;
      for (let i = 0; i < 50000; i++) {
        await realTick();
        const activity = awsSim.server.calls.length + kubeSim.writes.length;
        const busy = s.working || activity !== last;
        last = activity;
        if (busy) {
          stable = 0;
          continue;
        }
        if (clock.fireNext()) {
          stable = 0;
          continue;
        }
        if (++stable >= 3) return;
      }
      throw new Error('the controller did not settle');
    };
    const advance = async (ms: number) => {
      const target = clock.now() + ms;
      for (;;) {
        const next = clock.nextDue();
        if (next === undefined || next > target) break;
        clock.moveTo(next);
        await runUntilIdle();
      }
      clock.moveTo(target);
      await runUntilIdle();
    };

    await runUntilIdle();
    for (const step of scenario.steps) await runStep(step, { clock, aws: awsSim, kube: kubeSim, session: s, runUntilIdle, advance, stateDir });
    const result = collect(awsSim.world, kubeSim, calls, readCalls, s.problems);
    return result;
  } finally {
    await session?.stop().catch(() => undefined);
    await kube?.close().catch(() => undefined);
    await imds?.close().catch(() => undefined);
    await aws?.close().catch(() => undefined);
    if (!options.keepState) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

interface StepContext {
  clock: VirtualClock;
  aws: AwsSim;
  kube: KubernetesSim;
  session: Session;
  runUntilIdle: () => Promise<void>;
  advance: (ms: number) => Promise<void>;
  stateDir: string;
}

async function runStep(step: ScenarioStep, ctx: StepContext): Promise<void> {
  if ('run' in step) return ctx.runUntilIdle();
  if ('advance' in step) return ctx.advance(step.advance);
  if ('apply' in step) {
    const applied = step.apply.map((m) => ctx.kube.apply(m));
    await ctx.session.observed(applied.map((o) => {
      const meta = (o as { metadata: { namespace?: string; name: string; resourceVersion: string } }).metadata;
      const kind = String((o as { kind?: string }).kind ?? '');
      // An object the class filter rejects is (or becomes) invisible to the controller.
      const visible = kind !== 'Ingress' && kind !== 'RouteGroup' ? true : acceptsClass(o, kind, ctx.session.config?.ingressClassFilter ?? []);
      const matches = kind === 'Pod' ? matchesLabels(parseLabelSelector(ctx.session.config?.targetCNIPodLabelSelector ?? ''), (o as { metadata: { labels?: Record<string, string> } }).metadata.labels) : true;
      return { kind, namespace: meta.namespace ?? 'default', name: meta.name, resourceVersion: meta.resourceVersion, deleted: !visible, matches };
    }));
    return ctx.runUntilIdle();
  }
  if ('delete' in step) {
    for (const r of step.delete) ctx.kube.delete({ apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace ?? 'default', name: r.name });
    await ctx.session.observed(step.delete.map((r) => ({ kind: r.kind, namespace: r.namespace ?? 'default', name: r.name, deleted: true })));
    return ctx.runUntilIdle();
  }
  if ('aws' in step) {
    const world = ctx.aws.world;
    for (const arn of step.aws.removeCertificates ?? []) world.certificates.delete(arn);
    if (step.aws.addCertificates) {
      const added = createWorld({ certificates: step.aws.addCertificates }, ctx.clock).certificates;
      for (const [arn, c] of added) world.certificates.set(arn, c);
    }
    if (step.aws.setLoadBalancerState) setLoadBalancerState(world, step.aws.setLoadBalancerState.arn, step.aws.setLoadBalancerState.state);
    if (step.aws.deleteStack) deleteStackOutOfBand(world, step.aws.deleteStack);
    if (step.aws.editStack) {
      const { name, ...edit } = step.aws.editStack;
      if (!editStackOutOfBand(world, name, edit)) throw new Error(`editStack: no live stack matches ${name}`);
    }
    if (step.aws.behaviour) Object.assign(world.behaviour, createWorld({ behaviour: { ...step.aws.behaviour } }, ctx.clock).behaviour);
    // Certificate changes reach the controller at its next cache refresh, as in AWS; everything else next cycle.
    return ctx.runUntilIdle();
  }
  if ('restart' in step) {
    await ctx.session.stop();
    if (step.restart.wipeState) fs.rmSync(ctx.stateDir, { recursive: true, force: true });
    await ctx.session.start();
    return ctx.runUntilIdle();
  }
}

function collect(world: World, kube: KubernetesSim, calls: ScenarioCall[], readCalls: Record<string, number>, problems: string[]): ScenarioResult {
  const stacks = [...world.stacks.values()]
    .filter((s) => s.status !== 'DELETE_COMPLETE')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => {
      let template: unknown = s.templateBody;
      try {
        template = JSON.parse(s.templateBody);
      } catch {
        // keep the raw body
      }
      return {
        name: s.name, status: s.status, tags: sortRecord(s.tags), parameters: sortRecord(s.parameters), outputs: sortRecord(s.outputs),
        template, terminationProtection: s.terminationProtection, ...(s.timeoutInMinutes !== undefined ? { timeoutInMinutes: s.timeoutInMinutes } : {}),
      };
    });
  const statuses: ScenarioResult['kubernetes']['statuses'] = [];
  for (const [kind, apiVersion, field] of [['Ingress', 'networking.k8s.io/v1', 'ingress'], ['RouteGroup', 'zalando.org/v1', 'routegroup']] as const) {
    for (const o of kube.list(kind, { apiVersion })) {
      const meta = o.metadata as { namespace?: string; name: string };
      const entries = ((o.status as { loadBalancer?: Record<string, { hostname?: string }[]> } | undefined)?.loadBalancer?.[field]) ?? [];
      statuses.push({ apiVersion, kind, namespace: meta.namespace ?? 'default', name: meta.name, hostnames: entries.map((e) => e.hostname ?? '').filter((h) => h !== '') });
    }
  }
  const events = kube.list('Event').map((e) => {
    const inv = (e.involvedObject ?? e.regarding ?? {}) as { kind?: string; namespace?: string; name?: string };
    return { kind: inv.kind ?? '', namespace: inv.namespace ?? '', name: inv.name ?? '', type: String(e.type ?? ''), reason: String(e.reason ?? ''), message: String(e.message ?? e.note ?? '') };
  });
  return { stacks, calls, readCalls: sortRecord(readCalls), kubernetes: { statuses, events }, problems };
}

function sortRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
}

export { ConfigError };
