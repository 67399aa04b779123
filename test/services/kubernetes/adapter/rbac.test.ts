// RBAC that degrades clearly: a forbidden watch falls back to listing every polling interval (upstream's
// ClusterRole grants only get/list on routegroups), each refusal is named once with its resource and verb,
// refused Event writes are logged once and counted, and the adapter reports what it may not do.
import { describe, expect, it } from 'vitest';
import { configOf } from '../../config/helpers.ts';
import { ingress, names, routeGroup, startAdapter, startSim, until } from './helpers.ts';

describe('RBAC refusals', () => {
  it('lists every polling interval when watching routegroups is forbidden, and sees later changes', async () => {
    const sim = await startSim({ objects: [routeGroup('first')] });
    sim.failAlways('GET', /routegroups\?.*watch=true/, 403, 'routegroups.zalando.org is forbidden: cannot watch');
    const { adapter, lines } = await startAdapter(sim, { config: configOf(['--polling-interval=1s']), routeGroupProbeIntervalMs: 60_000 });
    await until(() => adapter.snapshot().ingresses.some((i) => i.ref.name === 'first'), 'the first list');
    sim.apply(routeGroup('later'));
    await until(() => adapter.snapshot().ingresses.some((i) => i.ref.name === 'later'), 'a RouteGroup created later, by polling', 5000);
    sim.delete({ apiVersion: 'zalando.org/v1', kind: 'RouteGroup', name: 'first' });
    await until(() => !adapter.snapshot().ingresses.some((i) => i.ref.name === 'first'), 'a deletion, by polling', 5000);
    const refusals = lines.filter((l) => l.event === 'rbac-forbidden');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ resource: 'routegroups', verb: 'watch' });
    expect(lines.filter((l) => l.event === 'informer-restart' && l.httpStatus === 403)).toEqual([]);
    expect(adapter.access().informers.find((a) => a.resource === 'routegroups')).toMatchObject({ polling: true, forbidden: ['watch'], failing: false });
    expect(adapter.healthy()).toBe(true);
  });

  it('goes back to watching, and says so, once the watch is allowed', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const allow = sim.failAlways('GET', /ingresses\?.*watch=true/, 403, 'forbidden');
    const { adapter, lines } = await startAdapter(sim, { config: configOf(['--polling-interval=1s']) });
    await until(() => adapter.access().informers[0]!.polling, 'polling');
    allow();
    await until(() => lines.some((l) => l.event === 'rbac-allowed' && l.verb === 'watch'), 'watching again', 5000);
    expect(adapter.access().informers[0]).toMatchObject({ polling: false, forbidden: [] });
    expect(names(adapter)).toEqual(['Ingress/default/a']);
  });

  it('names a forbidden list once, and reports the cache as unhealthy', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const { adapter, lines } = await startAdapter(sim);
    const allow = sim.failAlways('GET', /ingresses(\?(?!.*watch=true)|$)/, 403, 'forbidden');
    // The watch must end and its resume fail (410) for the informer to list again.
    sim.expireHistory();
    sim.dropWatches();
    await until(() => lines.some((l) => l.event === 'rbac-forbidden' && l.verb === 'list'), 'the refusal named', 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(adapter.healthy()).toBe(false);
    expect(lines.filter((l) => l.event === 'rbac-forbidden' && l.verb === 'list')).toHaveLength(1);
    allow();
    await until(() => adapter.healthy(), 'healthy again', 5000);
    expect(lines.some((l) => l.event === 'rbac-allowed' && l.verb === 'list')).toBe(true);
  });

  it('logs refused Event writes once and counts them all', async () => {
    const sim = await startSim();
    sim.failAlways('POST', /\/events$/, 403, 'events is forbidden');
    const bad = { 'zalando.org/aws-load-balancer-scheme': 'private' };
    const { adapter, lines } = await startAdapter(sim);
    sim.apply(ingress('x', { annotations: bad }));
    sim.apply(ingress('y', { annotations: bad }));
    await until(() => adapter.access().eventsForbidden === 2, 'two refusals counted');
    expect(lines.filter((l) => l.event === 'rbac-forbidden' && l.resource === 'events')).toHaveLength(1);
  });
});
