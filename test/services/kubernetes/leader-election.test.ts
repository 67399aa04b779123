// Leader election against the simulated API server's Leases: one leader at a time, takeover only after the
// lease duration, fencing when renewals fail, and single-instance mode when the Lease API is forbidden.
import { describe, expect, it } from 'vitest';
import { LeaderElector, defaultLeaseNamespace } from '../../../services/kubernetes/leader-election.ts';
import { VirtualClock } from '../../../tools/support/virtual-clock.ts';
import { captureLogger, startSim, until } from './adapter/helpers.ts';

const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

async function candidate(sim: Awaited<ReturnType<typeof startSim>>, identity: string, clock = new VirtualClock(Date.UTC(2026, 0, 1))) {
  const { logger, lines } = captureLogger();
  const events: string[] = [];
  const elector = new LeaderElector({
    kubeConfig: sim.kubeConfig(), clock, logger, namespace: 'kube-system', name: 'kube-ingress-aws-controller', identity, ...TIMINGS,
    onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped'),
  });
  return { elector, clock, events, lines };
}

/** Lets the elector's HTTP round trips finish between clock steps. */
async function step(c: { clock: VirtualClock }, ms: number) {
  for (let i = 0; i < ms / 1000; i++) {
    c.clock.advance(1000);
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('LeaderElector', () => {
  it('elects one leader; the other waits a whole lease duration of silence before taking over', async () => {
    const sim = await startSim();
    const a = await candidate(sim, 'a');
    a.elector.start();
    await until(() => a.events.includes('started'), 'a leads');
    expect(a.elector.isLeader()).toBe(true);

    const b = await candidate(sim, 'b');
    b.elector.start();
    // a keeps renewing: b stays standby however long it waits.
    for (let i = 0; i < 10; i++) {
      await step(a, 2000);
      await step(b, 2000);
    }
    expect(b.events).toEqual([]);
    expect(b.elector.status()).toMatchObject({ mode: 'standby', holder: 'a' });

    // a dies (its clock no longer moves, so it never renews): b takes over after the lease duration, not before.
    await step(b, 12_000);
    expect(b.events).toEqual([]);
    await step(b, 6_000);
    await until(() => b.events.includes('started'), 'b leads');
    const lease = sim.list('Lease')[0] as { spec: { holderIdentity: string; leaseTransitions: number } };
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.elector.stop();

  });

  it('writes renewTime and acquireTime as MicroTimes (six fractional digits), which a real API server requires', async () => {
    const sim = await startSim();
    const a = await candidate(sim, 'a', new VirtualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 655)));
    a.elector.start();
    await until(() => a.events.includes('started'), 'a leads');
    await step(a, 2000);
    const lease = sim.list('Lease')[0] as { spec: { renewTime: string; acquireTime: string } };
    expect(lease.spec.acquireTime).toBe('2026-01-01T00:00:00.655000Z');
    expect(lease.spec.renewTime).toMatch(/^2026-01-01T00:00:0\d\.\d{6}Z$/);
    await a.elector.stop();
  });

  it('a leader that cannot renew stops mutating before its lease can expire, and reports the loss', async () => {
    const sim = await startSim();
    const a = await candidate(sim, 'a');
    a.elector.start();
    await until(() => a.events.includes('started'), 'a leads');
    for (let i = 0; i < 10; i++) sim.failNext('PUT', /leases/, 500, 'etcd unavailable');
    await step(a, 9_000);
    expect(a.elector.isLeader()).toBe(true);
    await step(a, 2_000);
    expect(a.elector.isLeader()).toBe(false);
    await until(() => a.events.includes('stopped'), 'a stepped down');
    expect(a.lines.some((l) => l.event === 'leader-lost')).toBe(true);
    await a.elector.stop();

  });

  it('runs as the only instance, saying why once, when the Lease API is forbidden', async () => {
    const sim = await startSim();
    sim.failNext('GET', /leases/, 403, 'leases.coordination.k8s.io is forbidden');
    const a = await candidate(sim, 'a');
    a.elector.start();
    await until(() => a.events.includes('started'), 'single instance');
    expect(a.elector.status()).toMatchObject({ mode: 'single-instance', reason: expect.stringContaining('leases.coordination.k8s.io in namespace kube-system') });
    expect(a.elector.isLeader()).toBe(true);
    expect(a.lines.filter((l) => l.event === 'leader-election-unavailable')).toHaveLength(1);
    await a.elector.stop();

  });

  it('a leader that stops gives the Lease up, so a successor need not wait', async () => {
    const sim = await startSim();
    const a = await candidate(sim, 'a');
    a.elector.start();
    await until(() => a.events.includes('started'), 'a leads');
    await a.elector.stop();
    const b = await candidate(sim, 'b');
    b.elector.start();
    await until(() => b.events.includes('started'), 'b leads at once');
    await b.elector.stop();

  });

  it('takes the namespace from the service account, else kube-system', () => {
    expect(defaultLeaseNamespace(() => 'ingress\n')).toBe('ingress');
    expect(defaultLeaseNamespace(() => { throw new Error('ENOENT'); })).toBe('kube-system');
  });
});
