// RouteGroup support follows zalando.org/v1 discovery: off on 404/403 with a warning, picked up when the CRD
// appears (periodic re-probe), dropped when it goes away, and never decided on an inconclusive answer.
import { describe, expect, it } from 'vitest';
import type { ClusterChange } from '../../../../services/kubernetes/adapter.ts';
import { ingress, names, routeGroup, startAdapter, startSim, until } from './helpers.ts';

describe('RouteGroup discovery', () => {
  it('starts without RouteGroups on 404, then picks them up after a re-probe once the CRD appears', async () => {
    const sim = await startSim({ objects: [ingress('a')], routeGroupsCRD: false });
    const { adapter, lines } = await startAdapter(sim, { routeGroupProbeIntervalMs: 50 });
    expect(adapter.snapshot().routeGroupsEnabled).toBe(false);
    expect(names(adapter)).toEqual(['Ingress/default/a']);
    expect(lines.find((l) => l.event === 'route-groups-disabled')).toMatchObject({ level: 40, reason: 'absent' });
    expect(sim.readCounts()['list /apis/zalando.org/v1/routegroups']).toBeUndefined();

    const seen: ClusterChange[] = [];
    adapter.onChange((c) => seen.push(c));
    sim.setRouteGroupsEnabled(true);
    sim.apply(routeGroup('r'));
    await until(() => adapter.snapshot().routeGroupsEnabled, 'enabled', 2000);
    expect(names(adapter)).toEqual(['Ingress/default/a', 'RouteGroup/default/r']);
    expect(seen).toContainEqual({ type: 'routegroups', enabled: true });

    // Watched from then on.
    sim.apply(routeGroup('s'));
    await until(() => names(adapter).length === 3, 'second routegroup');

    // The CRD goes away: the failing watch triggers an immediate re-probe.
    sim.setRouteGroupsEnabled(false);
    await until(() => !adapter.snapshot().routeGroupsEnabled, 'disabled', 2000);
    expect(names(adapter)).toEqual(['Ingress/default/a']);
    expect(seen).toContainEqual({ type: 'routegroups', enabled: false });
  });

  it('notices the CRD going away before the next periodic probe', async () => {
    const sim = await startSim({ objects: [routeGroup('r')] });
    const { adapter } = await startAdapter(sim, { routeGroupProbeIntervalMs: 3_600_000 });
    expect(adapter.snapshot().routeGroupsEnabled).toBe(true);
    await until(() => sim.watches().length === 2, 'watches');
    sim.setRouteGroupsEnabled(false);
    await until(() => !adapter.snapshot().routeGroupsEnabled, 'disabled after the watch met 404', 2000);
    expect(names(adapter)).toEqual([]);
  });

  it('treats 403 as disabled, like upstream, but keeps probing', async () => {
    const sim = await startSim({ objects: [routeGroup('r')] });
    sim.failNext('GET', /^\/apis\/zalando\.org\/v1$/, 403);
    const { adapter, lines } = await startAdapter(sim, { routeGroupProbeIntervalMs: 50 });
    expect(adapter.snapshot().routeGroupsEnabled).toBe(false);
    expect(lines.find((l) => l.event === 'route-groups-disabled')).toMatchObject({ reason: 'forbidden' });
    await until(() => adapter.snapshot().routeGroupsEnabled, 'enabled on the next probe', 2000);
    expect(names(adapter)).toEqual(['RouteGroup/default/r']);
  });

  it('does not start on an inconclusive discovery answer: retries until it knows', async () => {
    const sim = await startSim({ objects: [routeGroup('r')] });
    sim.failNext('GET', /^\/apis\/zalando\.org\/v1$/, 500);
    sim.failNext('GET', /^\/apis\/zalando\.org\/v1$/, 503);
    const { adapter, lines } = await startAdapter(sim);
    expect(adapter.snapshot().routeGroupsEnabled).toBe(true);
    expect(names(adapter)).toEqual(['RouteGroup/default/r']);
    expect(lines.filter((l) => l.event === 'route-group-discovery-failed')).toHaveLength(2);
  });

  it('keeps RouteGroups when a later probe fails or is forbidden', async () => {
    const sim = await startSim({ objects: [routeGroup('r')] });
    const { adapter, lines } = await startAdapter(sim, { routeGroupProbeIntervalMs: 30 });
    sim.failNext('GET', /^\/apis\/zalando\.org\/v1$/, 500);
    sim.failNext('GET', /^\/apis\/zalando\.org\/v1$/, 403);
    await until(() => lines.some((l) => l.event === 'route-groups-forbidden'), 'forbidden probe', 2000);
    expect(lines.some((l) => l.event === 'route-group-discovery-failed')).toBe(true);
    expect(adapter.snapshot().routeGroupsEnabled).toBe(true);
    expect(names(adapter)).toEqual(['RouteGroup/default/r']);
  });
});
