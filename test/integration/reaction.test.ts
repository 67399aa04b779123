// Watches instead of polling: an Ingress created in the API server leads to CreateStack within one second of
// real time (upstream needs up to one --polling-interval, 30 s by default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, waitFor, type LiveHarness } from './harness.ts';
import { basicFlags, basicWorld, ingress } from './world.ts';

describe('reaction time', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    h = await startLive({ aws: basicWorld, flags: basicFlags });
    await waitFor(() => h.runtime.ready() || undefined, 10_000, 'first cycle');
  });
  afterAll(async () => h?.close());

  it('creates the stack for a new Ingress well under a second after it appears', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = h.aws.server.calls.filter((c) => c.action === 'CreateStack').length;
      const start = performance.now();
      // Non-shared, so each Ingress needs a stack of its own.
      h.kube.apply(ingress(`app-${i}`, 'foo.bar.org', { 'zalando.org/aws-load-balancer-shared': 'false' }));
      await waitFor(() => h.aws.server.calls.filter((c) => c.action === 'CreateStack').length > before || undefined, 5_000, 'CreateStack');
      samples.push(performance.now() - start);
    }
    console.log(`apply -> CreateStack (ms): ${samples.map((s) => s.toFixed(1)).join(', ')}`);
    for (const s of samples) expect(s).toBeLessThan(1000);
  });
});
