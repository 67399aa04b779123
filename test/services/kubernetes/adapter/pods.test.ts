// The AWS CNI pod watch through the adapter's own connection: only in AWSCNI mode, only the namespace and
// selector of the flags, and pod events never reach the planning listeners.
import { describe, expect, it } from 'vitest';
import { parseRun } from '../../config/helpers.ts';
import { startAdapter, startSim, until } from './helpers.ts';

const cni = (selector: string) => parseRun(['--target-access-mode=AWSCNI', '--target-cni-namespace=kube-system', `--target-cni-pod-labelselector=${selector}`]).config;

function pod(name: string, ip: string | undefined, labels: Record<string, string>, extra: { namespace?: string; phase?: string; deletionTimestamp?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: extra.namespace ?? 'kube-system', labels, ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}) },
    spec: { containers: [{ name: 'skipper', image: 'skipper' }] },
    status: {
      phase: extra.phase ?? 'Running',
      ...(ip ? { podIP: ip } : {}),
      containerStatuses: [{ name: 'skipper', ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
    },
  };
}

const SKIPPER = { application: 'skipper-ingress' };

describe('AWS CNI pod watch', () => {
  it('is not started outside AWSCNI mode', async () => {
    const sim = await startSim({ objects: [pod('a', '10.0.0.1', SKIPPER)] });
    const { adapter } = await startAdapter(sim);
    expect(adapter.pods).toBeUndefined();
    expect(sim.watches().some((w) => w.path.includes('/pods'))).toBe(false);
  });

  it('lists and watches the namespace with a set-based selector; endpoints follow the pods', async () => {
    const sim = await startSim({
      objects: [
        pod('a', '10.0.0.1', SKIPPER),
        pod('b', '10.0.0.2', { application: 'skipper-canary' }),
        pod('c', '10.0.0.3', { application: 'other' }),
        pod('d', '10.0.0.4', SKIPPER, { namespace: 'default' }),
        pod('e', undefined, SKIPPER, { phase: 'Pending' }),
      ],
    });
    const { adapter, changes } = await startAdapter(sim, { config: cni('application in (skipper-ingress, skipper-canary)') });
    const pods = adapter.pods!;
    expect(pods.pods().map((p) => p.metadata?.name).sort()).toEqual(['a', 'b', 'e']);
    expect(pods.endpoints()).toEqual(['10.0.0.1', '10.0.0.2']);
    await until(() => sim.watches().some((w) => w.path.startsWith('/api/v1/namespaces/kube-system/pods')), 'pod watch');

    const announced = changes.length;
    const seen: string[] = [];
    pods.onChange((type, p) => seen.push(`${type} ${p.metadata?.name}`));
    sim.apply(pod('e', '10.0.0.5', SKIPPER));
    await until(() => pods.endpoints().includes('10.0.0.5'), 'e running');
    sim.apply(pod('a', '10.0.0.1', SKIPPER, { deletionTimestamp: '2026-01-01T00:00:30Z' }));
    await until(() => !pods.endpoints().includes('10.0.0.1'), 'a terminating');
    sim.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'b' });
    await until(() => !pods.endpoints().includes('10.0.0.2'), 'b deleted');
    // Relabelled out of the selector: the watch reports it as deleted.
    sim.apply(pod('e', '10.0.0.5', { application: 'other' }));
    await until(() => pods.endpoints().length === 0, 'e relabelled');
    expect(seen).toEqual(['update e', 'update a', 'delete b', 'delete e']);
    // Pods are no planning input: no cluster change was announced for any of it.
    expect(changes.length).toBe(announced);
  });
});
