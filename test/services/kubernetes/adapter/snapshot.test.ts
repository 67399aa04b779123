// Snapshots: what start() lists, in which order, filtered by class, and parsed only once per object version.
import { describe, expect, it } from 'vitest';
import { configOf } from '../../config/helpers.ts';
import { ingress, ingressRef, names, routeGroup, startAdapter, startSim, until } from './helpers.ts';

describe('snapshot', () => {
  it('holds every Ingress then every RouteGroup, each sorted by namespace and name, once start() resolves', async () => {
    const sim = await startSim({
      objects: [ingress('b', { namespace: 'z' }), ingress('a', { namespace: 'z' }), ingress('c'), routeGroup('r2'), routeGroup('r1', { namespace: 'a' })],
    });
    const { adapter } = await startAdapter(sim);
    const snapshot = adapter.snapshot();
    expect(names(adapter)).toEqual(['Ingress/default/c', 'Ingress/z/a', 'Ingress/z/b', 'RouteGroup/a/r1', 'RouteGroup/default/r2']);
    expect(snapshot.routeGroupsEnabled).toBe(true);
    expect(snapshot.rejected).toEqual([]);
    const c = snapshot.ingresses[0]!;
    expect(c.hostnames).toEqual(['c.example.org']);
    expect(c.uid).toBe((sim.get(ingressRef('c'))!.metadata as { uid: string }).uid);
  });

  it('applies --ingress-class-filter: spec.ingressClassName wins over the annotation, RouteGroups use the annotation', async () => {
    const sim = await startSim({
      objects: [
        ingress('by-name', { className: 'skipper' }),
        ingress('by-annotation', { annotations: { 'kubernetes.io/ingress.class': 'skipper' } }),
        ingress('name-wins', { className: 'other', annotations: { 'kubernetes.io/ingress.class': 'skipper' } }),
        ingress('unclassed'),
        routeGroup('rg-skipper', { annotations: { 'kubernetes.io/ingress.class': 'skipper' } }),
        routeGroup('rg-other', { annotations: { 'kubernetes.io/ingress.class': 'other' } }),
      ],
    });
    const { adapter, changes } = await startAdapter(sim, { config: configOf(['--ingress-class-filter=skipper']) });
    expect(names(adapter)).toEqual(['Ingress/default/by-annotation', 'Ingress/default/by-name', 'RouteGroup/default/rg-skipper']);

    // Changes to objects the filter refuses are nobody's business...
    const before = changes.length;
    sim.apply(ingress('unclassed', { hosts: ['changed.example.org'] }));
    sim.apply(ingress('unclassed-too'));
    // ...but an object leaving the filter is a change (it disappears from the snapshot).
    sim.apply(ingress('by-name', { className: 'other' }));
    await until(() => changes.length > before, 'change');
    expect(changes.length).toBe(before + 1);
    expect(names(adapter)).toEqual(['Ingress/default/by-annotation', 'RouteGroup/default/rg-skipper']);
  });

  it('an empty filter entry selects unclassed objects only', async () => {
    const sim = await startSim({ objects: [ingress('unclassed'), ingress('classed', { className: 'skipper' })] });
    const { adapter } = await startAdapter(sim, { config: configOf(['--ingress-class-filter=other,']) });
    expect(names(adapter)).toEqual(['Ingress/default/unclassed']);
  });

  it('reuses the parse of unchanged objects and re-parses a changed one', async () => {
    const sim = await startSim({ objects: [ingress('a'), ingress('b')] });
    const { adapter, changes } = await startAdapter(sim);
    const first = adapter.snapshot();
    expect(adapter.snapshot()).toBe(first);

    const before = changes.length;
    sim.apply(ingress('b', { hosts: ['new.example.org'] }));
    await until(() => changes.length > before, 'change');
    const second = adapter.snapshot();
    expect(second).not.toBe(first);
    expect(second.ingresses[0]).toBe(first.ingresses[0]);
    expect(second.ingresses[1]).not.toBe(first.ingresses[1]);
    expect(second.ingresses[1]!.hostnames).toEqual(['new.example.org']);
  });
});

describe('changes that change nothing', () => {
  it('a status write (ours) or a label change starts no cycle, yet the snapshot holds the new version', async () => {
    const sim = await startSim({ objects: [ingress('a'), ingress('b')] });
    const { adapter, changes } = await startAdapter(sim);
    const before = changes.length;
    await adapter.writeStatus({ kind: 'Ingress', namespace: 'default', name: 'a' }, 'lb-1.example.org');
    const labelled = { ...ingress('b'), metadata: { name: 'b', namespace: 'default', labels: { team: 'x' } } };
    sim.apply(labelled);
    const versionOf = (name: string) => (sim.get(ingressRef(name))!.metadata as { resourceVersion: string }).resourceVersion;
    await until(() => adapter.snapshot().ingresses.every((i) => i.resourceVersion === versionOf(i.ref.name)), 'new versions cached');
    // A real change afterwards is the first thing onChange hears about.
    sim.apply(ingress('a', { hosts: ['changed.example.org'] }));
    await until(() => changes.length > before, 'change');
    expect(changes.length).toBe(before + 1);
    expect(adapter.snapshot().ingresses.find((i) => i.ref.name === 'a')!.hostnames).toEqual(['changed.example.org']);
  });
});
