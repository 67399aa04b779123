// A clock that only moves when told to: the scenario runner and the tests drive drains, TTLs and retries with
// it instead of waiting. Not part of the controller's build.
import type { Clock, TimerHandle } from '../../services/clock.ts';

interface VirtualTimer {
  id: number;
  due: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to. Timers fire in due order (ties in creation order) during advance().
 */
export class VirtualClock implements Clock {
  private current: number;
  private timers = new Map<number, VirtualTimer>();
  private nextId = 1;
  private seq = 0;

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.current + Math.max(0, ms), seq: this.seq++, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Earliest pending due time, or undefined when no timer is pending. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) if (min === undefined || t.due < min) min = t.due;
    return min;
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  /** Fire every timer due at or before now (including ones scheduled by fired callbacks). */
  fireDue(): number {
    let fired = 0;
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > this.current) return fired;
      this.timers.delete(next.id);
      next.callback();
      fired++;
    }
  }

  /** Move time to `target` without firing anything; refused if a timer would be skipped on the way. */
  moveTo(target: number): void {
    const due = this.nextDue();
    if (due !== undefined && due < target) throw new Error('moveTo would skip a pending timer');
    if (target > this.current) this.current = target;
  }

  /** Fire only the earliest timer due at or before now; false when none is due. */
  fireNext(): boolean {
    const next = this.earliest();
    if (!next || next.due > this.current) return false;
    this.timers.delete(next.id);
    next.callback();
    return true;
  }

  /** Move time forward by ms, firing timers in order at their due instants. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > target) break;
      if (next.due > this.current) this.current = next.due;
      this.timers.delete(next.id);
      next.callback();
    }
    if (target > this.current) this.current = target;
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
