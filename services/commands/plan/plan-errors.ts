import { ApiException } from '@kubernetes/client-node';
import { awsErrorCode } from '../../aws/errors.ts';
import { describeError } from '../../kubernetes/api-errors.ts';

// Typed failures of plan mode. A stage error is the "could not find out" outcome (exit 1, one line on stderr);
// a read-only violation means plan mode itself tried to change something, which must never reach the wire.

export type PlanStage = 'region' | 'discovery' | 'certificates' | 'stacks' | 'kubernetes' | 'alarms';

const STAGE_TEXT: Readonly<Record<PlanStage, string>> = {
  region: 'cannot determine the AWS region',
  discovery: 'AWS discovery failed',
  certificates: 'cannot load certificates from ACM/IAM',
  stacks: 'cannot read CloudFormation stacks',
  kubernetes: 'cannot read the cluster',
  alarms: 'cannot read the CloudWatch alarms ConfigMap',
};

export class PlanStageError extends Error {
  override readonly name = 'PlanStageError';
  /** `where`: the endpoint that failed, when it helps (the API server URL). */
  constructor(readonly stage: PlanStage, cause: unknown, where?: string) {
    super(`${STAGE_TEXT[stage]}${where ? ` at ${where}` : ''}: ${oneLine(cause)}`, { cause });
  }
}

export class ReadOnlyViolationError extends Error {
  override readonly name = 'ReadOnlyViolationError';
  constructor(readonly target: 'aws' | 'kubernetes', readonly operation: string) {
    super(`plan mode refused the mutating ${target === 'aws' ? 'AWS call' : 'Kubernetes request'} ${operation}`);
  }
}

/** PLAN_OUTPUT holds something other than `text` or `json`. */
export class PlanOutputFormatError extends Error {
  override readonly name = 'PlanOutputFormatError';
  constructor(readonly value: string) {
    super(`PLAN_OUTPUT must be "text" or "json", got ${JSON.stringify(value)}`);
  }
}

// SDK errors do not say which operation failed; the read-only guard sees it and notes it here, keyed by the
// error object itself, so the errors reach the code that classifies them unchanged.
const failedCommands = new WeakMap<object, string>();

export function rememberFailedCommand(err: unknown, command: string): void {
  if (typeof err === 'object' && err !== null && !failedCommands.has(err)) failedCommands.set(err, command);
}

/** The message of an error and its causes on one line: stderr gets exactly one line per failure. */
export function oneLine(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const message = describeOne(current);
    if (message !== '' && !parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ').replace(/\s*\n\s*/g, ' ');
}

function describeOne(err: unknown): string {
  // The Kubernetes client's own message dumps headers and the raw body; the Status message is what matters.
  if (err instanceof ApiException) return describeError(err);
  const command = typeof err === 'object' && err !== null ? failedCommands.get(err) : undefined;
  const message = err instanceof Error ? err.message || err.name : String(err);
  return command === undefined ? message : `${command}: ${awsErrorCode(err)}: ${message}`;
}
