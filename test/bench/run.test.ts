// The benchmark's code path, run once at the smallest size so that it cannot rot. Figures are printed by
// `npm run bench`, never asserted here; what is asserted is what must hold at any size.
import { describe, expect, it } from 'vitest';
import { runBenchmarks, table } from '../../bench/run.ts';

describe('npm run bench (smoke size)', () => {
  it('measures planning, a real controller process and restarts, and prints them as one table', async () => {
    const results = await runBenchmarks('smoke');
    expect(results.plan?.length).toBe(1);
    // Steady state in, steady state out: a correct controller changes nothing at start or on restart.
    expect(results.process?.mutationsAtStart).toBe(0);
    expect(results.process?.reactionDedicatedMs.samples).toBe(1);
    expect(results.restart?.stateKept.updates).toBe(0);
    expect(results.restart?.stateLost.updates).toBe(0);
    const printed = table(results);
    expect(printed).toContain('apply -> CreateStack');
    expect(printed).toContain('state kept');
  }, 240_000);
});
