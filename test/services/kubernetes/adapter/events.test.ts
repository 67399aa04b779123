// Warning Events for annotation problems: one per object version, written in core/v1 shape, failures logged.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { EventRecorder } from '../../../../services/kubernetes/event-recorder.ts';
import { NLB_SG_WAF_ERROR } from '../../../../services/kubernetes/ingress-parser.ts';
import { captureLogger, ingress, ingressRef, routeGroup, sleep, startAdapter, startSim, until } from './helpers.ts';

const NLB_WITH_SG = {
  'zalando.org/aws-load-balancer-type': 'nlb',
  'zalando.org/aws-load-balancer-security-group': 'sg-123',
};

const eventWrites = (sim: { writes: readonly { method: string; path: string; body: unknown }[] }) =>
  sim.writes.filter((w) => w.path.includes('/events'));

describe('Warning Events', () => {
  it('reports a rejected object (NLB + security group annotations) with exactly one Event across snapshots', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
    const sim = await startSim({ objects: [ingress('ok'), ingress('bad', { annotations: NLB_WITH_SG })] });
    const { adapter, lines } = await startAdapter(sim, { clock, routeGroupProbeIntervalMs: 3_600_000 });
    for (let i = 0; i < 5; i++) {
      const snapshot = adapter.snapshot();
      expect(snapshot.ingresses.map((x) => x.ref.name)).toEqual(['ok']);
      expect(snapshot.rejected).toEqual([
        { ref: { kind: 'Ingress', namespace: 'default', name: 'bad' }, uid: expect.any(String), errors: [NLB_SG_WAF_ERROR] },
      ]);
    }
    // An unrelated change makes the next snapshot a rebuild; still no second Event.
    sim.apply(ingress('ok', { hosts: ['other.example.org'] }));
    await until(() => adapter.snapshot().ingresses[0]!.hostnames[0] === 'other.example.org', 'update');
    adapter.snapshot();
    await adapter.events.flush();
    await sleep(50);

    const events = sim.list('Event');
    expect(events).toHaveLength(1);
    const uid = (sim.get(ingressRef('bad'))!.metadata as { uid: string }).uid;
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reason: 'InvalidAnnotation',
      message: `${NLB_SG_WAF_ERROR}; the Ingress is ignored`,
      involvedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'bad', namespace: 'default', uid },
      source: { component: 'kube-ingress-aws-controller' },
      reportingComponent: 'kube-ingress-aws-controller',
      reportingInstance: 'test-instance',
      count: 1,
    });
    expect(new Date(events[0]!.firstTimestamp as string).getTime()).toBe(clock.now());
    expect(eventWrites(sim)).toHaveLength(1);
    expect(eventWrites(sim)[0]).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/events' });

    const logged = lines.filter((l) => l.event === 'kubernetes-event' && l.reason === 'InvalidAnnotation');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ ingress: 'default/bad', kind: 'Ingress', level: 40 });
  });

  it('records each annotation warning once whatever the resourceVersion; a problem that comes back bumps its Event', async () => {
    const sim = await startSim({ objects: [routeGroup('rg', { annotations: { 'zalando.org/aws-load-balancer-scheme': 'private' } })] });
    const { adapter } = await startAdapter(sim);
    await until(() => sim.list('Event').length === 1, 'first event');
    const first = sim.list('Event')[0]!;
    expect(first).toMatchObject({ type: 'Warning', reason: 'InvalidAnnotation', count: 1, involvedObject: { apiVersion: 'zalando.org/v1', kind: 'RouteGroup', name: 'rg' } });
    expect(String(first.message)).toContain('zalando.org/aws-load-balancer-scheme');
    expect(adapter.snapshot().ingresses[0]!.scheme).toBe('internet-facing');
    const firstVersion = adapter.snapshot().ingresses[0]!.resourceVersion;

    // A new version with the same problem (the controller's own status write does this): no new Event.
    sim.apply(routeGroup('rg', { annotations: { 'zalando.org/aws-load-balancer-scheme': 'private', unrelated: 'x' } }));
    await until(() => adapter.snapshot().ingresses[0]?.resourceVersion !== firstVersion, 'the new version parsed');
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.list('Event').map((e) => e.count)).toEqual([1]);
    // Another problem, then the first one back: the first Event is counted twice, via merge-patch.
    sim.apply(routeGroup('rg', { annotations: { 'zalando.org/aws-load-balancer-scheme': 'elsewhere' } }));
    await until(() => sim.list('Event').length === 2, 'second event');
    sim.apply(routeGroup('rg', { annotations: { 'zalando.org/aws-load-balancer-scheme': 'private' } }));
    await until(() => sim.list('Event').some((e) => e.count === 2), 'count bump');
    expect(sim.list('Event')).toHaveLength(2);
    const patch = eventWrites(sim).find((w) => w.method === 'PATCH');
    expect(patch).toMatchObject({ contentType: 'application/merge-patch+json', body: { count: 2, lastTimestamp: expect.any(String) } });
  });

  it('logs Event write failures and never throws', async () => {
    const sim = await startSim();
    const { logger, lines } = captureLogger();
    const recorder = new EventRecorder({ kubeConfig: sim.kubeConfig(), clock: new VirtualClock(), logger });
    const ref = { kind: 'Ingress' as const, namespace: 'default', name: 'x' };
    sim.failNext('POST', /\/events$/, 403, 'events is forbidden');
    await expect(recorder.record(ref, 'uid-1', 'Warning', 'InvalidAnnotation', 'boom', { resourceVersion: '1' })).resolves.toBeUndefined();
    // RBAC refusing Events (upstream's ClusterRole) is named once, with resource and verb, then only counted.
    const failure = lines.find((l) => l.event === 'rbac-forbidden');
    expect(failure).toMatchObject({ ingress: 'default/x', resource: 'events', verb: 'create', reason: 'InvalidAnnotation', level: 50 });
    expect(recorder.forbiddenWrites).toBe(1);
    // Not retried for the same version (RBAC without events: create would otherwise log every cycle).
    await recorder.record(ref, 'uid-1', 'Warning', 'InvalidAnnotation', 'boom', { resourceVersion: '1' });
    expect(sim.writes.filter((w) => w.method === 'POST')).toHaveLength(1);
    // The same Normal message twice is one Event: messages that must repeat carry what makes them differ.
    await recorder.record(ref, 'uid-1', 'Normal', 'LoadBalancerCreated', 'created', {});
    await recorder.record(ref, 'uid-1', 'Normal', 'LoadBalancerCreated', 'created', {});
    const normal = sim.list('Event').filter((e) => e.type === 'Normal');
    expect(normal).toHaveLength(1);
    expect(normal[0]!.count).toBe(1);
    // A message over 1 KB is cut, saying how long it was.
    await recorder.record(ref, 'uid-1', 'Warning', 'NoLoadBalancer', `no certificate for ${'h.example.org '.repeat(500)}`, {});
    const long = sim.list('Event').find((e) => e.reason === 'NoLoadBalancer')!;
    expect(Buffer.byteLength(String(long.message))).toBeLessThanOrEqual(1024);
    expect(String(long.message)).toMatch(/truncated, 7019 characters\)$/);
  });

  it('bounds its memory: forgotten or evicted series are recorded afresh', async () => {
    const sim = await startSim();
    const recorder = new EventRecorder({ kubeConfig: sim.kubeConfig(), clock: new VirtualClock(), logger: captureLogger().logger, maxTracked: 2 });
    const ref = (name: string) => ({ kind: 'Ingress' as const, namespace: 'default', name });
    const posts = () => sim.writes.filter((w) => w.method === 'POST').length;
    await recorder.record(ref('a'), 'uid-a', 'Warning', 'InvalidAnnotation', 'm', { resourceVersion: '1' });
    await recorder.record(ref('b'), 'uid-b', 'Warning', 'InvalidAnnotation', 'm', { resourceVersion: '1' });
    await recorder.record(ref('a'), 'uid-a', 'Warning', 'InvalidAnnotation', 'm', { resourceVersion: '1' });
    expect(posts()).toBe(2);
    await recorder.record(ref('c'), 'uid-c', 'Warning', 'InvalidAnnotation', 'm', { resourceVersion: '1' });
    // 'a' was the oldest series and is gone; 'b' is forgotten explicitly.
    recorder.forget('uid-b');
    await recorder.record(ref('a'), 'uid-a', 'Warning', 'InvalidAnnotation', 'm', { resourceVersion: '1' });
    await recorder.record(ref('b'), 'uid-b', 'Warning', 'InvalidAnnotation', 'm', { resourceVersion: '1' });
    expect(posts()).toBe(5);
  });
});
