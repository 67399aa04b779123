// `npm run bench [-- name ...]`: runs the benchmarks (all, or those named) one after another and prints their
// figures. Benchmarks only report; timings depend on the machine, so nothing here passes or fails on them.
import { simLatency } from './sim-latency.ts';

export interface BenchmarkResult {
  /** What was measured, in one line. */
  description: string;
  /** Label -> value with its unit, in print order. */
  figures: Record<string, string>;
}

const benchmarks: Record<string, () => Promise<BenchmarkResult>> = {
  'sim-latency': simLatency,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !Object.hasOwn(benchmarks, name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(benchmarks).join(', ')})\n`);
    process.exit(2);
  }
  for (const [name, run] of Object.entries(benchmarks)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const result = await run();
    const width = Math.max(...Object.keys(result.figures).map((label) => label.length));
    process.stdout.write(`${name}: ${result.description}\n`);
    for (const [label, value] of Object.entries(result.figures)) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
  }
}

await main();
