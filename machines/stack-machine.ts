// One xstate actor per CloudFormation stack. It does not decide what the stack should be (the supervisor's plan
// does); it drives the stack to the latest target through CloudFormation and remembers, durably, where it is.
//
// Persistence rules (see library notes): pending `after` timers are not restored and in-flight invocations are
// re-run on restore. So every deadline lives in context as an absolute time, waiting states re-arm their timer
// on RESUME, and every invoked operation is idempotent (StackOperations).
import { assign, fromPromise, setup } from 'xstate';
import type { Clock } from '../services/clock.ts';
import { jsonEqual } from '../services/planning/template/json-equal.ts';
import {
  isExpectedWait, type StackDocumentLike, type StackObservation, type StackOperations, type UpdateOutcome,
} from '../services/aws/stack-operations.ts';

export type StackIntent = 'create' | 'update' | 'ready' | 'delete';

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
  | { type: 'RESUME' }
  | { type: 'TICK' }
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

/**
 * Same template (as a JSON value: key order is irrelevant), parameters and tags. Bodies are compared as text
 * first: in steady state they are identical, so the parse is skipped on the path every cycle takes.
 */
export function documentsEqual(a: StackDocumentLike | undefined, b: StackDocumentLike | undefined): boolean {
  if (!a || !b) return false;
  if (!jsonEqual(a.parameters, b.parameters) || !jsonEqual(a.tags, b.tags)) return false;
  if (a.templateBody === b.templateBody) return true;
  try {
    return jsonEqual(JSON.parse(a.templateBody), JSON.parse(b.templateBody));
  } catch {
    return false;
  }
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type PollResult = { kind: 'observed'; stack: StackObservation } | { kind: 'missing' };

export function createStackMachine(deps: StackMachineDeps) {
  const now = () => deps.clock.now();
  const until = (at: number | null) => (at === null ? 0 : Math.max(0, at - now()));
  const retryDelay = (attempts: number) => Math.min(deps.maxRetryDelayMs, deps.retryBaseMs * 2 ** Math.max(0, attempts - 1));

  // Every wait-and-poll loop has the same shape: wait until pollAt, describe the stack, decide.
  const waiting = {
    after: { untilPoll: 'polling' },
    on: {
      RESUME: { target: 'waiting', reenter: true },
      TICK: { guard: ({ context }: { context: StackActorContext }) => now() >= (context.pollAt ?? 0), target: 'polling' },
    },
  } as const;

  return setup({
    types: {
      context: {} as StackActorContext,
      events: {} as StackActorEvent,
      input: {} as StackActorInput,
    },
    actors: {
      createStack: fromPromise<void, { name: string; document: StackDocumentLike }>(({ input }) =>
        deps.operations.create(input.name, input.document)),
      updateStack: fromPromise<UpdateOutcome, { name: string; document: StackDocumentLike }>(({ input }) =>
        deps.operations.update(input.name, input.document)),
      deleteStack: fromPromise<void, { name: string; targetGroupARNs: readonly string[] }>(({ input }) =>
        deps.operations.delete(input.name, input.targetGroupARNs)),
      describeStack: fromPromise<PollResult, { name: string }>(async ({ input }) => {
        const stack = await deps.operations.describe(input.name);
        return stack ? { kind: 'observed', stack } : { kind: 'missing' };
      }),
    },
    delays: {
      untilPoll: ({ context }) => until(context.pollAt),
      untilRetry: ({ context }) => until(context.retryAt),
      untilDrainDeadline: ({ context }) => until(context.drainDeadline),
    },
    guards: {
      wantsDelete: ({ context }) => context.target?.intent === 'delete',
      neverCreated: ({ context }) => context.applied === undefined,
      differs: ({ context }) => !!context.target && !documentsEqual(context.target.document, context.applied),
      // The plan found the live stack out of sync although our document did not change: edited out of band.
      forcedUpdate: ({ context }) => context.target?.intent === 'update' && !context.satisfied,
      draining: ({ context }) => context.target?.drainDeadline != null,
      retryDue: ({ context }) => context.retryAt === null || now() >= context.retryAt,
      notAccepted: ({ context }) => !context.accepted,
    },
    actions: {
      storeTarget: assign({ target: ({ event }) => (event.type === 'DESIRED' ? event.target : undefined), satisfied: false }),
      schedulePoll: assign({ pollAt: () => now() + deps.pollIntervalMs }),
      accept: assign({ accepted: true }),
      // What is submitted is fixed when the operation starts; later targets wait for it to finish.
      beginSubmit: assign({ inFlight: ({ context }) => context.target?.document, accepted: false }),
      confirmApplied: assign({ applied: ({ context }) => context.inFlight ?? context.applied, inFlight: undefined, satisfied: true }),
      dropInFlight: assign({ inFlight: undefined }),
      clearFailure: assign({ attempts: 0, retryAt: null, lastError: null }),
      markDraining: assign({ drainDeadline: ({ context }) => context.target?.drainDeadline ?? null }),
      clearDraining: assign({ drainDeadline: null }),
      wakeForDrain: ({ context }) => deps.wake(context.stackName, 'drain deadline reached'),
      wakeForRetry: ({ context }) => deps.wake(context.stackName, 'retry due'),
      // Done-events of invoked actors are not part of the declared event union, hence the narrowing here.
      observe: assign(({ event }) => {
        const output = (event as unknown as { output?: PollResult }).output;
        if (!output || output.kind !== 'observed') return {};
        return { status: output.stack.status, statusReason: output.stack.statusReason, outputs: { ...output.stack.outputs } };
      }),
      goneOutOfBand: assign({ applied: undefined, inFlight: undefined, status: 'DELETE_COMPLETE', lastError: 'stack was deleted outside the controller' }),
    },
  }).createMachine({
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
    }),
    initial: 'settling',
    states: {
      // Transient: pick the state that moves the stack toward the target.
      settling: {
        always: [
          { guard: 'wantsDelete', target: 'deleting' },
          { guard: ({ context }) => context.target === undefined, target: 'active' },
          { guard: 'neverCreated', target: 'creating' },
          { guard: 'differs', target: 'updating' },
          { guard: 'forcedUpdate', target: 'updating' },
          { guard: 'draining', target: 'draining' },
          { target: 'active' },
        ],
      },

      creating: {
        entry: 'beginSubmit',
        initial: 'submitting',
        states: {
          submitting: {
            invoke: {
              src: 'createStack',
              input: ({ context }) => ({ name: context.stackName, document: context.inFlight! }),
              onDone: { target: 'waiting', actions: ['accept', 'schedulePoll'] },
              onError: [
                { guard: ({ event }) => isExpectedWait(event.error), target: 'waiting', actions: 'schedulePoll' },
                { target: '#stack.failed', actions: ['dropInFlight', assign({ lastError: ({ event }) => errorText(event.error) })] },
              ],
            },
          },
          waiting,
          polling: {
            invoke: {
              src: 'describeStack',
              input: ({ context }) => ({ name: context.stackName }),
              onDone: [
                {
                  // CREATE_FAILED is not final: with OnFailure=DELETE the stack rolls itself away next. Retrying before
                  // it is gone would only meet the old stack (AlreadyExists) and fail again.
                  guard: ({ event }) => event.output.kind === 'observed'
                    && (event.output.stack.status.endsWith('_IN_PROGRESS') || event.output.stack.status === 'CREATE_FAILED'),
                  target: 'waiting',
                  actions: ['observe', 'schedulePoll'],
                },
                {
                  guard: ({ event }) => event.output.kind === 'observed' && event.output.stack.status === 'CREATE_COMPLETE',
                  target: '#stack.settling',
                  actions: ['observe', 'confirmApplied', 'clearFailure'],
                },
                // Throttled or busy before CloudFormation took the create: nothing failed, submit again.
                { guard: 'notAccepted', target: '#stack.settling', actions: ['observe', 'dropInFlight'] },
                {
                  target: '#stack.failed',
                  actions: ['observe', 'dropInFlight', assign({ lastError: ({ context }) => `create failed: ${context.status} ${context.statusReason}`.trim() })],
                },
              ],
              onError: { target: 'waiting', actions: 'schedulePoll' },
            },
          },
        },
        on: { DESIRED: { actions: 'storeTarget' } },
      },

      active: {
        // Settled means no failure any more, however it got here (the next failure starts its backoff afresh).
        entry: ['clearDraining', 'clearFailure'],
        on: { DESIRED: { target: 'settling', actions: 'storeTarget' }, GONE: { target: 'failed', actions: 'goneOutOfBand' } },
      },

      draining: {
        entry: ['markDraining', 'clearFailure'],
        after: { untilDrainDeadline: { actions: 'wakeForDrain' } },
        on: {
          DESIRED: { target: 'settling', actions: 'storeTarget' },
          RESUME: { target: 'draining', reenter: true },
          GONE: { target: 'failed', actions: 'goneOutOfBand' },
        },
      },

      updating: {
        entry: 'beginSubmit',
        initial: 'submitting',
        states: {
          submitting: {
            invoke: {
              src: 'updateStack',
              input: ({ context }) => ({ name: context.stackName, document: context.inFlight! }),
              onDone: [
                { guard: ({ event }) => event.output === 'no-change', target: '#stack.settling', actions: ['confirmApplied', 'clearFailure'] },
                { target: 'waiting', actions: ['accept', 'schedulePoll'] },
              ],
              onError: [
                // Busy or throttled: wait for the stack to settle, then re-evaluate against the latest target.
                { guard: ({ event }) => isExpectedWait(event.error), target: 'waiting', actions: 'schedulePoll' },
                { target: '#stack.failed', actions: ['dropInFlight', assign({ lastError: ({ event }) => errorText(event.error) })] },
              ],
            },
          },
          waiting,
          polling: {
            invoke: {
              src: 'describeStack',
              input: ({ context }) => ({ name: context.stackName }),
              onDone: [
                {
                  guard: ({ event }) => event.output.kind === 'observed' && event.output.stack.status.endsWith('_IN_PROGRESS'),
                  target: 'waiting',
                  actions: ['observe', 'schedulePoll'],
                },
                {
                  guard: ({ event }) => event.output.kind === 'missing',
                  target: '#stack.failed',
                  actions: ['observe', assign({ applied: undefined, inFlight: undefined, lastError: 'stack disappeared during update' })],
                },
                { guard: 'notAccepted', target: '#stack.settling', actions: ['observe', 'dropInFlight'] },
                {
                  guard: ({ event }) => event.output.kind === 'observed' && event.output.stack.status === 'UPDATE_COMPLETE',
                  target: '#stack.settling',
                  actions: ['observe', 'confirmApplied', 'clearFailure'],
                },
                {
                  target: '#stack.failed',
                  actions: ['observe', 'dropInFlight', assign({ lastError: ({ context }) => `update failed: ${context.status} ${context.statusReason}`.trim() })],
                },
              ],
              onError: { target: 'waiting', actions: 'schedulePoll' },
            },
          },
        },
        on: { DESIRED: { actions: 'storeTarget' } },
      },

      deleting: {
        entry: assign({ accepted: false }),
        initial: 'submitting',
        states: {
          submitting: {
            invoke: {
              src: 'deleteStack',
              input: ({ context }) => ({ name: context.stackName, targetGroupARNs: context.target?.targetGroupARNs ?? [] }),
              onDone: { target: 'waiting', actions: ['accept', 'schedulePoll'] },
              onError: [
                { guard: ({ event }) => isExpectedWait(event.error), target: 'waiting', actions: 'schedulePoll' },
                { target: '#stack.failed', actions: assign({ lastError: ({ event }) => errorText(event.error) }) },
              ],
            },
          },
          waiting,
          polling: {
            invoke: {
              src: 'describeStack',
              input: ({ context }) => ({ name: context.stackName }),
              onDone: [
                { guard: ({ event }) => event.output.kind === 'missing', target: '#stack.deleted', actions: assign({ status: 'DELETE_COMPLETE', statusReason: '' }) },
                {
                  guard: ({ event }) => event.output.kind === 'observed' && event.output.stack.status.endsWith('_IN_PROGRESS'),
                  target: 'waiting',
                  actions: ['observe', 'schedulePoll'],
                },
                // The delete was throttled or the stack was busy: it is still wanted, so submit it again.
                { guard: 'notAccepted', target: '#stack.deleting', reenter: true, actions: 'observe' },
                {
                  target: '#stack.failed',
                  actions: ['observe', assign({ lastError: ({ context }) => `delete failed: ${context.status} ${context.statusReason}`.trim() })],
                },
              ],
              onError: { target: 'waiting', actions: 'schedulePoll' },
            },
          },
        },
        // A deletion is final once submitted: an ingress that comes back gets a new load balancer.
      },

      failed: {
        entry: assign({
          attempts: ({ context }) => context.attempts + 1,
          retryAt: ({ context }) => now() + retryDelay(context.attempts + 1),
        }),
        after: { untilRetry: { actions: 'wakeForRetry' } },
        on: {
          DESIRED: [
            { guard: 'retryDue', target: 'settling', actions: 'storeTarget' },
            { actions: 'storeTarget' },
          ],
          RESUME: { target: 'failedResumed' },
          GONE: { actions: 'goneOutOfBand' },
        },
      },
      // Re-arms the retry timer after a restore without counting another attempt.
      failedResumed: {
        after: { untilRetry: { actions: 'wakeForRetry' } },
        on: {
          DESIRED: [
            { guard: 'retryDue', target: 'settling', actions: 'storeTarget' },
            { actions: 'storeTarget' },
          ],
          RESUME: { target: 'failedResumed', reenter: true },
          GONE: { actions: 'goneOutOfBand' },
        },
      },

      deleted: { type: 'final' },
    },
  });
}

export type StackMachine = ReturnType<typeof createStackMachine>;

/** The lifecycle phase an operator sees (the top-level state name). */
export function lifecyclePhase(value: unknown): string {
  if (typeof value === 'string') return value === 'failedResumed' ? 'failed' : value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? 'unknown';
  return 'unknown';
}
