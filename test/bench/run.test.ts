// The benchmark's code path, run once at the smallest size so that it cannot rot. Figures are printed by
// `npm run bench`, never asserted here; what is asserted is what must hold at any size.
import { describe, expect, it } from 'vitest';
import { runBenchmarks, table } from '../../bench/run.ts';

describe('npm run bench (smoke size)', () => {
  it('measures planning, a real controller process, restarts and rate limits, and prints them as one table', async () => {
    const results = await runBenchmarks('smoke');
    expect(results.plan?.length).toBe(1);
    // Steady state in, steady state out: a correct controller changes nothing at start or on restart.
    expect(results.process?.mutationsAtStart).toBe(0);
    expect(results.process?.reactionDedicatedMs.samples).toBe(1);
    expect(results.restart?.stateKept.updates).toBe(0);
    expect(results.restart?.stateLost.updates).toBe(0);
    // Ingresses applied at once: the tightened limits are reached (calls wait) and never exceeded on the call log.
    const creates = results.rates?.families.find((f) => f.family.startsWith('cloudformation:^(CreateStack'));
    expect(creates?.calls).toBeGreaterThan(creates?.burst ?? Infinity);
    expect(results.rates?.throttledCalls).toBeGreaterThan(0);
    expect(results.rates?.families.filter((f) => !f.withinLimit)).toEqual([]);
    const printed = table(results);
    expect(printed).toContain('apply -> CreateStack');
    expect(printed).toContain('state kept');
    expect(printed).toContain('most calls in 1 s');
  }, 240_000);
});
