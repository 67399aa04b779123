// Pure planning time: the whole plan from a cold start (new certificate list, empty document memo) and the plan
// after one ingress changed (the memo warm), for clusters of several sizes.
import { Planner } from '../services/planning/cycle-plan.ts';
import { planningWorld } from './planning-world.ts';

export interface PlanBenchCase {
  readonly ingresses: number;
  readonly certificates: number;
  readonly shared: boolean;
}

export interface PlanBenchResult extends PlanBenchCase {
  readonly stacks: number;
  readonly fullMs: number;
  /** Median over several one-ingress changes. */
  readonly changeMs: number;
}

export function planBench(cases: readonly PlanBenchCase[], changes = 9): PlanBenchResult[] {
  return cases.map((c) => {
    const world = planningWorld({ ingresses: c.ingresses, certificates: c.certificates, dedicated: c.shared ? 0 : 1 });
    const planner = new Planner();
    // A fresh certificate list: its index and best-match memo are built during the measured plan.
    const input = { ...world.input, certificates: [...world.input.certificates] };
    const started = performance.now();
    planner.plan(input);
    const fullMs = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < changes; i++) {
      const changed = { ...world.changeOne((i * 7919) % c.ingresses), certificates: input.certificates };
      const t = performance.now();
      planner.plan(changed);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { ...c, stacks: world.input.stacks.length, fullMs, changeMs: times[Math.floor(times.length / 2)]! };
  });
}
