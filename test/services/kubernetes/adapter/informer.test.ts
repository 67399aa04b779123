// The informer wrapper on its own, on another resource (pods by label, as the AWS CNI mode will need).
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../services/clock.ts';
import { ResilientInformer, type InformerChange } from '../../../../services/kubernetes/informer.ts';
import { requestOptions } from '../../../../services/kubernetes/request-options.ts';
import { captureLogger, startSim, until } from './helpers.ts';

function pod(name: string, labels: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system', labels }, spec: { containers: [{ name: 'c', image: 'skipper' }] } };
}

describe('ResilientInformer', () => {
  it('lists and watches a label-selected collection, reports changes and stops cleanly', async () => {
    const sim = await startSim({ objects: [pod('s1', { application: 'skipper' }), pod('other', { application: 'x' })] });
    const kubeConfig = sim.kubeConfig();
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const selector = 'application=skipper';
    const informer = new ResilientInformer<V1Pod>({
      name: 'pods',
      kubeConfig,
      path: '/api/v1/namespaces/kube-system/pods',
      labelSelector: selector,
      list: (signal) => core.listNamespacedPod({ namespace: 'kube-system', labelSelector: selector }, requestOptions({ signal })),
      clock: systemClock,
      logger: captureLogger().logger,
      backoff: { initialMs: 10, maxMs: 50 },
    });
    const seen: string[] = [];
    const off = informer.on('change', (c: InformerChange<V1Pod>) => seen.push(`${c.type} ${c.object.metadata?.name}`));
    expect(informer.synced).toBe(false);
    await informer.start();
    expect(informer.synced).toBe(true);
    expect(informer.list().map((p) => p.metadata?.name)).toEqual(['s1']);

    sim.apply(pod('s2', { application: 'skipper' }));
    sim.apply(pod('other2', { application: 'x' }));
    sim.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 's1' });
    await until(() => seen.length === 3, 'changes');
    expect(seen).toEqual(['add s1', 'add s2', 'delete s1']);
    expect(informer.get('s2', 'kube-system')?.metadata?.labels).toEqual({ application: 'skipper' });

    off();
    sim.apply(pod('s3', { application: 'skipper' }));
    await until(() => informer.list().length === 2, 's3 cached');
    expect(seen).toHaveLength(3);

    await informer.stop();
    await until(() => sim.watches().length === 0, 'watch closed');
    await expect(informer.start()).resolves.toBeUndefined();
  });
});
