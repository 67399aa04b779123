// A token bucket that reserves instead of refusing: every call takes a token at once, possibly going into debt,
// and is told how long to wait until that token exists. Callers that wait their turn are served in arrival
// order, and over any window of t seconds at most burst + rate * t calls proceed.
import type { Clock } from '../../clock.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param rate  tokens added per second (> 0)
   * @param burst capacity of the bucket (>= 1): calls allowed at once after a quiet period
   */
  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes one token; returns the milliseconds to wait before using it (0: at once). */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.rate);
  }
}
