// ConfigMap reads for the CloudWatch alarm definitions.
import { describe, expect, it } from 'vitest';
import { ConfigMapReadError } from '../../../../services/kubernetes/api-errors.ts';
import { startAdapter, startSim } from './helpers.ts';

describe('readConfigMap', () => {
  it('returns data, {} without data, and a typed error when missing or failing', async () => {
    const sim = await startSim({
      objects: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'alarms', namespace: 'kube-system' }, data: { 'a.yaml': '- AlarmName: x\n' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty', namespace: 'kube-system' } },
      ],
    });
    const { adapter } = await startAdapter(sim);
    expect(await adapter.readConfigMap('kube-system', 'alarms')).toEqual({ 'a.yaml': '- AlarmName: x\n' });
    expect(await adapter.readConfigMap('kube-system', 'empty')).toEqual({});

    const missing = await adapter.readConfigMap('kube-system', 'nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigMapReadError);
    expect(missing).toMatchObject({ code: 404, namespace: 'kube-system', configMapName: 'nope' });

    sim.failNext('GET', /configmaps\/alarms$/, 500);
    await expect(adapter.readConfigMap('kube-system', 'alarms')).rejects.toMatchObject({ name: 'ConfigMapReadError', code: 500 });
  });
});
