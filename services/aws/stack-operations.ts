// The contract between stack actors and CloudFormation. Every operation is safe to run twice: xstate re-runs an
// in-flight invocation after a restore, and a crash may land between a call and its persisted result.

import type { StackDocumentLike } from '../planning/template/stack-document.ts';

export type { StackDocumentLike };

/** A stack as CloudFormation reports it right now. */
export interface StackObservation {
  readonly name: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: number | undefined;
  readonly lastUpdatedAt: number | undefined;
  readonly terminationProtection: boolean;
}

export type UpdateOutcome = 'started' | 'no-change';

export interface StackOperations {
  /** CreateStack; an AlreadyExistsException counts as success (the stack is then awaited like a new one). */
  create(name: string, document: StackDocumentLike): Promise<void>;
  /** UpdateStack; "No updates are to be performed." is 'no-change'. A stack still in progress throws StackBusyError. */
  update(name: string, document: StackDocumentLike): Promise<UpdateOutcome>;
  /** Detach target groups from targeted ASGs, lift termination protection, DeleteStack. Idempotent. */
  delete(name: string, targetGroupARNs: readonly string[]): Promise<void>;
  /** ContinueUpdateRollback, for a stack in UPDATE_ROLLBACK_FAILED. */
  continueUpdateRollback(name: string): Promise<void>;
  /** undefined when the stack does not exist (or is DELETE_COMPLETE). */
  describe(name: string): Promise<StackObservation | undefined>;
}

/** The stack is mid-operation; not a failure, the caller waits and retries. */
export class StackBusyError extends Error {
  readonly expected = true;
  constructor(readonly stackName: string, readonly status: string) {
    super(`stack ${stackName} is busy (${status})`);
    this.name = 'StackBusyError';
  }
}

/** AWS throttled us beyond the SDK's own retries; not a failure, the caller waits and retries. */
export class ThrottledError extends Error {
  readonly expected = true;
  constructor(readonly operation: string, cause?: unknown) {
    super(`${operation} throttled`, { cause });
    this.name = 'ThrottledError';
  }
}

/** AWS refused or failed the operation. */
export class StackOperationError extends Error {
  constructor(readonly operation: string, readonly stackName: string, readonly code: string, message: string) {
    super(`${operation} ${stackName}: ${code}: ${message}`);
    this.name = 'StackOperationError';
  }
}

export function isExpectedWait(err: unknown): boolean {
  return err instanceof StackBusyError || err instanceof ThrottledError;
}
