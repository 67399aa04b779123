// `npm run bench [-- --quick] [-- --json FILE] [-- plan|process|restart ...]`: measures the controller (pure
// planning, and the real controller process against the simulations) and prints one table; the figures are
// also written as JSON (bench/last-run.json unless --json says otherwise). Nothing here passes or fails on a
// figure: targets are printed beside the measurements.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { planBench, type PlanBenchCase, type PlanBenchResult } from './plan-bench.ts';
import { processBench, type ProcessBenchOptions, type ProcessBenchResult } from './process-bench.ts';
import { buildController } from './processes.ts';
import { restartBench, type RestartBenchResult } from './restart-bench.ts';

export type BenchProfile = 'full' | 'quick' | 'smoke';

interface Sizes {
  readonly plan: readonly PlanBenchCase[];
  readonly process: ProcessBenchOptions;
  readonly restartStacks: number;
}

const SIZES: Record<BenchProfile, Sizes> = {
  full: {
    plan: [1_000, 10_000].flatMap((ingresses) => [100, 1_000].flatMap((certificates) => [true, false].map((shared) => ({ ingresses, certificates, shared })))),
    process: { ingresses: 10_000, certificates: 1_000, dedicated: 500, changes: 20, pollingIntervalSeconds: 30 },
    restartStacks: 1_000,
  },
  quick: {
    plan: [{ ingresses: 1_000, certificates: 100, shared: true }, { ingresses: 1_000, certificates: 100, shared: false }],
    process: { ingresses: 1_000, certificates: 100, dedicated: 20, changes: 3, pollingIntervalSeconds: 5 },
    restartStacks: 50,
  },
  smoke: {
    plan: [{ ingresses: 200, certificates: 20, shared: true }],
    process: { ingresses: 200, certificates: 20, dedicated: 5, changes: 1, pollingIntervalSeconds: 2 },
    restartStacks: 5,
  },
};

export interface BenchResults {
  readonly profile: BenchProfile;
  plan?: PlanBenchResult[];
  process?: ProcessBenchResult;
  restart?: RestartBenchResult;
}

export async function runBenchmarks(profile: BenchProfile, only: readonly string[] = []): Promise<BenchResults> {
  const sizes = SIZES[profile];
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const results: BenchResults = { profile };
  if (wanted('plan')) results.plan = planBench(sizes.plan);
  if (wanted('process') || wanted('restart')) buildController();
  if (wanted('process')) results.process = await processBench(sizes.process);
  if (wanted('restart')) results.restart = await restartBench({ stacks: sizes.restartStacks });
  return results;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

export function table(results: BenchResults): string {
  const rows: [string, string, string][] = [];
  for (const p of results.plan ?? []) {
    const label = `plan ${p.ingresses} ingresses x ${p.certificates} certificates, ${p.shared ? 'shared' : 'not shared'} (${p.stacks} stacks)`;
    const big = p.ingresses >= 10_000 && p.certificates >= 1_000;
    rows.push([`${label}: full`, ms(p.fullMs), big ? '<= 250 ms' : '']);
    rows.push([`${label}: one ingress changed`, ms(p.changeMs), big ? '<= 20 ms' : '']);
  }
  const r = results.process;
  if (r) {
    const at = `process (${r.stacks} stacks)`;
    rows.push([`${at}: ready after start`, ms(r.readyMs), '<= 30 s']);
    rows.push([`${at}: mutating calls at start (steady state)`, String(r.mutationsAtStart), '0']);
    rows.push([`${at}: RSS max`, `${r.rssMaxMB.toFixed(0)} MB`, '<= 300 MB']);
    rows.push([`${at}: event-loop delay max, start-up / running`, `${ms(r.eventLoopMaxMs.startUp)} / ${ms(r.eventLoopMaxMs.running)}`, '<= 100 ms']);
    rows.push([`${at}: event-loop delay p99 (running, worst interval)`, ms(r.eventLoopP99Ms), '']);
    rows.push([`${at}: /healthz max, start-up / running`, `${ms(r.healthzMaxMs.startUp)} / ${ms(r.healthzMaxMs.running)}`, '<= 200 ms']);
    rows.push([`${at}: apply -> CreateStack (dedicated) p50 / p99 (${r.reactionDedicatedMs.samples})`, `${ms(r.reactionDedicatedMs.p50)} / ${ms(r.reactionDedicatedMs.p99)}`, 'p99 <= 1 s']);
    rows.push([`${at}: apply -> UpdateStack (shared) p50 / p99 (${r.reactionSharedMs.samples})`, `${ms(r.reactionSharedMs.p50)} / ${ms(r.reactionSharedMs.p99)}`, 'p99 <= 1 s']);
    rows.push([`${at}: AWS reads before the mutating call, per change (${r.changesWithoutResync} without a resync)`, r.readsBeforeMutationPerChange.toFixed(1), '0']);
    rows.push([`${at}: AWS reads per change, until it is served`, r.readsPerChange.toFixed(1), '']);
    rows.push([`${at}: Kubernetes writes per change`, r.kubernetesWritesPerChange.toFixed(1), '']);
    const scan = r.idleResyncReads['cloudformation:DescribeStacks'] ?? 0;
    const lbs = r.idleResyncReads['elasticloadbalancing:DescribeLoadBalancers'] ?? 0;
    const others = Object.values(r.idleResyncReads).reduce((a, b) => a + b, 0) - scan - lbs;
    rows.push([`${at}: AWS reads in one idle polling interval`, `${scan} DescribeStacks + ${lbs} DescribeLoadBalancers + ${others} others`,
      `1 scan (${Math.ceil(r.stacks / 50)} pages) + ${Math.ceil(r.stacks / 20)} + 10`]);
  }
  const s = results.restart;
  if (s) {
    rows.push([`restart (${s.stacks} stacks): first start, ready / UpdateStack+CreateStack`, `${ms(s.first.readyMs)} / ${s.first.updates}`, '']);
    rows.push([`restart (${s.stacks} stacks): state kept, ready / UpdateStack+CreateStack`, `${ms(s.stateKept.readyMs)} / ${s.stateKept.updates}`, '<= 10 s / 0']);
    rows.push([`restart (${s.stacks} stacks): state lost, ready / UpdateStack+CreateStack`, `${ms(s.stateLost.readyMs)} / ${s.stateLost.updates}`, '0 updates']);
  }
  const w = [Math.max(...rows.map((x) => x[0].length)), Math.max(...rows.map((x) => x[1].length))];
  return [`${'figure'.padEnd(w[0]!)}  ${'measured'.padEnd(w[1]!)}  target`, ...rows.map(([a, b, c]) => `${a.padEnd(w[0]!)}  ${b.padEnd(w[1]!)}  ${c}`)].join('\n');
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
