// The running controller: stack actors, the reconciler and the supervisor that schedules it, wired to the
// adapters it is given. Everything here is I/O-free except through those adapters, so the same object runs in
// production, in the scenario runner (virtual clock) and in the demo.
import type { Logger } from 'pino';
import type { StackObservation } from '../services/aws/stack-operations.ts';
import { isExpectedWait, type StackOperations } from '../services/aws/stack-operations.ts';
import type { Clock } from '../services/clock.ts';
import type { StateStore, TransitionRecord } from '../storage/state-store.ts';
import { Reconciler, type CycleSummary, type ReconcilerDeps } from './reconciler.ts';
import { StackOperationGate } from './stack-operation-gate.ts';
import { StackActorRegistry } from './stack-registry.ts';
import type { StackActorContext, StackPhase } from './stack-machine.ts';
import { startSupervisor, type SupervisorActor } from './supervisor.ts';

export interface ControllerTimings {
  /** How often a stack operation in progress is checked. */
  readonly stackPollIntervalMs: number;
  readonly retryBaseMs: number;
  readonly maxRetryDelayMs: number;
  readonly debounceMs: number;
  /** Least time between two cycles (bounds API load when watch events and wake-ups pour in). */
  readonly minCycleGapMs: number;
}

export const DEFAULT_TIMINGS: ControllerTimings = {
  stackPollIntervalMs: 10_000,
  retryBaseMs: 30_000,
  maxRetryDelayMs: 15 * 60_000,
  debounceMs: 50,
  minCycleGapMs: 250,
};

export interface ControllerOptions extends Omit<ReconcilerDeps, 'registry' | 'cluster'> {
  readonly store: StateStore;
  /** What the stack actors call: CloudFormation, with describe answered through the shared observation. */
  readonly operations: StackOperations;
  readonly cluster: ReconcilerDeps['cluster'] & { onChange(listener: () => void): void };
  readonly timings?: Partial<ControllerTimings>;
  readonly onTransition?: (t: TransitionRecord & { phase: StackPhase; context: StackActorContext }) => void;
  readonly onCycle?: (summary: CycleSummary) => void;
}

/** Phases in which an actor's stack operation is in progress (or queued): it holds its slot of the gate. */
const OPERATION_PHASES: ReadonlySet<StackPhase> = new Set<StackPhase>(['creating', 'updating', 'deleting', 'recovering']);

export class Controller {
  readonly registry: StackActorRegistry;
  /** --max-stack-operations: who is in flight and who waits (read by the debug API and metrics). */
  readonly gate: StackOperationGate;
  readonly reconciler: Reconciler;
  private supervisor: SupervisorActor | undefined;
  private running = false;
  private lastCycleError: string | null = null;

  /** What the last look at AWS showed for a stack (read-only, for the debug API). */
  observedStack(name: string): StackObservation | undefined {
    return this.options.observation.stacks().find((s) => s.name === name);
  }

  constructor(private readonly options: ControllerOptions) {
    const timings = { ...DEFAULT_TIMINGS, ...(options.timings ?? {}) };
    this.gate = new StackOperationGate(options.config.maxStackOperations);
    const ops = options.operations;
    // The limit sits outside the machine: a queued submit is an actor still in `submitting`.
    const gated = async <T>(name: string, submit: () => Promise<T>): Promise<T> => {
      await this.gate.acquire(name);
      return submit();
    };
    this.registry = new StackActorRegistry({
      operations: {
        create: (name, document) => gated(name, () => ops.create(name, document)),
        update: (name, document) => gated(name, () => ops.update(name, document)),
        delete: (name, targetGroupARNs) => gated(name, () => ops.delete(name, targetGroupARNs)),
        continueUpdateRollback: (name) => gated(name, () => ops.continueUpdateRollback(name)),
        describe: (name) => ops.describe(name),
      },
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      pollIntervalMs: timings.stackPollIntervalMs,
      retryBaseMs: timings.retryBaseMs,
      maxRetryDelayMs: timings.maxRetryDelayMs,
      wake: (reason) => this.changed(reason),
      onTransition: (t) => {
        if (!OPERATION_PHASES.has(t.phase)) this.gate.release(t.actorId);
        else if (t.from === null && !t.to.endsWith('submitting')) this.gate.hold(t.actorId);
        options.onTransition?.(t);
      },
    });
    this.reconciler = new Reconciler({ ...options, registry: this.registry });
    this.timings = timings;
  }

  private readonly timings: ControllerTimings;

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const restored = await this.registry.restore();
    this.options.logger.info({ event: 'start', restored }, `controller starting with ${restored} restored stack actor(s)`);
    this.options.cluster.onChange(() => this.changed('cluster changed'));
    this.supervisor = startSupervisor({
      clock: this.options.clock,
      pollingIntervalMs: this.options.config.pollingIntervalMs,
      debounceMs: this.timings.debounceMs,
      minCycleGapMs: this.timings.minCycleGapMs,
      runCycle: async () => {
        const summary = await this.reconciler.cycle();
        this.lastCycleError = null;
        this.options.onCycle?.(summary);
        return summary;
      },
      onCycleError: (err) => {
        this.lastCycleError = err instanceof Error ? err.message : String(err);
        if (isExpectedWait(err)) {
          // Throttling is AWS asking us to slow down, not a failure: the next cycle simply tries again.
          this.options.logger.info({ event: 'cycle-deferred' }, `reconcile cycle deferred: ${this.lastCycleError}`);
        } else {
          this.options.logger.error({ event: 'cycle-failed', err }, `reconcile cycle failed: ${this.lastCycleError}`);
        }
      },
    });
  }

  /** Stop scheduling and drop the actors (their state stays in SQLite). */
  stop(): void {
    this.running = false;
    this.supervisor?.stop();
    this.supervisor = undefined;
    this.registry.stopAll();
  }

  changed(reason: string): void {
    this.supervisor?.send({ type: 'CHANGED', reason });
  }

  /** Nothing is being planned and no stack actor waits on AWS. */
  get idle(): boolean {
    const value = this.supervisor?.getSnapshot().value;
    return value === 'idle' && this.waitingOnAws === 0;
  }

  /** A cycle is running or a stack actor waits on AWS (pending timers do not count). */
  get working(): boolean {
    return this.supervisor?.getSnapshot().value === 'reconciling' || this.waitingOnAws > 0;
  }

  /** Actors with a call to AWS outstanding; a submit queued behind --max-stack-operations waits on us, not on AWS. */
  private get waitingOnAws(): number {
    return this.registry.busyCount - this.gate.queued;
  }

  get cycleError(): string | null {
    return this.lastCycleError;
  }

  get cycles(): number {
    return this.supervisor?.getSnapshot().context.cycles ?? 0;
  }
}
