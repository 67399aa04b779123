// `npm run chaos [-- --seed N] [-- --duration 120s] [-- --settle-timeout 150s]`: one chaos run (run.ts) with its
// seed printed first, so a failing run can be replayed; exits 1 when an invariant was violated.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseGoDuration } from '../../services/config/duration.ts';
import { formatReport } from './report.ts';
import { runChaos } from './run.ts';

function fail(message: string): never {
  process.stderr.write(`chaos: ${message}\n`);
  process.exit(2);
}

function duration(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = parseGoDuration(value);
  } catch {
    ms = Number.NaN;
  }
  if (!(ms > 0)) fail(`--${flag}: not a positive duration: ${value}`);
  return ms;
}

async function main(): Promise<void> {
  let values: { seed?: string | undefined; duration?: string | undefined; 'settle-timeout'?: string | undefined; keep?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { seed: { type: 'string' }, duration: { type: 'string' }, 'settle-timeout': { type: 'string' }, keep: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  const seed = values.seed === undefined ? randomInt(1, 2 ** 31) : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) fail(`--seed: not a non-negative integer: ${values.seed}`);
  const durationMs = duration('duration', values.duration, 120_000);
  const settleTimeoutMs = duration('settle-timeout', values['settle-timeout'], 150_000);
  process.stdout.write(`chaos: seed ${seed} (replay: npm run chaos -- --seed ${seed} --duration ${durationMs / 1000}s)\n`);
  const report = await runChaos({ seed, durationMs, settleTimeoutMs, keep: values.keep === true, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`${formatReport(report)}\n`);
  process.exit(report.violations.length > 0 ? 1 : 0);
}

await main();
