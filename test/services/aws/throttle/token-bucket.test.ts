import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../services/aws/throttle/token-bucket.ts';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';

describe('TokenBucket', () => {
  it('lets a full burst through at once, then spaces calls at the rate', () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(2, 3, clock);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    // In debt: each further call is told to wait one more interval (500 ms at 2 per second), in arrival order.
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([500, 1000, 1500]);
  });

  it('refills with time, never beyond the burst', () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(10, 2, clock);
    bucket.reserve();
    bucket.reserve();
    clock.advance(100);
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(100);
    clock.advance(60_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100]);
  });

  it('pays back a debt before new tokens count', () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(1, 1, clock);
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(1000);
    expect(bucket.reserve()).toBe(2000);
    clock.advance(1000);
    // One of the two owed tokens has arrived; the next call queues behind the remaining one.
    expect(bucket.reserve()).toBe(2000);
  });

  it('admits no more than burst + rate * t calls over any window when callers wait as told', () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(4, 5, clock);
    const sent: number[] = [];
    for (let i = 0; i < 100; i++) sent.push(clock.now() + bucket.reserve());
    for (const start of sent) {
      for (const windowMs of [1, 250, 1000, 5000]) {
        const n = sent.filter((t) => t >= start && t < start + windowMs).length;
        expect(n).toBeLessThanOrEqual(5 + Math.ceil((4 * windowMs) / 1000));
      }
    }
  });

  it('a clock going back does not mint tokens', () => {
    let now = 10_000;
    const clock = { now: () => now, setTimeout: () => undefined, clearTimeout: () => undefined };
    const bucket = new TokenBucket(1, 1, clock);
    bucket.reserve();
    now = 5_000;
    expect(bucket.reserve()).toBe(1000);
  });
});
