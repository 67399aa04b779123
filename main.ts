#!/usr/bin/env node
// Entry point: `kube-ingress-aws-controller [plan] <flags>`. Bad flags exit with status 2 and one line naming
// the flag; SIGTERM/SIGINT/SIGQUIT stop the controller gracefully.
import { pino } from 'pino';
import { systemClock } from './services/clock.ts';
import { loadConfigOrExit } from './services/config/cli.ts';
import { createLogger } from './services/logger.ts';
import { startRuntime } from './services/commands/run.ts';

async function main(): Promise<void> {
  const loaded = loadConfigOrExit(process.argv.slice(2), process.env, {
    stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
    stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
    exit: (code) => process.exit(code),
  });
  // Plan mode prints its report on stdout, so its logs go to stderr.
  const logger = loaded.kind === 'plan' ? createLogger(loaded.config, pino.destination(2)) : createLogger(loaded.config);
  for (const w of loaded.warnings) logger.warn({ event: 'config', flag: w.flag }, w.message);

  if (loaded.kind === 'plan') {
    const { runPlan } = await import('./services/commands/plan/plan-command.ts');
    process.exitCode = await runPlan({ config: loaded.config, logger });
    return;
  }

  const runtime = await startRuntime({ config: loaded.config, clock: systemClock, logger, listen: true, defaultMetrics: true });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown', signal }, 'stopping');
    void runtime.stop().then(() => process.exit(0));
  };
  for (const s of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(s, () => stop(s));
}

main().catch((err: unknown) => {
  process.stderr.write(`kube-ingress-aws-controller: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
