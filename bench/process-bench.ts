// The real controller process against the simulations, at scale: time to ready, memory, event-loop delay,
// /healthz latency while it works, reaction time to changes, and the AWS calls each change and each idle resync
// costs. The simulations run in a process of their own (sim-host.ts), so only the controller is measured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterWorld } from './cluster-world.ts';
import { scrape, startController, startSimHost, waitFor, type ControllerProcess, type SimHost } from './processes.ts';
import type { LoggedCall } from './sim-host.ts';
import { loosenedDefaults } from '../services/aws/throttle/throttle-rules.ts';

export interface ProcessBenchOptions {
  readonly ingresses: number;
  readonly certificates: number;
  readonly dedicated: number;
  readonly changes: number;
  readonly pollingIntervalSeconds: number;
  /** --stack-poll-interval: the small profiles check stacks in progress often, so a change is served sooner. */
  readonly stackPollSeconds: number;
}

export interface ProcessBenchResult {
  readonly stacks: number;
  readonly readyMs: number;
  readonly mutationsAtStart: number;
  readonly rssMaxMB: number;
  readonly eventLoopMaxMs: { readonly startUp: number; readonly running: number };
  readonly eventLoopP99Ms: number;
  readonly healthzMaxMs: { readonly startUp: number; readonly running: number };
  readonly reactionDedicatedMs: { readonly p50: number; readonly p99: number; readonly samples: number };
  readonly reactionSharedMs: { readonly p50: number; readonly p99: number; readonly samples: number };
  /** Shared changes that got a new stack (no shared load balancer had room) rather than an UpdateStack. */
  readonly sharedAsNewStack: number;
  readonly readsBeforeMutationPerChange: number;
  /** Changes whose window held no periodic resync (the only ones counted for reads before the mutation). */
  readonly changesWithoutResync: number;
  readonly readsPerChange: number;
  readonly kubernetesWritesPerChange: number;
  readonly idleResyncReads: Record<string, number>;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Samples /healthz and /metrics in the background: the maxima are what the controller let through. */
class Probe {
  healthzMax = 0;
  lagMax = 0;
  lagP99Max = 0;
  rssMax = 0;
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly url: string) {
    this.loops.push(this.loop(50, async () => {
      const started = performance.now();
      const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5000) });
      await res.text();
      this.healthzMax = Math.max(this.healthzMax, performance.now() - started);
    }));
    this.loops.push(this.loop(500, async () => {
      const m = await scrape(this.url);
      this.lagMax = Math.max(this.lagMax, (m.get('nodejs_eventloop_lag_max_seconds') ?? 0) * 1000);
      this.lagP99Max = Math.max(this.lagP99Max, (m.get('nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000);
      this.rssMax = Math.max(this.rssMax, (m.get('process_resident_memory_bytes') ?? 0) / 1048576);
    }));
  }

  reset(): void {
    this.healthzMax = 0;
    this.lagMax = 0;
    this.lagP99Max = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async loop(everyMs: number, probe: () => Promise<void>): Promise<void> {
    while (!this.stopped) {
      await probe().catch(() => undefined);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

const isRead = (c: LoggedCall) => !c.mutating;

export async function processBench(options: ProcessBenchOptions): Promise<ProcessBenchResult> {
  // The controller's own speed is measured here, not AWS's limits (bench/rate-limits.ts does that): with the
  // default limits, fetching 1,000 certificates alone would take minutes, as it does against real ACM.
  const flags = [`--polling-interval=${options.pollingIntervalSeconds}s`, `--stack-poll-interval=${options.stackPollSeconds}s`, '--min-load-balancer-age=1s', '--cert-ttl-timeout=1m',
    `--aws-api-throttle=${loosenedDefaults(1000)}`,
    // KIAC_BENCH_FLAGS="--no-leader-election ..." compares a variant of the controller.
    ...(process.env.KIAC_BENCH_FLAGS ?? '').split(' ').filter((f) => f !== '')];
  const spare = Math.max(options.changes, 4);
  const world = clusterWorld({ ingresses: options.ingresses, certificates: options.certificates, dedicated: options.dedicated, spareCertificates: spare, flags, now: Date.now() });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'kiac-bench-state-'));
  let sim: SimHost | undefined;
  let controller: ControllerProcess | undefined;
  let probe: Probe | undefined;
  try {
    sim = await startSimHost(world);
    const started = Date.now();
    controller = await startController(sim.endpoints, flags, stateDir);
    probe = new Probe(controller.url);
    const c = controller;
    await waitFor(async () => ((await fetch(`${c.url}/readyz`)).ok ? true : undefined), 300_000, 'readiness').catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; last log lines:\n${c.logs.slice(-10).join('\n')}`);
    });
    const readyMs = Date.now() - started;
    const startUp = { lag: probe.lagMax, healthz: probe.healthzMax };
    probe.reset();
    const mutationsAtStart = (await sim.calls()).filter((x) => x.mutating).length;

    // Idle: one whole polling interval after things settled.
    // Exactly one interval: from the start of one periodic scan to the start of the next.
    await quiet(sim, 2000);
    const isScan = (x: LoggedCall) => x.action === 'DescribeStacks' && x.stackName === undefined;
    const idleStart = (await sim.calls()).length;
    const s = sim;
    const first = await waitFor(async () => (await s.calls(idleStart)).find(isScan), options.pollingIntervalSeconds * 3000, 'a periodic scan');
    const next = await waitFor(async () => (await s.calls(first.seq + 1)).find(isScan), options.pollingIntervalSeconds * 3000, 'the next periodic scan');
    const idleResyncReads: Record<string, number> = {};
    for (const call of (await sim.calls(first.seq)).filter((x) => isRead(x) && x.seq < next.seq)) {
      const key = `${call.service}:${call.action}`;
      idleResyncReads[key] = (idleResyncReads[key] ?? 0) + 1;
    }

    const dedicated: number[] = [];
    const shared: number[] = [];
    let readsBefore = 0;
    let withoutResync = 0;
    let reads = 0;
    let writes = 0;
    let sharedAsNewStack = 0;
    for (let i = 0; i < options.changes; i++) {
      for (const isDedicated of [true, false]) {
        // Each change meets a controller at rest: no stack operation of an earlier change still in flight.
        await settled(controller.url);
        const manifest = world.newIngress(i, isDedicated);
        const name = (manifest.metadata as { name: string }).name;
        const fromCall = (await sim.calls()).length;
        const fromWrite = (await sim.writes()).length;
        const applied = Date.now();
        await sim.apply(manifest);
        // A shared ingress normally lands on a shared stack (UpdateStack); when upstream's packing finds no shared
        // load balancer with room it gets a new one (CreateStack), which is the reaction all the same.
        const wanted = isDedicated ? ['CreateStack'] : ['UpdateStack', 'CreateStack'];
        const mutation = await waitFor(async () => (await sim!.calls(fromCall)).find((x) => wanted.includes(x.action) && (!isDedicated || x.owner === `bench-changes/${name}`)),
          60_000, `${wanted.join(' or ')} for ${name}`);
        if (!isDedicated && mutation.action === 'CreateStack') sharedAsNewStack++;
        (isDedicated ? dedicated : shared).push(mutation.at - applied);
        // A periodic resync that happens to fall between apply and mutation is not the change's doing.
        const before = (await sim.calls(fromCall)).filter((x) => x.seq < mutation.seq && isRead(x));
        // (the stack scan, and the target sync that runs once per interval beside it).
        const periodic = (x: LoggedCall) => (x.action === 'DescribeStacks' && x.stackName === undefined) || x.action === 'DescribeAutoScalingGroups' || x.action === 'DescribeInstances';
        if (!before.some(periodic)) {
          readsBefore += before.length;
          withoutResync++;
        }
        // The change is done once the ingress carries its hostname.
        await waitFor(async () => (await sim!.writes(fromWrite)).some((w) => w.path.endsWith(`/ingresses/${name}/status`)) || undefined, 60_000, `status of ${name}`);
        await quiet(sim, 300);
        reads += (await sim.calls(fromCall)).filter(isRead).length;
        writes += (await sim.writes(fromWrite)).length;
      }
    }
    const changes = options.changes * 2;
    const stacks = world.aws.stacks?.length ?? 0;
    await probe.stop();
    return {
      stacks, readyMs, mutationsAtStart, rssMaxMB: probe.rssMax,
      eventLoopMaxMs: { startUp: startUp.lag, running: probe.lagMax }, eventLoopP99Ms: probe.lagP99Max,
      healthzMaxMs: { startUp: startUp.healthz, running: probe.healthzMax },
      reactionDedicatedMs: { p50: percentile(dedicated, 50), p99: percentile(dedicated, 99), samples: dedicated.length },
      reactionSharedMs: { p50: percentile(shared, 50), p99: percentile(shared, 99), samples: shared.length }, sharedAsNewStack,
      readsBeforeMutationPerChange: withoutResync > 0 ? readsBefore / withoutResync : Number.NaN, changesWithoutResync: withoutResync, readsPerChange: reads / changes, kubernetesWritesPerChange: writes / changes,
      idleResyncReads,
    };
  } finally {
    await probe?.stop();
    await controller?.stop();
    if (process.env.KIAC_BENCH_LOG && controller) (await import('node:fs')).writeFileSync(process.env.KIAC_BENCH_LOG, controller.logs.join('\n'));
    await sim?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Waits until no AWS call has been made for `ms`. */
async function quiet(sim: SimHost, ms: number): Promise<void> {
  let last = -1;
  for (;;) {
    const calls = await sim.calls();
    const lastAt = calls.at(-1)?.at ?? 0;
    if (calls.length === last && Date.now() - lastAt >= ms) return;
    last = calls.length;
    await new Promise((r) => setTimeout(r, Math.min(ms, 250)));
  }
}

/** Waits until no stack actor is creating, updating or deleting (the debug API's view). */
async function settled(url: string): Promise<void> {
  await waitFor(async () => {
    const body = (await (await fetch(`${url}/api/stacks`)).json()) as { stacks: { state: string }[] };
    return body.stacks.every((s) => !['creating', 'updating', 'deleting'].includes(s.state)) || undefined;
  }, 120_000, 'stack actors at rest');
}
