// Watches instead of polling: an Ingress created in the API server leads to CreateStack without waiting for a
// resync (upstream needs up to one --polling-interval). How fast is a benchmark figure (npm run bench).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, waitFor, type LiveHarness } from './harness.ts';
import { basicFlags, basicWorld, ingress } from './world.ts';

describe('reaction time', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    // A resync that never comes during the test: every CreateStack below was caused by the watch.
    h = await startLive({ aws: basicWorld, flags: [...basicFlags.filter((f) => !f.startsWith('--polling-interval')), '--polling-interval=1h'] });
    await waitFor(() => h.runtime.ready() || undefined, 10_000, 'first cycle');
  });
  afterAll(async () => h?.close());

  it('creates the stack for each new Ingress from the watch event, not from a resync', async () => {
    const cyclesAtStart = h.runtime.controller.cycles;
    for (let i = 0; i < 3; i++) {
      const before = h.aws.server.calls.filter((c) => c.action === 'CreateStack').length;
      // Non-shared, so each Ingress needs a stack of its own.
      h.kube.apply(ingress(`app-${i}`, 'foo.bar.org', { 'zalando.org/aws-load-balancer-shared': 'false' }));
      await waitFor(() => h.aws.server.calls.filter((c) => c.action === 'CreateStack').length > before || undefined, 20_000, 'CreateStack');
    }
    expect(h.aws.server.calls.filter((c) => c.action === 'CreateStack')).toHaveLength(3);
    // The cycles that made them ran after the first one, within an interval that has no resync.
    expect(h.runtime.controller.cycles).toBeGreaterThan(cyclesAtStart);
  });
});
