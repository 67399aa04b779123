// `npm run --silent scenario -- file.yaml`: JSON result on stdout, logs on stderr.
// Exit 0 when the scenario ran, 2 when the file (or its flags) is invalid, 1 on an internal error.
import { ConfigError } from '../../services/config/config-error.ts';
import { loadScenarioFile, ScenarioError } from './scenario-file.ts';
import { runScenario } from './runner.ts';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const verbose = args.includes('--verbose');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) {
    process.stderr.write('usage: npm run --silent scenario -- [--verbose] path/to/scenario.yaml\n');
    return 2;
  }
  try {
    const scenario = loadScenarioFile(files[0]!);
    const result = await runScenario(scenario, verbose ? { log: process.stderr } : {});
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ScenarioError) {
      process.stderr.write(`scenario: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`scenario: flags: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`scenario: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main();
