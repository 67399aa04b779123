// Watch-driven reaction: how fast changes reach onChange, and recovery from everything that can happen to a
// watch (server-side end, dropped connection, expired resourceVersion, HTTP errors).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { ingress, ingressRef, names, sleep, startAdapter, startSim, until } from './helpers.ts';

const INGRESS_WATCH = 'watch /apis/networking.k8s.io/v1/ingresses';
const INGRESS_LIST = 'list /apis/networking.k8s.io/v1/ingresses';

describe('watch reaction', () => {
  it('delivers add, update and delete to onChange, each once and in order', async () => {
    const sim = await startSim({ objects: [ingress('seed')] });
    const { adapter, changes } = await startAdapter(sim);
    await until(() => sim.watches().length === 2, 'watches');
    const seen: string[] = [];
    adapter.onChange((change) => seen.push(change.type === 'routegroups' ? 'routegroups' : `${change.type} ${change.ref.name}`));
    const measure = async (write: () => void) => {
      const before = changes.length;
      write();
      await until(() => changes.length > before, 'change');
    };
    for (let i = 0; i < 10; i++) {
      await measure(() => sim.apply(ingress(`x${i}`)));
      await measure(() => sim.apply(ingress(`x${i}`, { hosts: [`updated-${i}.example.org`] })));
      await measure(() => sim.delete(ingressRef(`x${i}`)));
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => [`add x${i}`, `update x${i}`, `delete x${i}`]).flat());
    expect(names(adapter)).toEqual(['Ingress/default/seed']);
  });

  it('resumes after the server ends the watch, without relisting', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const { adapter } = await startAdapter(sim);
    await until(() => sim.watches().length === 2, 'watches');
    sim.endWatches();
    sim.apply(ingress('b'));
    await until(() => names(adapter).length === 2, 'b');
    expect(sim.readCounts()[INGRESS_LIST]).toBe(1);
  });

  it('recovers from dropped connections and sees what changed meanwhile', async () => {
    const sim = await startSim({ objects: [ingress('a'), ingress('b')] });
    const { adapter } = await startAdapter(sim);
    await until(() => sim.watches().length === 2, 'watches');
    // All in one tick: the client cannot reconnect before the changes are made.
    sim.dropWatches();
    sim.apply(ingress('a', { hosts: ['moved.example.org'] }));
    sim.delete(ingressRef('b'));
    sim.apply(ingress('c'));
    await until(() => names(adapter).join() === 'Ingress/default/a,Ingress/default/c', 'catch-up');
    expect(adapter.snapshot().ingresses[0]!.hostnames).toEqual(['moved.example.org']);
    // Resumed from history: no relist needed.
    expect(sim.readCounts()[INGRESS_LIST]).toBe(1);
  });

  for (const style of ['event', 'http'] as const) {
    it(`relists after 410 Expired (${style === 'event' ? 'in-stream ERROR event' : 'HTTP 410'}) and sees what changed meanwhile`, async () => {
      const sim = await startSim({ objects: [ingress('a'), ingress('b')], expiredWatchStyle: style });
      const { adapter, changes } = await startAdapter(sim);
      await until(() => sim.watches().length === 2, 'watches');
      sim.dropWatches();
      sim.apply(ingress('a', { hosts: ['moved.example.org'] }));
      sim.delete(ingressRef('b'));
      sim.apply(ingress('c'));
      sim.expireHistory();
      const before = changes.length;
      await until(() => names(adapter).join() === 'Ingress/default/a,Ingress/default/c', 'relist');
      expect(adapter.snapshot().ingresses[0]!.hostnames).toEqual(['moved.example.org']);
      expect(sim.readCounts()[INGRESS_LIST]).toBe(2);
      // update a, delete b, add c: each reported.
      await until(() => changes.length >= before + 3, 'changes');
    });
  }

  it('restarts the informer after the watch fails with HTTP 500, with backoff, and catches up', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const { adapter, lines } = await startAdapter(sim);
    await until(() => sim.watches().length === 2, 'watches');
    sim.failNext('GET', /\/ingresses\?watch=true/, 500, 'etcd is sulking');
    sim.endWatches();
    sim.apply(ingress('b'));
    await until(() => names(adapter).length === 2, 'b after restart');
    const restart = lines.find((l) => l.event === 'informer-restart');
    expect(restart).toMatchObject({ informer: 'ingresses', httpStatus: 500, level: 40 });
    await until(() => sim.watches().length === 2, 'watch re-established');
  });

  it('retries a failed initial list until it succeeds before start() resolves', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    sim.failNext('GET', /\/ingresses$/, 503);
    sim.failNext('GET', /\/ingresses$/, 500);
    const { adapter, lines } = await startAdapter(sim);
    expect(names(adapter)).toEqual(['Ingress/default/a']);
    expect(lines.filter((l) => l.event === 'informer-restart').map((l) => l.httpStatus)).toEqual([503, 500]);
  });

  it('schedules restarts and watch recycling on the injected clock', async () => {
    const clock = new VirtualClock();
    const sim = await startSim({ objects: [ingress('a')] });
    const { adapter, lines } = await startAdapter(sim, {
      clock,
      backoff: { initialMs: 1000, maxMs: 8000 },
      watchRestartIntervalMs: 60_000,
      routeGroupProbeIntervalMs: 3_600_000,
    });
    await until(() => sim.watches().length === 2, 'watches');

    // Periodic recycle: a new watch from the last resourceVersion, no relist.
    clock.advance(60_000);
    await until(() => sim.readCounts()[INGRESS_WATCH] === 2, 'recycled watch');
    expect(sim.readCounts()[INGRESS_LIST]).toBe(1);
    await until(() => sim.watches().length === 2, 'watches again');

    // A failure waits for the clock: nothing happens in real time until the backoff elapses.
    sim.failNext('GET', /\/ingresses\?watch=true/, 500);
    sim.endWatches();
    await until(() => lines.some((l) => l.event === 'informer-restart'), 'restart scheduled');
    sim.apply(ingress('b'));
    await sleep(100);
    expect(names(adapter)).toEqual(['Ingress/default/a']);
    clock.advance(999);
    await sleep(50);
    expect(names(adapter)).toEqual(['Ingress/default/a']);
    clock.advance(1);
    await until(() => names(adapter).length === 2, 'b after the backoff');
  });
});
