// The supervisor actor schedules planning cycles: on every cluster change (debounced), on every wake-up from a
// stack actor or a status deadline, and every --polling-interval after the previous cycle (fixed delay, like
// upstream). Changes that arrive during a cycle trigger exactly one more cycle afterwards.
import { assign, createActor, fromPromise, setup, type Actor } from 'xstate';
import type { Clock } from '../services/clock.ts';
import type { CycleSummary } from './reconciler.ts';

export interface SupervisorDeps {
  readonly clock: Clock;
  readonly pollingIntervalMs: number;
  /** Coalesces bursts of watch events into one cycle. */
  readonly debounceMs: number;
  /** Least time between the end of one cycle and the start of the next, however many changes arrive. */
  readonly minCycleGapMs: number;
  readonly runCycle: () => Promise<CycleSummary>;
  readonly onCycleError: (err: unknown) => void;
}

interface SupervisorContext {
  dirty: boolean;
  lastCycleEnd: number | null;
  wakeAt: number | null;
  cycles: number;
  lastError: string | null;
}

type SupervisorEvent = { type: 'CHANGED'; reason: string };

export function createSupervisorMachine(deps: SupervisorDeps) {
  const until = (at: number | null) => (at === null ? deps.pollingIntervalMs : Math.max(0, Math.min(at - deps.clock.now(), deps.pollingIntervalMs)));
  return setup({
    types: { context: {} as SupervisorContext, events: {} as SupervisorEvent },
    actors: { cycle: fromPromise<CycleSummary>(() => deps.runCycle()) },
    delays: {
      nextCycle: ({ context }) => until(context.wakeAt),
      debounce: ({ context }) => Math.max(deps.debounceMs,
        context.lastCycleEnd === null ? 0 : context.lastCycleEnd + deps.minCycleGapMs - deps.clock.now()),
    },
  }).createMachine({
    id: 'supervisor',
    context: { dirty: false, lastCycleEnd: null, wakeAt: null, cycles: 0, lastError: null },
    initial: 'reconciling',
    states: {
      idle: {
        after: { nextCycle: 'reconciling' },
        on: { CHANGED: 'debouncing' },
      },
      debouncing: {
        after: { debounce: 'reconciling' },
      },
      reconciling: {
        entry: assign({ dirty: false }),
        invoke: {
          src: 'cycle',
          onDone: [
            {
              guard: ({ context }) => context.dirty,
              target: 'debouncing',
              actions: assign({ cycles: ({ context }) => context.cycles + 1, wakeAt: ({ event }) => event.output.nextWakeAt ?? null, lastError: null, lastCycleEnd: () => deps.clock.now() }),
            },
            {
              target: 'idle',
              actions: assign({ cycles: ({ context }) => context.cycles + 1, wakeAt: ({ event }) => event.output.nextWakeAt ?? null, lastError: null, lastCycleEnd: () => deps.clock.now() }),
            },
          ],
          onError: [
            {
              // A change that arrived during the failed cycle still deserves its cycle (after the minimum gap).
              guard: ({ context }) => context.dirty,
              target: 'debouncing',
              actions: [
                assign({ cycles: ({ context }) => context.cycles + 1, wakeAt: null, lastCycleEnd: () => deps.clock.now(), lastError: ({ event }) => String((event.error as Error)?.message ?? event.error) }),
                ({ event }) => deps.onCycleError(event.error),
              ],
            },
            {
              target: 'idle',
              actions: [
                assign({ cycles: ({ context }) => context.cycles + 1, wakeAt: null, lastCycleEnd: () => deps.clock.now(), lastError: ({ event }) => String((event.error as Error)?.message ?? event.error) }),
                ({ event }) => deps.onCycleError(event.error),
              ],
            },
          ],
        },
        on: { CHANGED: { actions: assign({ dirty: true }) } },
      },
    },
  });
}

export type SupervisorActor = Actor<ReturnType<typeof createSupervisorMachine>>;

export function startSupervisor(deps: SupervisorDeps): SupervisorActor {
  const actor = createActor(createSupervisorMachine(deps), {
    clock: { setTimeout: (fn, ms) => deps.clock.setTimeout(fn, ms), clearTimeout: (h) => deps.clock.clearTimeout(h) },
  });
  actor.start();
  return actor;
}
