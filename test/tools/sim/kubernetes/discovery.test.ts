// Discovery through the real client, the RouteGroup API switch, and label-selector lists of pods.
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { getJson, pod, routeGroup, startSim } from './helpers.ts';

const resourceNames = (list: k8s.V1APIResourceList) => list.resources.map((r) => r.name);

describe('discovery', () => {
  it('serves /api, /apis, group versions and /version', async () => {
    const sim = await startSim();
    const kc = sim.kubeConfig();
    expect((await kc.makeApiClient(k8s.CoreApi).getAPIVersions()).versions).toEqual(['v1']);
    expect(resourceNames(await kc.makeApiClient(k8s.CoreV1Api).getAPIResources()))
      .toEqual(expect.arrayContaining(['pods', 'pods/status', 'configmaps', 'events', 'namespaces']));
    const net = await kc.makeApiClient(k8s.NetworkingV1Api).getAPIResources();
    expect(net.groupVersion).toBe('networking.k8s.io/v1');
    expect(net.resources.find((r) => r.name === 'ingresses/status')).toMatchObject({ kind: 'Ingress', namespaced: true, verbs: ['get', 'patch', 'update'] });
    expect(net.resources.find((r) => r.name === 'ingressclasses')).toMatchObject({ namespaced: false });
    expect(resourceNames(await kc.makeApiClient(k8s.CoordinationV1Api).getAPIResources())).toEqual(['leases']);
    expect(resourceNames(await kc.makeApiClient(k8s.EventsV1Api).getAPIResources())).toEqual(['events']);

    const groups = (await kc.makeApiClient(k8s.ApisApi).getAPIVersions()).groups.map((g) => g.name);
    expect(groups).toEqual(['networking.k8s.io', 'zalando.org', 'coordination.k8s.io', 'events.k8s.io']);
    const rg = await getJson(`${sim.url}/apis/zalando.org/v1`);
    expect(rg.body.resources.map((r: { name: string }) => r.name)).toEqual(['routegroups', 'routegroups/status']);
    expect((await kc.makeApiClient(k8s.VersionApi).getCode()).major).toBe('1');
  });

  it('hides the RouteGroup API while routeGroupsCRD is false, switchable at runtime', async () => {
    const sim = await startSim({ routeGroupsCRD: false, objects: [routeGroup('rg')] });
    const kc = sim.kubeConfig();
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const list = () => custom.listClusterCustomObject({ group: 'zalando.org', version: 'v1', plural: 'routegroups' });

    await expect(list()).rejects.toMatchObject({ code: 404 });
    await expect(custom.patchNamespacedCustomObjectStatus({
      group: 'zalando.org', version: 'v1', namespace: 'default', plural: 'routegroups', name: 'rg', body: [],
    })).rejects.toMatchObject({ code: 404 });
    const groups = (await kc.makeApiClient(k8s.ApisApi).getAPIVersions()).groups.map((g) => g.name);
    expect(groups).not.toContain('zalando.org');
    expect((await getJson(`${sim.url}/apis/zalando.org/v1`)).status).toBe(404);
    expect((await getJson(`${sim.url}/apis/zalando.org`)).status).toBe(404);

    sim.setRouteGroupsEnabled(true);
    expect((await list()).items).toHaveLength(1);
    sim.setRouteGroupsEnabled(false);
    await expect(list()).rejects.toMatchObject({ code: 404 });
  });
});

describe('label selectors', () => {
  it('filters pod lists with equality, set-based and existence requirements', async () => {
    const sim = await startSim({
      objects: [
        pod('a', { application: 'skipper-ingress', component: 'ingress' }),
        pod('b', { application: 'skipper-ingress', component: 'canary' }),
        pod('c', { application: 'other' }),
        pod('d', { application: 'skipper-ingress' }, 'kube-system'),
      ],
    });
    const core = sim.kubeConfig().makeApiClient(k8s.CoreV1Api);
    const names = async (labelSelector: string, namespace = 'default') =>
      (await core.listNamespacedPod({ namespace, labelSelector })).items.map((p) => p.metadata?.name);

    expect(await names('application=skipper-ingress')).toEqual(['a', 'b']);
    expect(await names('application==skipper-ingress,component!=canary')).toEqual(['a']);
    expect(await names('component in (ingress, canary)')).toEqual(['a', 'b']);
    expect(await names('application notin (other),component')).toEqual(['a', 'b']);
    expect(await names('!component')).toEqual(['c']);
    expect(await names('application=skipper-ingress', 'kube-system')).toEqual(['d']);
    const all = await core.listPodForAllNamespaces({ labelSelector: 'application=skipper-ingress' });
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['default/a', 'default/b', 'kube-system/d']);
    expect(all.metadata?.resourceVersion).toBe(sim.resourceVersion());
    expect(all.items[0]?.status?.podIP).toBe('10.0.0.1');

    await expect(names('application in (a')).rejects.toMatchObject({ code: 400 });
  });
});
