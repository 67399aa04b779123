// Wire-level behaviour checked without the client: watch framing and replay, 410 in both styles, selector
// transitions in watches, finalizers, paging and the Status error shape.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { startKubernetesSim } from '../../../../tools/sim/kubernetes/index.ts';
import { getJson, ingress, pod, rawWatch, send, startSim } from './helpers.ts';

const ingresses = '/apis/networking.k8s.io/v1/namespaces/default/ingresses';

describe('watch protocol', () => {
  it('replays from a resourceVersion, frames events as NDJSON lines, and starts with ADDED for version 0', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const version = sim.resourceVersion();
    sim.apply(ingress('b'));
    const fromVersion = await rawWatch(`${sim.url}${ingresses}?watch=1&resourceVersion=${version}`);
    const fromZero = await rawWatch(`${sim.url}${ingresses}?watch=true&resourceVersion=0`);
    sim.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'a' });
    sim.endWatches();
    await Promise.all([fromVersion.ended, fromZero.ended]);

    expect(fromVersion.status).toBe(200);
    expect(fromVersion.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED a']);
    expect(fromZero.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(fromVersion.text().endsWith('}\n')).toBe(true);
    // Watch events, unlike list items, carry kind and apiVersion.
    expect(fromVersion.events[0]!.object).toMatchObject({ kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' });
    // A deletion gets its own resourceVersion.
    expect(fromVersion.events[1]!.object.metadata.resourceVersion).toBe(sim.resourceVersion());
  });

  it('answers a watch older than the bounded history with 410, in-stream or as HTTP status', async () => {
    const sim = await startSim({ historyLimit: 2 });
    const start = sim.resourceVersion();
    for (const name of ['a', 'b', 'c']) sim.apply(ingress(name));

    const inStream = await rawWatch(`${sim.url}${ingresses}?watch=true&resourceVersion=${start}`);
    await inStream.ended;
    expect(inStream.status).toBe(200);
    expect(inStream.events).toEqual([{
      type: 'ERROR',
      object: expect.objectContaining({ kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' }),
    }]);

    // Still inside the window: the last two changes replay.
    const inside = await rawWatch(`${sim.url}${ingresses}?watch=true&resourceVersion=${Number(start) + 1}`);
    sim.endWatches();
    await inside.ended;
    expect(inside.events.map((e) => e.object.metadata.name)).toEqual(['b', 'c']);

    sim.setExpiredWatchStyle('http');
    const plain = await getJson(`${sim.url}${ingresses}?watch=true&resourceVersion=${start}`);
    expect(plain.status).toBe(410);
    expect(plain.body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('turns label changes into ADDED and DELETED for a selector-filtered watch', async () => {
    const sim = await startSim({ objects: [pod('p', { role: 'router' })] });
    const watch = await rawWatch(`${sim.url}/api/v1/namespaces/default/pods?watch=true&labelSelector=role%3Drouter&resourceVersion=${sim.resourceVersion()}`);
    sim.apply(pod('p', { role: 'other' }));
    sim.apply(pod('p', { role: 'router' }));
    sim.apply(pod('q', { role: 'other' }));
    sim.endWatches();
    await watch.ended;
    expect(watch.events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
  });
});

describe('object semantics', () => {
  it('keeps an object with finalizers until they are removed', async () => {
    const sim = await startSim();
    sim.apply(ingress('f', { metadata: { name: 'f', namespace: 'default', finalizers: ['example.org/hold'] } }));
    const gone = await fetch(`${sim.url}${ingresses}/f`, { method: 'DELETE' });
    expect(gone.status).toBe(200);
    const marked = (await getJson(`${sim.url}${ingresses}/f`)).body;
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');

    const patched = await send(`${sim.url}${ingresses}/f`, 'PATCH', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect((await getJson(`${sim.url}${ingresses}/f`)).status).toBe(404);
  });

  it('answers errors as Status objects and validates names', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const missing = await getJson(`${sim.url}${ingresses}/nope`);
    expect(missing).toEqual({
      status: 404,
      body: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'ingresses.networking.k8s.io "nope" not found',
        reason: 'NotFound', details: { name: 'nope', group: 'networking.k8s.io', kind: 'ingresses' }, code: 404,
      },
    });
    const bad = await send(`${sim.url}${ingresses}`, 'POST', { metadata: { name: 'Not_Valid' }, spec: {} });
    expect(bad).toMatchObject({ status: 422, body: { reason: 'Invalid', code: 422 } });
    const dup = await send(`${sim.url}${ingresses}`, 'POST', { metadata: { name: 'a' }, spec: {} });
    expect(dup).toMatchObject({ status: 409, body: { reason: 'AlreadyExists' } });
    const stale = await send(`${sim.url}${ingresses}/a`, 'PUT', { metadata: { name: 'a', resourceVersion: '1' }, spec: {} });
    expect(stale).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
    expect((await getJson(`${sim.url}/apis/example.org/v1/widgets`)).status).toBe(404);
  });

  it('creates in unknown namespaces, pages lists and strips kind from built-in list items', async () => {
    const sim = await startSim();
    for (const name of ['a', 'b', 'c']) {
      expect((await send(`${sim.url}/apis/networking.k8s.io/v1/namespaces/team/ingresses`, 'POST', ingress(name, {}, 'team'))).status).toBe(201);
    }
    expect(sim.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team' })).toMatchObject({ status: { phase: 'Active' } });
    const first = (await getJson(`${sim.url}/apis/networking.k8s.io/v1/ingresses?limit=2`)).body;
    expect(first.kind).toBe('IngressList');
    expect(first.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
    expect(first.items[0].kind).toBeUndefined();
    const rest = (await getJson(`${sim.url}/apis/networking.k8s.io/v1/ingresses?limit=2&continue=${first.metadata.continue}`)).body;
    expect(rest.items.map((i: any) => i.metadata.name)).toEqual(['c']);
    expect(rest.metadata.continue).toBeUndefined();
    expect(sim.readCounts()).toEqual({ 'list /apis/networking.k8s.io/v1/ingresses': 2 });
  });
});

describe('test controls', () => {
  it('apply keeps the stored status unless the manifest brings one', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'a' };
    const hostname = { loadBalancer: { ingress: [{ hostname: 'h' }] } };
    await send(`${sim.url}${ingresses}/a/status`, 'PATCH', { status: hostname }, 'application/merge-patch+json');
    const updated = sim.apply(ingress('a', { metadata: { name: 'a', namespace: 'default', annotations: { k: 'v' } } }));
    expect(updated).toMatchObject({ kind: 'Ingress', status: hostname, metadata: { annotations: { k: 'v' }, generation: 1 } });
    sim.apply(ingress('a', { status: { loadBalancer: {} } }));
    expect(sim.get(ref)?.status).toEqual({ loadBalancer: {} });
    expect(sim.delete(ref)).toBe(true);
    expect(sim.delete(ref)).toBe(false);
    expect(sim.list('Ingress')).toEqual([]);
  });

  it('closes promptly with watches still open', async () => {
    const sim = await startKubernetesSim({ clock: new VirtualClock() });
    const watch = await rawWatch(`${sim.url}${ingresses}?watch=true&timeoutSeconds=600`);
    expect(sim.watches()).toHaveLength(1);
    await sim.close();
    await watch.ended;
  });
});
