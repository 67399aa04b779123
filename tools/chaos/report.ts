// The chaos run's report as printed by `npm run chaos` and by the chaos test.
import type { ChaosReport } from './run.ts';

export function formatReport(r: ChaosReport): string {
  const entries = (o: Readonly<Record<string, number>>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const lines = [
    `seed ${r.seed}: ${r.iterations} iterations, ${r.kills} kills (${r.midSubmitKills} right after a stack operation was sent), ${r.wipes} state wipes, ${r.ownExits} exits on its own`,
    `churn: ${entries(r.churn)}`,
    `faults: ${entries(r.faults)}`,
    `stacks: ${r.createStacks} created, ${r.deleteStacks} deleted; ${r.settled ? 'settled' : 'did not settle'} after ${(r.settledAfterMs / 1000).toFixed(0)} s`,
    `invariant checks: ${r.checks}, violations: ${r.violations.length}`,
    ...Object.entries(r.checksBy).map(([invariant, n]) => `  ${String(n).padStart(5)}  ${invariant}`),
    ...r.violations.map((v) => `  VIOLATION ${v.invariant}: ${v.detail}`),
  ];
  if (r.violations.length > 0 || r.kept) lines.push(`controller logs and records kept in ${r.dumpDir}; replay with: npm run chaos -- --seed ${r.seed}`);
  return lines.join('\n');
}
