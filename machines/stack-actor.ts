// A stack actor bound to its persistence: every snapshot change is written to SQLite and every change
// of lifecycle state is appended to the transition journal, in one transaction, before anything else happens.
import { createHash } from 'node:crypto';
import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import type { Clock } from '../services/clock.ts';
import type { StateStore, TransitionRecord } from '../storage/state-store.ts';
import {
  AWAITING_TAG, BUSY_TAG, lifecyclePhase, STACK_MACHINE_VERSION, type StackActorContext, type StackActorEvent,
  type StackActorInput, type StackMachine, type StackPhase,
} from './stack-machine.ts';

export const STACK_ACTOR_KIND = 'stack';

export interface TransitionListener {
  (t: TransitionRecord & { phase: StackPhase; context: StackActorContext }): void;
}

/** `creating.waiting` for a nested state value, `active` for a top-level one. */
export const stateKey = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [k, v] = Object.entries(value)[0] ?? ['unknown', undefined];
    return v === undefined ? k : `${k}.${stateKey(v)}`;
  }
  return String(value);
};

type StackSnapshot = SnapshotFrom<StackMachine>;

const snapshotDigest = (snapshot: unknown): string => createHash('sha1').update(JSON.stringify(snapshot)).digest('base64');

export class StackActor {
  private readonly actor: Actor<StackMachine>;
  private lastState: string | null = null;
  /** The last journaled snapshot waited on CloudFormation (waiting or polling). */
  private lastAwaiting = false;
  private stopped = false;
  /** Digest of the last snapshot written (the snapshot itself, with its documents, is kilobytes per stack). */
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
    this.lastAwaiting = this.actor.getSnapshot().hasTag(AWAITING_TAG);
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

  get phase(): StackPhase {
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
    return this.actor.getSnapshot().hasTag(BUSY_TAG);
  }

  stop(): void {
    this.stopped = true;
    this.actor.stop();
  }

  private inspect(ev: InspectionEvent): void {
    if (ev.type !== '@xstate.snapshot' || ev.actorRef !== this.actor || this.stopped) return;
    const snapshot = ev.snapshot as StackSnapshot;
    const to = stateKey(snapshot.value);
    const eventType = (ev.event as { type?: string }).type ?? 'unknown';
    // Polling a stack in progress is a status check, not a lifecycle step: it saves the snapshot but adds no
    // journal entry (a stack being created would otherwise add two rows every poll interval).
    const awaiting = snapshot.hasTag(AWAITING_TAG);
    const pollTick = this.lastState !== null && this.lastState !== to && awaiting && this.lastAwaiting
      && this.lastState.split('.')[0] === to.split('.')[0];
    this.persist(eventType, this.lastState === to || pollTick ? undefined : this.lastState, to, snapshot);
    if (pollTick) this.lastState = to;
    this.lastAwaiting = awaiting;
  }

  /** `from === undefined` means the state did not change: only the snapshot is saved. */
  private persist(eventType: string, from: string | null | undefined, to: string, snapshot: StackSnapshot): void {
    const persisted = this.actor.getPersistedSnapshot();
    const at = this.clock.now();
    if (from === undefined) {
      // Most events (the same target every cycle) change nothing: skip the write.
      const digest = snapshotDigest(persisted);
      if (digest === this.lastSaved) return;
      this.lastSaved = digest;
      this.store.saveSnapshot(this.stackName, STACK_ACTOR_KIND, persisted, at, STACK_MACHINE_VERSION);
      return;
    }
    this.lastSaved = snapshotDigest(persisted);
    const context = snapshot.context;
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
    this.store.recordTransition(this.stackName, STACK_ACTOR_KIND, persisted, transition, STACK_MACHINE_VERSION);
    this.lastState = to;
    this.onTransition({ ...transition, phase: lifecyclePhase(snapshot.value), context });
  }
}
