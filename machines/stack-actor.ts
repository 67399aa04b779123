// A running stack actor bound to its persistence: every snapshot change is written to SQLite and every change
// of lifecycle state is appended to the transition journal, in one transaction, before anything else happens.
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { Clock } from '../services/clock.ts';
import type { StateStore, TransitionRecord } from '../storage/state-store.ts';
import {
  lifecyclePhase, type StackActorContext, type StackActorEvent, type StackActorInput, type StackMachine,
} from './stack-machine.ts';

export const STACK_ACTOR_KIND = 'stack';

export interface TransitionListener {
  (t: TransitionRecord & { phase: string; context: StackActorContext }): void;
}

const stateKey = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [k, v] = Object.entries(value)[0] ?? ['unknown', undefined];
    return v === undefined ? k : `${k}.${stateKey(v)}`;
  }
  return String(value);
};

function isPollCycle(from: string, to: string): boolean {
  const [fromPhase, fromStep] = from.split('.');
  const [toPhase, toStep] = to.split('.');
  const polling = new Set(['waiting', 'polling']);
  return fromPhase === toPhase && polling.has(fromStep ?? '') && polling.has(toStep ?? '');
}

export class StackActor {
  private readonly actor: Actor<StackMachine>;
  private lastState: string | null = null;
  private stopped = false;
  private lastSaved: string | undefined;

  constructor(
    readonly stackName: string,
    machine: StackMachine,
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly onTransition: TransitionListener,
    restore: { snapshot?: unknown; input: StackActorInput },
  ) {
    const restored = restore.snapshot !== undefined;
    this.lastState = restored ? stateKey((restore.snapshot as { value?: unknown }).value) : null;
    this.actor = createActor(machine, {
      input: restore.input,
      ...(restored ? { snapshot: restore.snapshot as never } : {}),
      clock: { setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (h) => clock.clearTimeout(h) },
      inspect: (ev) => this.inspect(ev),
    });
    this.actor.start();
    if (restored) {
      // Timers are not persisted by xstate: re-arm them from the absolute deadlines kept in context.
      this.actor.send({ type: 'RESUME' });
    }
  }

  send(event: StackActorEvent): void {
    if (!this.stopped) this.actor.send(event);
  }

  get state(): string {
    return stateKey(this.actor.getSnapshot().value);
  }

  get phase(): string {
    return lifecyclePhase(this.actor.getSnapshot().value);
  }

  get context(): StackActorContext {
    return this.actor.getSnapshot().context;
  }

  get done(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  /** True while an AWS call of this actor is outstanding. */
  get busy(): boolean {
    return this.state.endsWith('.submitting') || this.state.endsWith('.polling');
  }

  stop(): void {
    this.stopped = true;
    this.actor.stop();
  }

  private inspect(ev: InspectionEvent): void {
    if (ev.type !== '@xstate.snapshot' || ev.actorRef !== this.actor || this.stopped) return;
    const snapshot = ev.snapshot as { value?: unknown };
    const to = stateKey(snapshot.value);
    const eventType = (ev.event as { type?: string }).type ?? 'unknown';
    // Polling a stack in progress is a status check, not a lifecycle step: it saves the snapshot but adds no
    // journal entry (a stack being created would otherwise add two rows every poll interval).
    const pollTick = this.lastState !== null && isPollCycle(this.lastState, to);
    this.persist(eventType, this.lastState === to || pollTick ? undefined : this.lastState, to);
    if (pollTick) this.lastState = to;
  }

  /** `from === undefined` means the state did not change: only the snapshot is saved. */
  private persist(eventType: string, from: string | null | undefined, toState?: string): void {
    const to = toState ?? this.state;
    const persisted = this.actor.getPersistedSnapshot();
    const at = this.clock.now();
    if (from === undefined) {
      // Most events (the same target every cycle) change nothing: skip the write.
      const json = JSON.stringify(persisted);
      if (json === this.lastSaved) return;
      this.lastSaved = json;
      this.store.saveSnapshot(this.stackName, STACK_ACTOR_KIND, persisted, at);
      return;
    }
    this.lastSaved = JSON.stringify(persisted);
    const context = this.context;
    const transition: TransitionRecord = {
      actorId: this.stackName, at, from, to, event: eventType,
      detail: {
        status: context.status || undefined,
        reason: context.statusReason || undefined,
        error: context.lastError ?? undefined,
        drainDeadline: context.drainDeadline ?? undefined,
        retryAt: context.retryAt ?? undefined,
      },
    };
    this.store.recordTransition(this.stackName, STACK_ACTOR_KIND, persisted, transition);
    this.lastState = to;
    this.onTransition({ ...transition, phase: lifecyclePhase(persisted && (persisted as { value?: unknown }).value), context });
  }
}
