// The real client's informer against the simulator: list then watch, resume after stream ends, relist after
// 410 in both styles, and what an abruptly dropped watch does to it.
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import type { KubernetesSim } from '../../../../tools/sim/kubernetes/index.ts';
import { ingress, routeGroup, startSim, until } from './helpers.ts';

interface Recorder {
  informer: k8s.Informer<k8s.KubernetesObject> & k8s.ObjectCache<k8s.KubernetesObject>;
  log: string[];
  errors: unknown[];
}

function record(informer: Recorder['informer']): Recorder {
  const log: string[] = [];
  const errors: unknown[] = [];
  informer.on('add', (o) => log.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => log.push(`update ${o.metadata?.name}`));
  informer.on('delete', (o) => log.push(`delete ${o.metadata?.name}`));
  informer.on('error', (e) => errors.push(e));
  return { informer, log, errors };
}

function ingressInformer(sim: KubernetesSim): Recorder {
  const kc = sim.kubeConfig();
  const net = kc.makeApiClient(k8s.NetworkingV1Api);
  return record(k8s.makeInformer(kc, '/apis/networking.k8s.io/v1/ingresses', () => net.listIngressForAllNamespaces()));
}

const names = (r: Recorder) => r.informer.list().map((o) => o.metadata?.name).sort();
const watchOpen = (sim: KubernetesSim) => () => sim.watches().length === 1;

async function stop(r: Recorder): Promise<void> {
  await r.informer.stop();
}

describe('informer list and watch', () => {
  it('lists ingresses, then watches from the list resourceVersion and sees add, update and delete', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const r = ingressInformer(sim);
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    const listVersion = sim.resourceVersion();
    expect(sim.watches()[0]!.path).toBe(`/apis/networking.k8s.io/v1/ingresses?watch=true&resourceVersion=${listVersion}`);
    expect(names(r)).toEqual(['a']);

    sim.apply(ingress('b'));
    sim.apply(ingress('a', { metadata: { name: 'a', namespace: 'default', annotations: { x: 'y' } } }));
    sim.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'b' });
    await until(() => r.log.length === 4, 'events');
    expect(r.log).toEqual(['add a', 'add b', 'update a', 'delete b']);
    expect(r.informer.get('a', 'default')?.metadata?.annotations).toEqual({ x: 'y' });
    expect(sim.readCounts()).toEqual({
      'list /apis/networking.k8s.io/v1/ingresses': 1,
      'watch /apis/networking.k8s.io/v1/ingresses': 1,
    });
    await stop(r);
  });

  it('lists and watches routegroups through CustomObjectsApi', async () => {
    const sim = await startSim({ objects: [routeGroup('rg1')] });
    const kc = sim.kubeConfig();
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const r = record(k8s.makeInformer(kc, '/apis/zalando.org/v1/routegroups',
      () => custom.listClusterCustomObject({ group: 'zalando.org', version: 'v1', plural: 'routegroups' })));
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    sim.apply(routeGroup('rg2', 'other'));
    sim.delete({ apiVersion: 'zalando.org/v1', kind: 'RouteGroup', name: 'rg1' });
    await until(() => r.log.length === 3, 'events');
    expect(r.log).toEqual(['add rg1', 'add rg2', 'delete rg1']);
    // Custom resources keep kind/apiVersion on list items; that is how kube-apiserver serves them.
    expect(r.informer.get('rg2', 'other')).toMatchObject({ kind: 'RouteGroup', apiVersion: 'zalando.org/v1' });
    await stop(r);
  });

  it('resumes from the last resourceVersion without relisting when the server ends the stream', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const r = ingressInformer(sim);
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    sim.apply(ingress('b'));
    await until(() => r.log.length === 2, 'add b');
    const seen = sim.resourceVersion();

    expect(sim.endWatches()).toBe(1);
    await until(() => sim.watches()[0]?.resourceVersion === seen, 'resumed watch');
    sim.apply(ingress('c'));
    await until(() => r.log.length === 3, 'add c');
    expect(r.log).toEqual(['add a', 'add b', 'add c']);
    expect(sim.readCounts()['list /apis/networking.k8s.io/v1/ingresses']).toBe(1);
    expect(r.errors).toEqual([]);
    await stop(r);
  });
});

describe('410 Expired', () => {
  it.each(['event', 'http'] as const)('relists after expireHistory() (%s style)', async (style) => {
    const sim = await startSim({ objects: [ingress('a'), ingress('b')], expiredWatchStyle: style });
    const r = ingressInformer(sim);
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    await stop(r);
    await until(() => sim.watches().length === 0, 'watch closed');

    // Changes the informer misses, then a compaction: only a relist can tell it what happened.
    sim.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'a' });
    sim.apply(ingress('c'));
    sim.expireHistory();
    const before = sim.readCounts()['watch /apis/networking.k8s.io/v1/ingresses'];

    await r.informer.start();
    await until(() => r.log.length === 4, 'relist events');
    expect(r.log).toEqual(['add a', 'add b', 'delete a', 'add c']);
    expect(names(r)).toEqual(['b', 'c']);
    await until(watchOpen(sim), 'new watch');
    expect(sim.watches()[0]!.resourceVersion).toBe(sim.resourceVersion());
    expect(sim.readCounts()).toMatchObject({
      'list /apis/networking.k8s.io/v1/ingresses': 2,
      'watch /apis/networking.k8s.io/v1/ingresses': (before ?? 0) + 2,
    });
    // The 410 is not an error for the informer: it handles it by relisting.
    expect(r.errors.filter((e) => (e as Error).name !== 'AbortError')).toEqual([]);
    await stop(r);
  });

  it('relists when an open watch is ended after the history was expired', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const r = ingressInformer(sim);
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    sim.expireHistory();
    sim.endWatches();
    await until(() => sim.readCounts()['list /apis/networking.k8s.io/v1/ingresses'] === 2, 'relist');
    await until(watchOpen(sim), 'new watch');
    sim.apply(ingress('b'));
    await until(() => r.log.length === 2, 'add b');
    expect(r.log).toEqual(['add a', 'add b']);
    await stop(r);
  });
});

describe('dropped watch', () => {
  // Destroying the socket under the stream is not a normal end for client-node 1.4.0: node-fetch reports
  // ERR_STREAM_PREMATURE_CLOSE, the informer emits `error` and stops. Controllers must restart it on error;
  // the restart resumes with the cached resourceVersion and the simulator replays what was missed.
  it('stops the informer with ERR_STREAM_PREMATURE_CLOSE; a restart resumes without relisting', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const r = ingressInformer(sim);
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    const resumeFrom = sim.resourceVersion();

    expect(sim.dropWatches()).toBe(1);
    await until(() => r.errors.length === 1, 'error');
    expect((r.errors[0] as { code?: string }).code).toBe('ERR_STREAM_PREMATURE_CLOSE');
    sim.apply(ingress('missed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.watches()).toEqual([]);

    await r.informer.start();
    await until(() => r.log.includes('add missed'), 'missed event replayed');
    expect(sim.watches()[0]!.resourceVersion).toBe(resumeFrom);
    expect(sim.readCounts()['list /apis/networking.k8s.io/v1/ingresses']).toBe(1);
    await stop(r);
  });
});

describe('watch lifetime', () => {
  it('ends a watch after timeoutSeconds of the injected clock', async () => {
    const clock = new VirtualClock();
    const sim = await startSim({ clock, objects: [ingress('a')] });
    const watch = new k8s.Watch(sim.kubeConfig());
    let done: unknown = 'not yet';
    const types: string[] = [];
    await watch.watch('/apis/networking.k8s.io/v1/ingresses', { resourceVersion: sim.resourceVersion(), timeoutSeconds: 30 },
      (type) => types.push(type), (err) => { done = err; });
    await until(watchOpen(sim), 'watch');
    clock.advance(29_000);
    sim.apply(ingress('b'));
    await until(() => types.length === 1, 'event');
    expect(done).toBe('not yet');
    clock.advance(1_000);
    await until(() => done !== 'not yet', 'stream end');
    expect(done).toBeNull();
    expect(types).toEqual(['ADDED']);
  });

  it('ends routegroup watches when the API goes away; the re-watch meets a 404', async () => {
    const sim = await startSim({ objects: [routeGroup('rg1')] });
    const kc = sim.kubeConfig();
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const r = record(k8s.makeInformer(kc, '/apis/zalando.org/v1/routegroups',
      () => custom.listClusterCustomObject({ group: 'zalando.org', version: 'v1', plural: 'routegroups' })));
    await r.informer.start();
    await until(watchOpen(sim), 'watch');
    sim.setRouteGroupsEnabled(false);
    await until(() => r.errors.length === 1, 'error');
    expect((r.errors[0] as { statusCode?: number }).statusCode).toBe(404);
    await stop(r);
  });
});
