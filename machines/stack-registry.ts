// The set of running stack actors: restored from SQLite at start, adopted from AWS tags when unknown, handed
// targets by the reconciler, and dropped once their stack is deleted.
import type { Logger } from 'pino';
import type { Clock } from '../services/clock.ts';
import type { StackDocumentLike, StackObservation, StackOperations } from '../services/aws/stack-operations.ts';
import { IDENTITY_PARAMETERS, StackTag } from '../services/planning/stack-contract.ts';
import { documentsEqual } from '../services/planning/template/stack-document.ts';
import type { StateStore, TransitionRecord } from '../storage/state-store.ts';
import { StackActor, STACK_ACTOR_KIND } from './stack-actor.ts';
import { createStackMachine, type StackActorContext, type StackMachine, type StackPhase, type StackTarget } from './stack-machine.ts';
import { restoreStackSnapshot } from './stack-snapshots.ts';

export interface StackRegistryOptions {
  readonly operations: StackOperations;
  readonly store: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  readonly retryBaseMs: number;
  readonly maxRetryDelayMs: number;
  /** Something happened that deserves a new plan (a deadline passed, a stack settled). */
  readonly wake: (reason: string) => void;
  /** Every lifecycle transition, for logs and metrics. */
  readonly onTransition?: (t: TransitionRecord & { phase: StackPhase; context: StackActorContext }) => void;
}

export interface StackActorView {
  readonly stackName: string;
  readonly phase: StackPhase;
  readonly state: string;
  readonly context: StackActorContext;
}

/** Actors restored or adopted between two pauses (each persists its first snapshot). */
const RESTORE_SLICE = 10;

const REPLAN_PHASES: ReadonlySet<StackPhase> = new Set<StackPhase>(['active', 'draining', 'failed', 'deleted']);

export class StackActorRegistry {
  private readonly actors = new Map<string, StackActor>();
  private readonly machine: StackMachine;
  private closed = false;

  constructor(private readonly options: StackRegistryOptions) {
    this.machine = createStackMachine({
      operations: options.operations,
      clock: options.clock,
      pollIntervalMs: options.pollIntervalMs,
      retryBaseMs: options.retryBaseMs,
      maxRetryDelayMs: options.maxRetryDelayMs,
      wake: (stackName, reason) => options.wake(`${stackName}: ${reason}`),
    });
  }

  /** Bring back every actor persisted by a previous process, resuming timers from their absolute deadlines. */
  async restore(): Promise<number> {
    let restored = 0;
    for (const stored of this.options.store.loadSnapshots(STACK_ACTOR_KIND)) {
      // A thousand actors are a few hundred milliseconds of work: let health checks in between.
      if (++restored % RESTORE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const outcome = restoreStackSnapshot(this.machine, stored.machineVersion, stored.snapshot);
      if (outcome.kind === 'drop') {
        this.options.store.deleteSnapshot(stored.id);
        // Adoption rebuilds the actor from the stack's AWS tags at the next cycle.
        if (outcome.reason !== 'the stack was deleted') {
          this.options.logger.warn({ stack: stored.id, event: 'snapshot-dropped', reason: outcome.reason }, `persisted stack state dropped (${outcome.reason}); re-adopting from AWS`);
        }
        continue;
      }
      this.spawn(stored.id, { snapshot: outcome.snapshot });
      this.options.logger.info(
        { stack: stored.id, event: 'restored', state: this.actors.get(stored.id)?.state, ...(outcome.migratedFrom ? { migratedFrom: outcome.migratedFrom } : {}) },
        'stack actor restored',
      );
    }
    return this.actors.size;
  }

  /** Create actors for managed stacks nobody tracks yet (first start, lost state, stacks of the Go controller). */
  async adopt(listed: readonly StackObservation[], template: (stackName: string) => Promise<string | undefined>): Promise<void> {
    let seen = 0;
    for (const stack of listed) {
      if (++seen % RESTORE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      // A stack already being deleted needs no actor: CloudFormation finishes that on its own.
      if (this.closed || this.actors.has(stack.name) || stack.status === 'DELETE_IN_PROGRESS') continue;
      const templateBody = await template(stack.name);
      const applied: StackDocumentLike | undefined = templateBody === undefined ? undefined
        : { templateBody, parameters: { ...stack.parameters }, tags: { ...stack.tags } };
      this.spawn(stack.name, { input: { stackName: stack.name, ...(applied ? { applied } : {}), observed: stack } });
      this.options.logger.info({ stack: stack.name, event: 'adopted', status: stack.status }, 'existing stack adopted');
    }
  }

  /** Actors that believe their stack exists although AWS no longer lists it: deleted out of band. */
  noticeMissing(listedNames: ReadonlySet<string>): void {
    for (const [name, actor] of this.actors) {
      if (listedNames.has(name)) continue;
      const settled = actor.phase === 'active' || actor.phase === 'draining' || (actor.phase === 'failed' && actor.context.applied !== undefined);
      if (settled) actor.send({ type: 'GONE' });
    }
  }

  /**
   * An actor without a stack yet (being created, or its creation failed) that was made for the same kind of load
   * balancer as `document` and is not claimed this cycle. Matching on the load balancer's identity keeps a failed
   * create of one load balancer from capturing, and delaying, another.
   */
  pendingCreation(claimed: ReadonlySet<string>, document: StackDocumentLike): string | undefined {
    for (const [name, actor] of this.actors) {
      if (claimed.has(name) || actor.context.applied !== undefined) continue;
      if (actor.phase !== 'creating' && actor.phase !== 'failed') continue;
      const wanted = actor.context.inFlight ?? actor.context.target?.document;
      if (wanted && sameLoadBalancer(wanted, document)) return name;
    }
    return undefined;
  }

  /** Actors for stacks that never came to be and that no load balancer wants any more. */
  retireUnclaimed(claimed: ReadonlySet<string>, listedNames: ReadonlySet<string>): void {
    for (const [name, actor] of this.actors) {
      if (claimed.has(name) || listedNames.has(name) || actor.context.applied !== undefined || actor.phase !== 'failed') continue;
      this.options.logger.info({ stack: name, event: 'retired' }, 'stack was never created and is no longer wanted');
      actor.stop();
      this.actors.delete(name);
      this.options.store.deleteSnapshot(name);
    }
  }

  has(stackName: string): boolean {
    return this.actors.has(stackName);
  }

  desire(stackName: string, target: StackTarget): void {
    if (this.closed) return;
    const actor = this.actors.get(stackName);
    if (actor) {
      // The same target again changes nothing in a settled or working actor, so most actors cost nothing per
      // cycle. A failed actor always hears it (its retry may be due), and an 'update' intent counts every time.
      if (actor.phase !== 'failed' && target.intent !== 'update' && sameTarget(actor.context.target, target)) return;
      actor.send({ type: 'DESIRED', target });
      return;
    }
    this.spawn(stackName, { input: { stackName, target } });
  }

  /**
   * The document the model should see instead of the live tags: an operation in progress (DescribeStacks does not
   * show it yet), or a drain whose update failed. The drain deadline that update carried stays the deadline:
   * re-planning from the live tags would give "now + TTL" again every cycle and the stack would never go.
   */
  viewDocument(stackName: string): StackDocumentLike | undefined {
    const actor = this.actors.get(stackName);
    if (!actor) return undefined;
    const { inFlight, target, failedOperation } = actor.context;
    if (inFlight) return inFlight;
    if (actor.phase === 'failed' && failedOperation === 'update' && target && target.drainDeadline !== null) return target.document;
    return undefined;
  }

  phaseOf(stackName: string): StackPhase | undefined {
    return this.actors.get(stackName)?.phase;
  }

  /** Number of actors waiting on an AWS answer right now. */
  get busyCount(): number {
    let n = 0;
    for (const a of this.actors.values()) if (a.busy) n++;
    return n;
  }

  list(): StackActorView[] {
    return [...this.actors.values()]
      .map((a) => ({ stackName: a.stackName, phase: a.phase, state: a.state, context: a.context }))
      .sort((a, b) => a.stackName.localeCompare(b.stackName));
  }

  get(stackName: string): StackActorView | undefined {
    const a = this.actors.get(stackName);
    return a && { stackName: a.stackName, phase: a.phase, state: a.state, context: a.context };
  }

  history(stackName: string, limit?: number): TransitionRecord[] {
    return this.options.store.history(stackName, limit);
  }

  /** Stops every actor; afterwards nothing new is spawned (a cycle still running must not create stacks). */
  stopAll(): void {
    this.closed = true;
    for (const a of this.actors.values()) a.stop();
    this.actors.clear();
  }

  private spawn(stackName: string, restore: { snapshot?: unknown; input?: { stackName: string; target?: StackTarget; applied?: StackDocumentLike; observed?: StackObservation } }): void {
    const actor = new StackActor(
      stackName, this.machine, this.options.store, this.options.clock,
      (t) => {
        this.options.logger.info(
          { stack: stackName, event: 'transition', from: t.from, to: t.to, cause: t.event, status: t.context.status || undefined, err: t.context.lastError ?? undefined },
          `stack ${t.from ?? '(new)'} -> ${t.to}`,
        );
        this.options.onTransition?.(t);
        if (t.phase === 'deleted') this.retire(stackName);
        if (REPLAN_PHASES.has(t.phase)) this.options.wake(`${stackName}: ${t.phase}`);
      },
      { input: restore.input ?? { stackName }, ...(restore.snapshot !== undefined ? { snapshot: restore.snapshot } : {}) },
    );
    this.actors.set(stackName, actor);
  }

  private retire(stackName: string): void {
    // Deferred: the actor is still inside its own transition callback.
    queueMicrotask(() => {
      const actor = this.actors.get(stackName);
      if (!actor || !actor.done) return;
      actor.stop();
      this.actors.delete(stackName);
      this.options.store.deleteSnapshot(stackName);
    });
  }
}

function sameLoadBalancer(a: StackDocumentLike, b: StackDocumentLike): boolean {
  return IDENTITY_PARAMETERS.every((k) => a.parameters[k] === b.parameters[k]) && a.tags[StackTag.owner] === b.tags[StackTag.owner];
}

function sameTarget(a: StackTarget | undefined, b: StackTarget): boolean {
  return a !== undefined && a.intent === b.intent && a.drainDeadline === b.drainDeadline
    && a.targetGroupARNs.length === b.targetGroupARNs.length && a.targetGroupARNs.every((arn, i) => arn === b.targetGroupARNs[i])
    && (a.document === b.document || documentsEqual(a.document, b.document));
}
