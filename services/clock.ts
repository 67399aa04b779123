// One clock abstraction for the whole process. Production uses the system clock; the scenario runner and the
// tests use a virtual clock (tools/support/virtual-clock.ts) so that drains, TTLs and retries run without waiting. The shape matches
// xstate's `clock` option, so the same object can be handed to createActor.

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The longest delay Node's setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    // Node fires delays above 2^31-1 ms (about 24.8 days) after 1 ms; a long drain or TTL must not become a
    // busy loop. Waking early is harmless: every waiter re-arms from its absolute deadline.
    return setTimeout(callback, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
