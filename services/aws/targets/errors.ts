// Typed failures of the target synchronisation. Per-ASG and per-target-group errors never surface as
// exceptions (they become problems in the summary); only the describes every later step depends on do.
import { awsErrorCode, awsErrorMessage } from '../errors.ts';

/** A describe call the whole cycle depends on failed; nothing was changed. */
export class TargetSyncError extends Error {
  /** The AWS action that failed, e.g. DescribeInstances. */
  readonly operation: string;
  /** The AWS wire error code of the cause ('Unknown' for non-AWS errors). */
  readonly code: string;

  constructor(operation: string, cause: unknown, message?: string) {
    super(message ?? `${operation} failed: ${awsErrorMessage(cause)}`, { cause });
    this.name = 'TargetSyncError';
    this.operation = operation;
    this.code = awsErrorCode(cause);
  }
}

export interface DetachFailure {
  readonly autoScalingGroup: string;
  readonly targetGroupARNs: readonly string[];
  readonly error: unknown;
}

/**
 * Detaching a stack's target groups before DeleteStack failed for at least one ASG. The other ASGs were still
 * handled; the caller should not delete the stack this cycle (upstream aborts the delete too).
 */
export class TargetGroupDetachError extends TargetSyncError {
  readonly failures: readonly DetachFailure[];

  constructor(failures: readonly DetachFailure[]) {
    const first = failures[0];
    const list = failures.map((f) => `${f.autoScalingGroup}: ${awsErrorMessage(f.error)}`).join('; ');
    super('DetachLoadBalancerTargetGroups', first?.error, `failed to detach target groups from auto scaling groups: ${list}`);
    this.name = 'TargetGroupDetachError';
    this.failures = failures;
  }
}
