// One xstate actor per CloudFormation stack. It does not decide what the stack should be (the supervisor's plan
// does); it drives the stack to the latest target through CloudFormation and remembers, durably, where it is.
//
// The chart: `settling` (transient) picks the next step from the target; `creating`, `updating` and `deleting`
// are the same three-step operation (submit, wait, poll) built by operationState(); `active`, `draining` and
// `failed` wait for the next target (or a deadline); `deleted` is final.
//
// Persistence rules (see library notes): pending `after` timers are not restored and in-flight invocations are
// re-run on restore. So every deadline lives in context as an absolute time, waiting states re-arm their timer
// on RESUME, and every invoked operation is idempotent (StackOperations).
import { assign, fromPromise, setup } from 'xstate';
import { backoffDelay } from '../services/backoff.ts';
import type { Clock } from '../services/clock.ts';
import {
  isExpectedWait, type StackDocumentLike, type StackObservation, type StackOperations, type UpdateOutcome,
} from '../services/aws/stack-operations.ts';
import { isInProgressStatus } from '../services/planning/stack-contract.ts';
import { documentsEqual } from '../services/planning/template/stack-document.ts';

/**
 * Bumped whenever a persisted snapshot of an older machine would no longer restore into the same meaning
 * (renamed states, changed context). Snapshots of older versions are migrated (stack-snapshots.ts) or dropped
 * and the stack re-adopted from AWS.
 */
export const STACK_MACHINE_VERSION = 3;

export type StackIntent = 'create' | 'update' | 'ready' | 'delete';

/** The lifecycle phase an operator sees: the top-level state. */
export type StackPhase = 'settling' | 'creating' | 'active' | 'updating' | 'recovering' | 'draining' | 'deleting' | 'deleted' | 'failed';

/** What the supervisor wants for this stack right now. */
export interface StackTarget {
  readonly intent: StackIntent;
  readonly document: StackDocumentLike;
  /** Absolute time after which the stack may be deleted (all certificate TTLs passed); null while in use. */
  readonly drainDeadline: number | null;
  /** Target groups to detach from Auto Scaling groups before deletion. */
  readonly targetGroupARNs: readonly string[];
}

export interface StackActorContext {
  readonly stackName: string;
  target: StackTarget | undefined;
  /** The document known to be live in CloudFormation (undefined: never created). */
  applied: StackDocumentLike | undefined;
  /** The document submitted and not yet confirmed: exactly what was sent, whatever targets arrive meanwhile. */
  inFlight: StackDocumentLike | undefined;
  /** CloudFormation took the last submitted operation (false after a throttled or busy answer). */
  accepted: boolean;
  /** The current target's update intent has been acted on (an update completed or needed no change). */
  satisfied: boolean;
  status: string;
  statusReason: string;
  outputs: Record<string, string>;
  drainDeadline: number | null;
  pollAt: number | null;
  retryAt: number | null;
  attempts: number;
  lastError: string | null;
  /** The operation whose failure put the actor in `failed` (null otherwise). */
  failedOperation: OperationName | null;
}

export interface StackActorInput {
  stackName: string;
  target?: StackTarget;
  /** For an adopted stack: what is live now. */
  applied?: StackDocumentLike;
  observed?: StackObservation;
}

export type StackActorEvent =
  | { type: 'DESIRED'; target: StackTarget }
  /** Sent once after a restore: re-arms the timer of the state the actor was persisted in. */
  | { type: 'RESUME' }
  /** The stack is no longer listed by CloudFormation although the actor believes it exists. */
  | { type: 'GONE' };

export interface StackMachineDeps {
  readonly operations: StackOperations;
  readonly clock: Clock;
  /** How often an operation in progress is checked. */
  readonly pollIntervalMs: number;
  /** First retry delay after a failure; doubles per attempt up to maxRetryDelayMs. */
  readonly retryBaseMs: number;
  readonly maxRetryDelayMs: number;
  /** Called when a deadline of this stack passed, so the supervisor re-plans (it alone decides deletions). */
  readonly wake: (stackName: string, reason: string) => void;
}

/** xstate tags: `busy` while an AWS call of the actor is outstanding, `awaiting` while CloudFormation works. */
export const BUSY_TAG = 'busy';
export const AWAITING_TAG = 'awaiting';

/** The first multiple of `interval` at or after `at`. */
const nextGridPoint = (at: number, interval: number): number => (interval > 0 ? Math.ceil(at / interval) * interval : at);

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type PollResult = { kind: 'observed'; stack: StackObservation } | { kind: 'missing' };

/** Done-events of invoked actors are not part of the declared event union, hence this narrowing. */
const pollOutput = (event: unknown): PollResult | undefined => (event as { output?: PollResult }).output;
const observedStatus = (event: unknown): string | undefined => {
  const output = pollOutput(event);
  return output?.kind === 'observed' ? output.stack.status : undefined;
};

/** `continue` is ContinueUpdateRollback, for a stack whose update rollback failed. */
export type OperationName = 'create' | 'update' | 'delete' | 'continue';

/** The one invoked submit call: CreateStack, UpdateStack or DeleteStack (with the detach before it). */
export interface SubmitInput {
  readonly operation: OperationName;
  readonly name: string;
  /** What create and update send; unset for delete. */
  readonly document: StackDocumentLike | undefined;
  readonly targetGroupARNs: readonly string[];
}

/** A transition of an operation's poll or submit outcome, in the chart's own names. */
interface OperationTransition {
  readonly guard?: GuardName | { readonly type: 'statusIs'; readonly params: { readonly status: string } };
  readonly target: string;
  readonly reenter?: boolean;
  readonly actions?: readonly ActionName[];
}

interface OperationSpec {
  readonly operation: OperationName;
  readonly entry?: ActionName;
  /** After the submit call answered (before the generic "accepted, now wait"). */
  readonly submitted: readonly OperationTransition[];
  /** Poll outcomes checked first, before "still in progress". */
  readonly beforeGeneric: readonly OperationTransition[];
  /** Taken when CloudFormation never took the submit (throttled or busy): submit again. */
  readonly resubmit: OperationTransition;
  /** Poll outcomes checked after the resubmit rule, before the operation counts as failed. */
  readonly afterResubmit?: readonly OperationTransition[];
  /** Extra actions whenever the operation fails. */
  readonly failActions: readonly ActionName[];
}

type GuardName = 'notAccepted' | 'expectedWait' | 'noChangeNeeded' | 'stackMissing' | 'stackInProgress';
type ActionName = 'observe' | 'schedulePoll' | 'accept' | 'beginSubmit' | 'confirmApplied' | 'dropInFlight'
  | 'forgetStack' | 'clearFailure' | 'markDeleted'
  | { readonly type: 'recordFailure'; readonly params: { readonly message: string; readonly operation: OperationName } }
  | { readonly type: 'recordFailedPoll'; readonly params: { readonly operation: OperationName } };

const FAILURE_VERB: Readonly<Record<OperationName, string>> = { create: 'create', update: 'update', delete: 'delete', continue: 'continue rollback' };

const failedPoll = (operation: OperationName) => ({ type: 'recordFailedPoll', params: { operation } }) as const;

/** The operation reached its goal: what was sent is what is live. */
const settled = (status: string): OperationTransition => ({
  guard: { type: 'statusIs', params: { status } }, target: '#stack.settling', actions: ['observe', 'confirmApplied', 'clearFailure'],
});

export function createStackMachine(deps: StackMachineDeps) {
  const now = () => deps.clock.now();
  const until = (at: number | null) => (at === null ? 0 : Math.max(0, at - now()));
  const retryDelay = (attempts: number) => backoffDelay(attempts, { initialMs: deps.retryBaseMs, maxMs: deps.maxRetryDelayMs });
  // Every way into `failed` counts one attempt and sets the retry time; re-entering it on RESUME does not.
  const failure = (context: StackActorContext, lastError: string, operation: OperationName | null) => ({
    lastError, attempts: context.attempts + 1, retryAt: now() + retryDelay(context.attempts + 1), failedOperation: operation,
  });

  const machine = setup({
    types: {
      context: {} as StackActorContext,
      events: {} as StackActorEvent,
      input: {} as StackActorInput,
    },
    actors: {
      submit: fromPromise<UpdateOutcome, SubmitInput>(async ({ input }) => {
        if (input.operation === 'update') return deps.operations.update(input.name, input.document!);
        if (input.operation === 'create') await deps.operations.create(input.name, input.document!);
        else if (input.operation === 'continue') await deps.operations.continueUpdateRollback(input.name);
        else await deps.operations.delete(input.name, input.targetGroupARNs);
        return 'started';
      }),
      describeStack: fromPromise<PollResult, { name: string }>(async ({ input }) => {
        const stack = await deps.operations.describe(input.name);
        return stack ? { kind: 'observed', stack } : { kind: 'missing' };
      }),
    },
    delays: {
      untilPoll: ({ context }) => until(context.pollAt),
      untilRetry: ({ context }) => until(context.retryAt),
      untilDrainDeadline: ({ context }) => until(context.drainDeadline),
      untilTargetDrain: ({ context }) => until(context.target?.drainDeadline ?? null),
    },
    guards: {
      noTarget: ({ context }) => context.target === undefined,
      wantsDelete: ({ context }) => context.target?.intent === 'delete',
      neverCreated: ({ context }) => context.applied === undefined,
      differs: ({ context }) => !!context.target && !documentsEqual(context.target.document, context.applied),
      // The plan found the live stack out of sync although our document did not change: edited out of band.
      forcedUpdate: ({ context }) => context.target?.intent === 'update' && !context.satisfied,
      draining: ({ context }) => context.target?.drainDeadline != null,
      retryDue: ({ context }) => context.retryAt === null || now() >= context.retryAt,
      // A drain whose update failed still ends at the deadline it was given: deletion does not wait for a retry.
      drainDeleteDue: ({ context, event }) => event.type === 'DESIRED' && event.target.intent === 'delete' && context.failedOperation === 'update',
      // The deletion was decided while the failing update (or its continued rollback) was still in flight: it
      // is due now, not after another failed attempt that would start a fresh drain.
      heldDrainDelete: ({ context }) => context.target?.intent === 'delete' && context.failedOperation === 'update',
      hasTargetDrain: ({ context }) => context.target?.drainDeadline != null,
      // Adopted while CloudFormation works on it (a lost state directory, a stack of the Go controller).
      adoptedCreating: ({ context }) => context.target === undefined && ['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'].includes(context.status),
      adoptedUpdating: ({ context }) => context.target === undefined && context.status.startsWith('UPDATE_') && isInProgressStatus(context.status),
      // A create rolled back with its resources removed: nothing can update it, it can only go.
      rolledBack: ({ context }) => context.status === 'ROLLBACK_COMPLETE',
      rollbackFailed: ({ context }) => context.status === 'UPDATE_ROLLBACK_FAILED',
      notAccepted: ({ context }) => !context.accepted,
      expectedWait: ({ event }) => isExpectedWait((event as { error?: unknown }).error),
      noChangeNeeded: ({ event }) => (event as { output?: UpdateOutcome }).output === 'no-change',
      stackMissing: ({ event }) => pollOutput(event)?.kind === 'missing',
      stackInProgress: ({ event }) => {
        const status = observedStatus(event);
        return status !== undefined && isInProgressStatus(status);
      },
      statusIs: ({ event }, params: { status: string }) => observedStatus(event) === params.status,
    },
    actions: {
      storeTarget: assign({ target: ({ event }) => (event.type === 'DESIRED' ? event.target : undefined), satisfied: false }),
      // Polls fall on a shared grid of the poll interval, so that stacks in progress at the same time are asked
      // together (one scan answers them all) instead of each on its own schedule.
      schedulePoll: assign({ pollAt: () => nextGridPoint(now() + deps.pollIntervalMs / 2, deps.pollIntervalMs) }),
      accept: assign({ accepted: true }),
      // What is submitted is fixed when the operation starts; later targets wait for it to finish.
      beginSubmit: assign({ inFlight: ({ context }) => context.target?.document }),
      expectAnswer: assign({ accepted: false }),
      adoptRunning: assign({ accepted: true, pollAt: () => nextGridPoint(now() + deps.pollIntervalMs / 2, deps.pollIntervalMs) }),
      confirmApplied: assign({ applied: ({ context }) => context.inFlight ?? context.applied, inFlight: undefined, satisfied: true }),
      dropInFlight: assign({ inFlight: undefined }),
      forgetStack: assign({ applied: undefined, inFlight: undefined }),
      clearFailure: assign({ attempts: 0, retryAt: null, lastError: null, failedOperation: null }),
      markDraining: assign({ drainDeadline: ({ context }) => context.target?.drainDeadline ?? null }),
      clearDraining: assign({ drainDeadline: null }),
      markDeleted: assign({ status: 'DELETE_COMPLETE', statusReason: '' }),
      wakeForDrain: ({ context }) => deps.wake(context.stackName, 'drain deadline reached'),
      wakeForRetry: ({ context }) => deps.wake(context.stackName, 'retry due'),
      observe: assign(({ event }) => {
        const output = pollOutput(event);
        if (!output || output.kind !== 'observed') return {};
        return { status: output.stack.status, statusReason: output.stack.statusReason, outputs: { ...output.stack.outputs } };
      }),
      // An empty message takes the error of the invocation that failed.
      recordFailure: assign(({ context, event }, params: { message: string; operation: OperationName }) =>
        failure(context, params.message || errorText((event as { error?: unknown }).error), params.operation)),
      recordFailedPoll: assign(({ context }, params: { operation: OperationName }) =>
        failure(context, `${FAILURE_VERB[params.operation]} failed: ${context.status} ${context.statusReason}`.trim(), params.operation)),
      // Recreated at once (the retry is due now): an ingress must not wait a backoff for a load balancer that
      // someone else deleted.
      recordGone: assign(({ context }) => ({
        ...failure(context, 'stack was deleted outside the controller', null), retryAt: now(), applied: undefined, inFlight: undefined, status: 'DELETE_COMPLETE',
      })),
      recordGoneWhileFailed: assign({ applied: undefined, inFlight: undefined, status: 'DELETE_COMPLETE', lastError: 'stack was deleted outside the controller' }),
    },
  });

  type StateConfig = NonNullable<Parameters<typeof machine.createMachine>[0]['states']>[string];

  /** One operation state: submit the document, then wait and poll until CloudFormation settles the stack. */
  const operationState = (spec: OperationSpec): StateConfig => ({
    ...(spec.entry ? { entry: spec.entry } : {}),
    initial: 'submitting',
    states: {
      submitting: {
        tags: [BUSY_TAG],
        invoke: {
          src: 'submit',
          input: ({ context }: { context: StackActorContext }): SubmitInput => ({
            operation: spec.operation, name: context.stackName, document: context.inFlight, targetGroupARNs: context.target?.targetGroupARNs ?? [],
          }),
          onDone: [...spec.submitted, { target: 'waiting', actions: ['accept', 'schedulePoll'] }],
          onError: [
            // Busy or throttled: wait for the stack to settle, then re-evaluate against the latest target.
            { guard: 'expectedWait', target: 'waiting', actions: ['schedulePoll'] },
            { target: '#stack.failed', actions: [...spec.failActions, { type: 'recordFailure', params: { message: '', operation: spec.operation } }] },
          ],
        },
        entry: 'expectAnswer',
      },
      waiting: {
        tags: [AWAITING_TAG],
        after: { untilPoll: 'polling' },
        on: { RESUME: { target: 'waiting', reenter: true } },
      },
      polling: {
        tags: [BUSY_TAG, AWAITING_TAG],
        invoke: {
          src: 'describeStack',
          input: ({ context }: { context: StackActorContext }) => ({ name: context.stackName }),
          onDone: [
            ...spec.beforeGeneric,
            { guard: 'stackInProgress', target: 'waiting', actions: ['observe', 'schedulePoll'] },
            { ...spec.resubmit, guard: 'notAccepted' },
            ...(spec.afterResubmit ?? []),
            { target: '#stack.failed', actions: ['observe', ...spec.failActions, failedPoll(spec.operation)] },
          ],
          // A describe that failed (throttled, network): look again later.
          onError: { target: 'waiting', actions: ['schedulePoll'] },
        },
      },
    },
  });

  return machine.createMachine({
    id: 'stack',
    context: ({ input }) => ({
      stackName: input.stackName,
      target: input.target,
      applied: input.applied,
      inFlight: undefined,
      accepted: false,
      satisfied: false,
      status: input.observed?.status ?? '',
      statusReason: input.observed?.statusReason ?? '',
      outputs: { ...(input.observed?.outputs ?? {}) },
      drainDeadline: null,
      pollAt: null,
      retryAt: null,
      attempts: 0,
      lastError: null,
      failedOperation: null,
    }),
    initial: 'settling',
    states: {
      // Transient: pick the state that moves the stack toward the target.
      settling: {
        always: [
          { guard: 'adoptedCreating', target: 'creating.waiting', actions: 'adoptRunning' },
          { guard: 'adoptedUpdating', target: 'updating.waiting', actions: 'adoptRunning' },
          { guard: 'rolledBack', target: 'deleting' },
          { guard: 'rollbackFailed', target: 'recovering' },
          { guard: 'wantsDelete', target: 'deleting' },
          { guard: 'noTarget', target: 'active' },
          { guard: 'neverCreated', target: 'creating' },
          { guard: 'differs', target: 'updating' },
          { guard: 'forcedUpdate', target: 'updating' },
          { guard: 'draining', target: 'draining' },
          { target: 'active' },
        ],
      },

      creating: {
        ...operationState({
          operation: 'create',
          entry: 'beginSubmit',
          submitted: [],
          beforeGeneric: [
            // CREATE_FAILED is not final: with OnFailure=DELETE the stack rolls itself away next. Retrying before
            // it is gone would only meet the old stack (AlreadyExists) and fail again.
            { guard: { type: 'statusIs', params: { status: 'CREATE_FAILED' } }, target: 'waiting', actions: ['observe', 'schedulePoll'] },
            // Complete is complete, even if the submit looked throttled: an earlier attempt did create it.
            settled('CREATE_COMPLETE'),
            // Rolled away (OnFailure=DELETE): a new create follows the backoff; rolled back in place
            // (OnFailure=ROLLBACK, not ours): the dead stack is deleted first.
            { guard: 'stackMissing', target: '#stack.failed', actions: ['forgetStack', failedPoll('create')] },
            { guard: { type: 'statusIs', params: { status: 'ROLLBACK_COMPLETE' } }, target: '#stack.deleting', actions: ['observe'] },
          ],
          resubmit: { target: '#stack.settling', actions: ['observe', 'dropInFlight'] },
          failActions: ['dropInFlight'],
        }),
        on: { DESIRED: { actions: 'storeTarget' } },
      },

      active: {
        // Settled means no failure any more, however it got here (the next failure starts its backoff afresh).
        entry: ['clearDraining', 'clearFailure'],
        on: { DESIRED: { target: 'settling', actions: 'storeTarget' }, GONE: { target: 'failed', actions: 'recordGone' } },
      },

      draining: {
        entry: ['markDraining', 'clearFailure'],
        after: { untilDrainDeadline: { actions: 'wakeForDrain' } },
        on: {
          DESIRED: { target: 'settling', actions: 'storeTarget' },
          RESUME: { target: 'draining', reenter: true },
          GONE: { target: 'failed', actions: 'recordGone' },
        },
      },

      updating: {
        ...operationState({
          operation: 'update',
          entry: 'beginSubmit',
          submitted: [{ guard: 'noChangeNeeded', target: '#stack.settling', actions: ['confirmApplied', 'clearFailure'] }],
          beforeGeneric: [
            { guard: 'stackMissing', target: '#stack.failed', actions: ['forgetStack', { type: 'recordFailure', params: { message: 'stack disappeared during update', operation: 'update' } }] },
            // The rollback itself failed: CloudFormation waits for ContinueUpdateRollback.
            { guard: { type: 'statusIs', params: { status: 'UPDATE_ROLLBACK_FAILED' } }, target: '#stack.recovering', actions: ['observe', 'dropInFlight'] },
          ],
          // Only an update CloudFormation took can have completed: an UPDATE_COMPLETE of an earlier one is not ours.
          afterResubmit: [settled('UPDATE_COMPLETE')],
          resubmit: { target: '#stack.settling', actions: ['observe', 'dropInFlight'] },
          failActions: ['dropInFlight'],
        }),
        on: { DESIRED: { actions: 'storeTarget' } },
      },

      // ContinueUpdateRollback, then the failed update counts as failed (its reason kept) and is retried later.
      recovering: operationState({
        operation: 'continue',
        submitted: [],
        beforeGeneric: [
          { guard: { type: 'statusIs', params: { status: 'UPDATE_ROLLBACK_COMPLETE' } }, target: '#stack.failed', actions: ['observe', failedPoll('update')] },
        ],
        resubmit: { target: '#stack.recovering', reenter: true, actions: ['observe'] },
        failActions: [],
      }),

      // A deletion is final once submitted: an ingress that comes back gets a new load balancer.
      deleting: operationState({
        operation: 'delete',
        submitted: [],
        beforeGeneric: [{ guard: 'stackMissing', target: '#stack.deleted', actions: ['markDeleted'] }],
        // The delete was throttled or the stack was busy: it is still wanted, so submit it again.
        resubmit: { target: '#stack.deleting', reenter: true, actions: ['observe'] },
        failActions: [],
      }),

      failed: {
        always: { guard: 'heldDrainDelete', target: 'settling' },
        after: {
          untilRetry: { actions: 'wakeForRetry' },
          untilTargetDrain: { guard: 'hasTargetDrain', actions: 'wakeForDrain' },
        },
        on: {
          DESIRED: [
            { guard: 'drainDeleteDue', target: 'settling', actions: 'storeTarget' },
            { guard: 'retryDue', target: 'settling', actions: 'storeTarget' },
            { actions: 'storeTarget' },
          ],
          RESUME: { target: 'failed', reenter: true },
          GONE: { actions: 'recordGoneWhileFailed' },
        },
      },

      deleted: { type: 'final' },
    },
  });
}

export type StackMachine = ReturnType<typeof createStackMachine>;

const PHASES: ReadonlySet<string> = new Set<StackPhase>(['settling', 'creating', 'active', 'updating', 'recovering', 'draining', 'deleting', 'deleted', 'failed']);

/** The lifecycle phase of a state value (the top-level state name). */
export function lifecyclePhase(value: unknown): StackPhase {
  const top = typeof value === 'string' ? value : value && typeof value === 'object' ? Object.keys(value)[0] : undefined;
  if (top === undefined || !PHASES.has(top)) throw new Error(`not a stack state: ${JSON.stringify(value)}`);
  return top as StackPhase;
}
