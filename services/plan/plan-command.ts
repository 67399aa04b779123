// Placeholder replaced below in this session; kept so main.ts type-checks while plan mode is built.
import type { Config } from '../config/config.ts';
import type { Logger } from '../logger.ts';

export async function runPlan(_options: { config: Config; logger: Logger }): Promise<number> {
  process.stderr.write('kube-ingress-aws-controller: plan mode is not available yet\n');
  return 1;
}
