// `npm run bench [-- --quick] [-- --json FILE] [-- plan|process|restart|rates ...]`: measures the controller (pure
// planning, and the real controller process against the simulations) and prints one table; the figures are
// also written as JSON (bench/last-run.json unless --json says otherwise). Nothing here passes or fails on a
// figure: targets are printed beside the measurements.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { planBench, type PlanBenchCase, type PlanBenchResult } from './plan-bench.ts';
import { processBench, type ProcessBenchOptions, type ProcessBenchResult } from './process-bench.ts';
import { buildController } from './processes.ts';
import { rateLimitBench, type RateLimitBenchOptions, type RateLimitBenchResult } from './rate-limits.ts';
import { restartBench, type RestartBenchResult } from './restart-bench.ts';

export type BenchProfile = 'full' | 'quick' | 'smoke';

interface Sizes {
  readonly plan: readonly PlanBenchCase[];
  readonly process: ProcessBenchOptions;
  readonly restartStacks: number;
  readonly rates: RateLimitBenchOptions;
}

const SIZES: Record<BenchProfile, Sizes> = {
  full: {
    plan: [1_000, 10_000].flatMap((ingresses) => [100, 1_000].flatMap((certificates) => [true, false].map((shared) => ({ ingresses, certificates, shared })))),
    process: { ingresses: 10_000, certificates: 1_000, dedicated: 500, changes: 20, pollingIntervalSeconds: 30, stackPollSeconds: 2 },
    restartStacks: 1_000,
    rates: { ingresses: 1_000, dedicated: 1_000, observeSeconds: 60 },
  },
  quick: {
    plan: [{ ingresses: 1_000, certificates: 100, shared: true }, { ingresses: 1_000, certificates: 100, shared: false }],
    process: { ingresses: 1_000, certificates: 100, dedicated: 20, changes: 3, pollingIntervalSeconds: 3, stackPollSeconds: 1 },
    restartStacks: 50,
    rates: { ingresses: 1_000, dedicated: 1_000, observeSeconds: 20 },
  },
  smoke: {
    plan: [{ ingresses: 200, certificates: 20, shared: true }],
    process: { ingresses: 200, certificates: 20, dedicated: 5, changes: 1, pollingIntervalSeconds: 2, stackPollSeconds: 1 },
    restartStacks: 5,
    // Limits tight enough for a handful of ingresses to reach them.
    rates: {
      ingresses: 8, dedicated: 8, observeSeconds: 5,
      throttle: 'cloudformation:^(CreateStack|UpdateStack|DeleteStack|UpdateTerminationProtection|ContinueUpdateRollback)$=1:2,elasticloadbalancing:^Describe=2:3',
    },
  },
};

export interface BenchResults {
  readonly profile: BenchProfile;
  plan?: PlanBenchResult[];
  process?: ProcessBenchResult;
  restart?: RestartBenchResult;
  rates?: RateLimitBenchResult;
}

export async function runBenchmarks(profile: BenchProfile, only: readonly string[] = []): Promise<BenchResults> {
  const sizes = SIZES[profile];
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const results: BenchResults = { profile };
  // What each section took goes to stderr, so that a slow benchmark says where its time went.
  const timed = async <T>(section: string, run: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await run();
    process.stderr.write(`bench: ${section} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return value;
  };
  if (wanted('plan')) results.plan = await timed('plan', () => planBench(sizes.plan));
  if (wanted('process') || wanted('restart') || wanted('rates')) await timed('build', () => buildController());
  if (wanted('process')) results.process = await timed('process', () => processBench(sizes.process));
  if (wanted('restart')) results.restart = await timed('restart', () => restartBench({ stacks: sizes.restartStacks }));
  if (wanted('rates')) results.rates = await timed('rates', () => rateLimitBench(sizes.rates));
  return results;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

export function table(results: BenchResults): string {
  // figure, measured, target, and whether the target is met (undefined: the figure has no target).
  const rows: [string, string, string, boolean | undefined][] = [];
  const atMost = (limit: number, ...values: number[]) => values.every((v) => Number.isFinite(v) && v <= limit);
  for (const p of results.plan ?? []) {
    const label = `plan ${p.ingresses} ingresses x ${p.certificates} certificates, ${p.shared ? 'shared' : 'not shared'} (${p.stacks} stacks)`;
    const big = p.ingresses >= 10_000 && p.certificates >= 1_000;
    rows.push([`${label}: full`, ms(p.fullMs), big ? '<= 250 ms' : '', big ? atMost(250, p.fullMs) : undefined]);
    rows.push([`${label}: one ingress changed`, ms(p.changeMs), big ? '<= 20 ms' : '', big ? atMost(20, p.changeMs) : undefined]);
  }
  const r = results.process;
  if (r) {
    const at = `process (${r.stacks} stacks)`;
    rows.push([`${at}: ready after start`, ms(r.readyMs), '<= 30 s', atMost(30_000, r.readyMs)]);
    rows.push([`${at}: mutating calls at start (steady state)`, String(r.mutationsAtStart), '0', r.mutationsAtStart === 0]);
    rows.push([`${at}: RSS max`, `${r.rssMaxMB.toFixed(0)} MB`, '<= 300 MB', atMost(300, r.rssMaxMB)]);
    rows.push([`${at}: event-loop delay max, start-up / running`, `${ms(r.eventLoopMaxMs.startUp)} / ${ms(r.eventLoopMaxMs.running)}`, '<= 100 ms',
      atMost(100, r.eventLoopMaxMs.startUp, r.eventLoopMaxMs.running)]);
    rows.push([`${at}: event-loop delay p99 (running, worst interval)`, ms(r.eventLoopP99Ms), '', undefined]);
    rows.push([`${at}: /healthz max, start-up / running`, `${ms(r.healthzMaxMs.startUp)} / ${ms(r.healthzMaxMs.running)}`, '<= 200 ms',
      atMost(200, r.healthzMaxMs.startUp, r.healthzMaxMs.running)]);
    rows.push([`${at}: apply -> CreateStack (dedicated) p50 / p99 (${r.reactionDedicatedMs.samples})`, `${ms(r.reactionDedicatedMs.p50)} / ${ms(r.reactionDedicatedMs.p99)}`, 'p99 <= 1 s',
      atMost(1000, r.reactionDedicatedMs.p99)]);
    rows.push([`${at}: apply -> UpdateStack (shared) p50 / p99 (${r.reactionSharedMs.samples}${r.sharedAsNewStack > 0 ? `, ${r.sharedAsNewStack} as CreateStack` : ''})`, `${ms(r.reactionSharedMs.p50)} / ${ms(r.reactionSharedMs.p99)}`, 'p99 <= 1 s',
      atMost(1000, r.reactionSharedMs.p99)]);
    rows.push([`${at}: AWS reads before the mutating call, per change (${r.changesWithoutResync} without a resync)`, r.readsBeforeMutationPerChange.toFixed(1), '0',
      r.readsBeforeMutationPerChange === 0]);
    rows.push([`${at}: AWS reads per change, until it is served`, r.readsPerChange.toFixed(1), '', undefined]);
    rows.push([`${at}: Kubernetes writes per change`, r.kubernetesWritesPerChange.toFixed(1), '', undefined]);
    const scan = r.idleResyncReads['cloudformation:DescribeStacks'] ?? 0;
    const lbs = r.idleResyncReads['elasticloadbalancing:DescribeLoadBalancers'] ?? 0;
    const others = Object.values(r.idleResyncReads).reduce((a, b) => a + b, 0) - scan - lbs;
    const pages = Math.ceil(r.stacks / 50);
    rows.push([`${at}: AWS reads in one idle polling interval`, `${scan} DescribeStacks + ${lbs} DescribeLoadBalancers + ${others} others`,
      `1 scan (${pages} pages) + ${Math.ceil(r.stacks / 20)} + 10`, scan <= Math.max(pages, 1) && lbs <= Math.ceil(r.stacks / 20) && others <= 10]);
  }
  const s = results.restart;
  if (s) {
    rows.push([`restart (${s.stacks} stacks): first start, ready / UpdateStack+CreateStack`, `${ms(s.first.readyMs)} / ${s.first.updates}`, '', undefined]);
    rows.push([`restart (${s.stacks} stacks): state kept, ready / UpdateStack+CreateStack`, `${ms(s.stateKept.readyMs)} / ${s.stateKept.updates}`, '<= 10 s / 0',
      atMost(10_000, s.stateKept.readyMs) && s.stateKept.updates === 0]);
    rows.push([`restart (${s.stacks} stacks): state lost, ready / UpdateStack+CreateStack`, `${ms(s.stateLost.readyMs)} / ${s.stateLost.updates}`, '0 updates', s.stateLost.updates === 0]);
  }
  const q = results.rates;
  if (q) {
    rows.push([`rates: ${q.ingresses} ingresses applied at once, watched ${q.observedSeconds.toFixed(0)} s: CreateStack / calls delayed`,
      `${q.stacksCreated} / ${q.throttledCalls}`, '', undefined]);
    for (const f of q.families.filter((x) => x.calls > 0)) {
      rows.push([`rates: ${f.family}: most calls in 1 s (${f.calls} calls, bucket allows ${f.allowed})`, String(f.maxPerSecond),
        `<= ${f.burst} + ${f.rate}/s`, f.withinLimit && f.maxPerSecond <= f.burst + Math.ceil(f.rate) + 1]);
    }
  }
  const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'pass' : 'FAIL');
  const w = [0, 1, 2].map((i) => Math.max(['figure', 'measured', 'target'][i]!.length, ...rows.map((x) => (x[i] as string).length)));
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w[0]!)}  ${b.padEnd(w[1]!)}  ${c.padEnd(w[2]!)}  ${d}`.trimEnd();
  return [line('figure', 'measured', 'target', 'met'), ...rows.map(([a, b, c, d]) => line(a, b, c, verdict(d)))].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean' }, json: { type: 'string' } } });
  const profile: BenchProfile = values.quick ? 'quick' : 'full';
  const results = await runBenchmarks(profile, positionals);
  process.stdout.write(`${table(results)}\n`);
  const file = values.json ?? path.join(import.meta.dirname, 'last-run.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`figures written to ${file}\n`);
  process.exit(0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
