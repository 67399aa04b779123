// `kube-ingress-aws-controller plan <flags>`: one read-only cycle against the live cluster and AWS account,
// printed as what the controller would create, update or delete, then exit. Wired like ../run.ts (same
// clients, discovery, certificates, parser and planner) minus everything that writes: no stack actors, no
// status writer, no event recorder, no state database, no HTTP server.
import type { KubeConfig } from '@kubernetes/client-node';
import { createAwsClients, type AwsClientOptions, type AwsClients } from '../../aws/clients.ts';
import { ApiThrottle } from '../../aws/throttle/api-throttle.ts';
import { ImdsClient, imdsEndpointFromEnv } from '../../aws/imds.ts';
import { systemClock, type Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import { kubeConfigFor } from '../../kubernetes/kube-config.ts';
import type { Logger } from '../../logger.ts';
import { collectPlan } from './collect-plan.ts';
import { oneLine, PlanOutputFormatError, PlanStageError } from './plan-errors.ts';
import type { PlanReport } from './plan-report.ts';
import { enforceReadOnly } from './read-only-aws.ts';
import { renderJson } from './render-json.ts';
import { renderText } from './render-text.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export type PlanOutputFormat = 'text' | 'json';

/** The same seams services/commands/run.ts offers, so tests reach the simulations exactly as the controller does. */
export interface PlanOverrides {
  readonly aws?: Partial<AwsClientOptions>;
  readonly imdsEndpoint?: string;
  readonly kubeConfig?: KubeConfig;
  /** Environment for AWS_REGION, AWS_EC2_METADATA_SERVICE_ENDPOINT and PLAN_OUTPUT; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Per-request timeout of the Kubernetes calls (default 10 s, as the controller). */
  readonly kubernetesTimeoutMs?: number;
}

export interface RunPlanOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Receives the plan, one line (text) or one document (json) per call; default stdout. */
  readonly out?: (line: string) => void;
  /** Receives the one-line failure; default stderr. */
  readonly err?: (line: string) => void;
  readonly clock?: Clock;
  readonly overrides?: PlanOverrides;
  /** Overrides PLAN_OUTPUT. */
  readonly format?: PlanOutputFormat;
}

const PROGRAM = 'kube-ingress-aws-controller plan';

/** Runs the plan and returns the process exit code: 0 planned, 1 could not read AWS or the cluster, 2 bad PLAN_OUTPUT. */
export async function runPlan(options: RunPlanOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = options.overrides?.env ?? process.env;
  let format: PlanOutputFormat;
  try {
    format = options.format ?? outputFormatFromEnv(env);
  } catch (e) {
    err(`${PROGRAM}: ${oneLine(e)}`);
    return EXIT_USAGE;
  }
  try {
    const report = await planOnce(options);
    if (format === 'json') out(renderJson(report));
    else for (const line of renderText(report)) out(line);
    return EXIT_OK;
  } catch (e) {
    // A stage error already says which side failed; anything else (a refused write included) is a bug.
    err(`${PROGRAM}: ${e instanceof PlanStageError ? e.message : `internal error: ${oneLine(e)}`}`);
    options.logger.debug({ event: 'plan', err: e }, 'plan failed');
    return EXIT_FAILED;
  }
}

export function outputFormatFromEnv(env: Readonly<Record<string, string | undefined>>): PlanOutputFormat {
  const value = (env['PLAN_OUTPUT'] ?? '').trim().toLowerCase();
  if (value === '' || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new PlanOutputFormatError(env['PLAN_OUTPUT'] ?? '');
}

/** The report of one read-only cycle; throws PlanStageError when AWS or the cluster cannot be read. */
export async function planOnce(options: Omit<RunPlanOptions, 'out' | 'err' | 'format'>): Promise<PlanReport> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const overrides = options.overrides ?? {};
  const env = overrides.env ?? process.env;
  const imds = new ImdsClient({ endpoint: overrides.imdsEndpoint ?? imdsEndpointFromEnv(env as NodeJS.ProcessEnv), clock });
  let region: string;
  try {
    region = overrides.aws?.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? (await imds.region());
  } catch (e) {
    throw new PlanStageError('region', e);
  }
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = overrides.kubeConfig ?? kubeConfigFor(config);
  } catch (e) {
    throw new PlanStageError('kubernetes', e);
  }
  // The same client-side rate limits as the controller: plan mode reads every stack's template.
  const throttle = new ApiThrottle({ rules: config.awsApiThrottle, clock: systemClock });
  const clients: AwsClients = createAwsClients({ throttle, ...overrides.aws, region });
  enforceReadOnly(clients);
  try {
    return await collectPlan({
      config, clock, logger, clients, imds, kubeConfig,
      ...(overrides.kubernetesTimeoutMs === undefined ? {} : { kubernetesTimeoutMs: overrides.kubernetesTimeoutMs }),
    });
  } finally {
    clients.destroy();
  }
}
