// Writes through the real client: status patches in every media type the controller may send, Events in
// both APIs, Lease optimistic locking, and injected failures.
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { WriteRecord } from '../../../../tools/sim/kubernetes/index.ts';
import { ingress, routeGroup, startSim } from './helpers.ts';

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'app' };

async function apiError(promise: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof k8s.ApiException) return { code: e.code, body: JSON.parse(e.body as string) };
    throw e;
  }
  throw new Error('expected the request to fail');
}

describe('status write-back', () => {
  it('merge-patches ingress status, records the write and leaves spec and generation alone', async () => {
    const sim = await startSim({ objects: [ingress('app')] });
    const net = sim.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
    const seen: WriteRecord[] = [];
    sim.onWrite((w) => seen.push(w));
    const before = sim.get(ingressRef)!;
    const body = { status: { loadBalancer: { ingress: [{ hostname: 'lb-1.elb.amazonaws.com' }] } } };

    const result = await net.patchNamespacedIngressStatus({ name: 'app', namespace: 'default', body }, merge);
    expect(result.status?.loadBalancer?.ingress).toEqual([{ hostname: 'lb-1.elb.amazonaws.com' }]);
    const after = sim.get(ingressRef)!;
    expect(after.spec).toEqual(before.spec);
    expect((after.metadata as any).generation).toBe(1);
    expect((after.metadata as any).resourceVersion).not.toBe((before.metadata as any).resourceVersion);
    expect(seen).toEqual([{
      at: Date.UTC(2026, 0, 1),
      method: 'PATCH',
      path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses/app/status',
      query: '',
      contentType: 'application/merge-patch+json',
      body,
      status: 200,
    }]);
    expect(sim.writes).toEqual(seen);

    // The same patch again changes nothing, so there is no new resourceVersion (and no watch event).
    const version = sim.resourceVersion();
    await net.patchNamespacedIngressStatus({ name: 'app', namespace: 'default', body }, merge);
    expect(sim.resourceVersion()).toBe(version);
  });

  it('merge-patches routegroup status through CustomObjectsApi', async () => {
    const sim = await startSim({ objects: [routeGroup('rg')] });
    const custom = sim.kubeConfig().makeApiClient(k8s.CustomObjectsApi);
    const body = { status: { loadBalancer: { routegroup: [{ hostname: 'lb-2.elb.amazonaws.com' }] } } };
    await custom.patchNamespacedCustomObjectStatus(
      { group: 'zalando.org', version: 'v1', namespace: 'default', plural: 'routegroups', name: 'rg', body }, merge);
    expect(sim.get({ apiVersion: 'zalando.org/v1', kind: 'RouteGroup', name: 'rg' })?.status).toEqual(body.status);
    expect(sim.writes[0]).toMatchObject({
      method: 'PATCH', path: '/apis/zalando.org/v1/namespaces/default/routegroups/rg/status',
      contentType: 'application/merge-patch+json', body,
    });
  });

  it('applies the client default, a JSON patch, and answers a failed test op with 422', async () => {
    const sim = await startSim({ objects: [ingress('app')] });
    const net = sim.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
    await net.patchNamespacedIngressStatus({
      name: 'app', namespace: 'default',
      body: [{ op: 'replace', path: '/status/loadBalancer', value: { ingress: [{ hostname: 'h1' }] } }],
    });
    expect(sim.writes[0]!.contentType).toBe('application/json-patch+json');
    expect(sim.get(ingressRef)?.status).toEqual({ loadBalancer: { ingress: [{ hostname: 'h1' }] } });

    const failed = await apiError(net.patchNamespacedIngressStatus({
      name: 'app', namespace: 'default',
      body: [{ op: 'test', path: '/status/loadBalancer/ingress/0/hostname', value: 'other' }],
    }));
    expect(failed.code).toBe(422);
    expect(failed.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 422 });
  });

  it('answers 415 to unknown patch types, and to strategic merge on a custom resource', async () => {
    const sim = await startSim({ objects: [ingress('app'), routeGroup('rg')] });
    const kc = sim.kubeConfig();
    const net = kc.makeApiClient(k8s.NetworkingV1Api);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const text = await apiError(net.patchNamespacedIngressStatus(
      { name: 'app', namespace: 'default', body: { status: {} } }, k8s.setHeaderOptions('Content-Type', 'application/json')));
    expect(text).toMatchObject({ code: 415, body: { reason: 'UnsupportedMediaType' } });
    const strategic = await apiError(custom.patchNamespacedCustomObjectStatus(
      { group: 'zalando.org', version: 'v1', namespace: 'default', plural: 'routegroups', name: 'rg', body: { status: {} } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch)));
    expect(strategic.code).toBe(415);
    // Built-in types take strategic merge (applied as a merge patch).
    await net.patchNamespacedIngress({ name: 'app', namespace: 'default', body: { metadata: { labels: { a: 'b' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
    expect((sim.get(ingressRef)?.metadata as any).labels).toEqual({ a: 'b' });
  });

  it('ignores status in main-resource writes and bumps generation only for spec changes', async () => {
    const sim = await startSim({ objects: [ingress('app')] });
    const net = sim.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
    await net.patchNamespacedIngress({
      name: 'app', namespace: 'default',
      body: { metadata: { annotations: { k: 'v' } }, status: { loadBalancer: { ingress: [{ hostname: 'nope' }] } } },
    }, merge);
    let stored = sim.get(ingressRef)!;
    expect(stored.status).toEqual({ loadBalancer: {} });
    expect(stored.metadata).toMatchObject({ annotations: { k: 'v' }, generation: 1 });

    const current = await net.readNamespacedIngress({ name: 'app', namespace: 'default' });
    current.spec = { rules: [{ host: 'changed.example.org' }] };
    current.status = { loadBalancer: { ingress: [{ hostname: 'nope' }] } };
    await net.replaceNamespacedIngress({ name: 'app', namespace: 'default', body: current });
    stored = sim.get(ingressRef)!;
    expect(stored.status).toEqual({ loadBalancer: {} });
    expect(stored.metadata).toMatchObject({ generation: 2 });
    expect(stored.spec).toEqual({ rules: [{ host: 'changed.example.org' }] });
  });
});

describe('events', () => {
  it('creates core/v1 and events.k8s.io/v1 events into one store', async () => {
    const sim = await startSim({ objects: [ingress('app')] });
    const kc = sim.kubeConfig();
    const uid = (sim.get(ingressRef)!.metadata as any).uid;
    const regarding = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'app', namespace: 'default', uid };

    const core = await kc.makeApiClient(k8s.CoreV1Api).createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'app.', namespace: 'default' }, involvedObject: regarding,
        reason: 'NoCertificate', message: 'no certificate found', type: 'Warning',
        source: { component: 'kube-ingress-aws-controller' },
        firstTimestamp: new Date(), lastTimestamp: new Date(), count: 1,
      },
    });
    expect(core.metadata.name).toMatch(/^app\.[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(sim.writes[0]).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/events', contentType: 'application/json', status: 201 });

    const eventsApi = kc.makeApiClient(k8s.EventsV1Api);
    const v1 = await eventsApi.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'app.', namespace: 'default' },
        eventTime: new k8s.V1MicroTime(Date.UTC(2026, 0, 1)),
        reportingController: 'kube-ingress-aws-controller', reportingInstance: 'pod-1',
        action: 'Reconcile', reason: 'StackCreated', note: 'created stack', type: 'Normal', regarding,
      },
    });
    expect(v1.note).toBe('created stack');
    expect(sim.writes[1]).toMatchObject({ method: 'POST', path: '/apis/events.k8s.io/v1/namespaces/default/events' });

    const stored = sim.list('Event').map((e: any) => [e.reason, e.message, e.involvedObject.name]);
    expect(stored).toHaveLength(2);
    expect(stored).toEqual(expect.arrayContaining([
      ['NoCertificate', 'no certificate found', 'app'],
      ['StackCreated', 'created stack', 'app'],
    ]));
    expect(sim.list('Event', { apiVersion: 'events.k8s.io/v1' }).map((e: any) => e.note).sort())
      .toEqual(['created stack', 'no certificate found']);

    const invalid = await apiError(eventsApi.createNamespacedEvent({
      namespace: 'default', body: { metadata: { generateName: 'x.' }, reason: 'R', type: 'Normal', note: 'n' } as k8s.EventsV1Event,
    }));
    expect(invalid.code).toBe(422);
    expect(invalid.body.reason).toBe('Invalid');
  });
});

describe('leases', () => {
  it('creates, reads and replaces a Lease with optimistic locking', async () => {
    const sim = await startSim();
    const coordination = sim.kubeConfig().makeApiClient(k8s.CoordinationV1Api);
    const ref = { name: 'kube-ingress-aws-controller', namespace: 'kube-system' };
    expect((await apiError(coordination.readNamespacedLease(ref))).code).toBe(404);

    const spec = { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new k8s.V1MicroTime(Date.UTC(2026, 0, 1)) };
    const created = await coordination.createNamespacedLease({ namespace: ref.namespace, body: { metadata: { name: ref.name }, spec } });
    const again = await apiError(coordination.createNamespacedLease({ namespace: ref.namespace, body: { metadata: { name: ref.name }, spec } }));
    expect(again).toMatchObject({ code: 409, body: { reason: 'AlreadyExists' } });

    const read = await coordination.readNamespacedLease(ref);
    // MicroTime comes back as the string the client sent, not a Date.
    expect(typeof read.spec?.renewTime).toBe('string');
    expect(read.metadata?.creationTimestamp).toBeInstanceOf(Date);

    read.spec = { ...read.spec, holderIdentity: 'b' };
    const replaced = await coordination.replaceNamespacedLease({ ...ref, body: read });
    expect(replaced.spec?.holderIdentity).toBe('b');

    const stale = { ...created, spec: { ...created.spec, holderIdentity: 'c' } };
    const conflict = await apiError(coordination.replaceNamespacedLease({ ...ref, body: stale }));
    expect(conflict).toMatchObject({ code: 409, body: { reason: 'Conflict', status: 'Failure' } });
    expect((await coordination.readNamespacedLease(ref)).spec?.holderIdentity).toBe('b');
  });
});

describe('failNext', () => {
  it('fails the next matching request once', async () => {
    const sim = await startSim({ objects: [ingress('app')] });
    const net = sim.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
    sim.failNext('GET', /\/ingresses$/, 500, 'etcd is unhappy');
    sim.failNext('PATCH', 'ingresses/app/status', 409);
    const failed = await apiError(net.listIngressForAllNamespaces());
    expect(failed).toMatchObject({ code: 500, body: { reason: 'InternalError', message: 'etcd is unhappy' } });
    expect((await net.listIngressForAllNamespaces()).items).toHaveLength(1);

    const body = { status: { loadBalancer: { ingress: [{ hostname: 'h' }] } } };
    expect((await apiError(net.patchNamespacedIngressStatus({ name: 'app', namespace: 'default', body }, merge))).code).toBe(409);
    await net.patchNamespacedIngressStatus({ name: 'app', namespace: 'default', body }, merge);
    expect(sim.writes.map((w) => w.status)).toEqual([409, 200]);
  });
});
