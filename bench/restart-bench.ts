// A restart with many unchanged stacks: how long until ready, and how many UpdateStacks it sends (none is right),
// once with the state directory kept and once with it lost (every stack re-adopted from its tags).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterWorld } from './cluster-world.ts';
import { startController, startSimHost, waitFor, type SimHost } from './processes.ts';
import { loosenedDefaults } from '../services/aws/throttle/throttle-rules.ts';

export interface RestartBenchResult {
  readonly stacks: number;
  readonly first: { readonly readyMs: number; readonly updates: number };
  readonly stateKept: { readonly readyMs: number; readonly updates: number };
  readonly stateLost: { readonly readyMs: number; readonly updates: number };
}

export async function restartBench(options: { stacks: number }): Promise<RestartBenchResult> {
  // As in the process benchmark: the controller's speed, not AWS's limits.
  const flags = ['--polling-interval=30s', `--aws-api-throttle=${loosenedDefaults(1000)}`];
  // Every ingress dedicated: one stack each.
  const world = clusterWorld({ ingresses: options.stacks, certificates: Math.min(options.stacks, 1000), dedicated: options.stacks, spareCertificates: 0, flags, now: Date.now() });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'kiac-bench-restart-'));
  let sim: SimHost | undefined;
  try {
    sim = await startSimHost(world);
    const run = async () => {
      const from = (await sim!.calls()).length;
      const started = Date.now();
      const controller = await startController(sim!.endpoints, flags, stateDir);
      try {
        await waitFor(async () => ((await fetch(`${controller.url}/readyz`)).ok ? true : undefined), 300_000, 'readiness');
        const readyMs = Date.now() - started;
        const updates = (await sim!.calls(from)).filter((c) => c.action === 'UpdateStack' || c.action === 'CreateStack').length;
        return { readyMs, updates };
      } finally {
        await controller.stop();
      }
    };
    const first = await run();
    const stateKept = await run();
    rmSync(stateDir, { recursive: true, force: true });
    const stateLost = await run();
    return { stacks: world.aws.stacks?.length ?? 0, first, stateKept, stateLost };
  } finally {
    await sim?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
