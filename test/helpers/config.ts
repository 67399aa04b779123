// Test configurations come from the real flag parser, so a test's "defaults" are the controller's defaults.
import type { Config } from '../../services/config/config.ts';
import { parseCommandLine } from '../../services/config/parse.ts';

export const TEST_CLUSTER_ID = 'aws:123:eu-central-1:kube-1';

/** The configuration of `--target-access-mode=HostPort --cluster-id=aws:123:eu-central-1:kube-1 --vpc-id=vpc-1`. */
export function configFromFlags(flags: readonly string[] = [], overrides: Partial<Config> = {}): Config {
  const outcome = parseCommandLine(
    ['--target-access-mode=HostPort', `--cluster-id=${TEST_CLUSTER_ID}`, '--vpc-id=vpc-1', '--state-dir=/tmp/state', ...flags],
    {},
  );
  if (outcome.kind !== 'run') throw new Error(`unexpected parse outcome ${outcome.kind}`);
  return { ...outcome.config, ...overrides };
}
