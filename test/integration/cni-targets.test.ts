// AWS CNI mode end to end in real time: pod IPs reach the stack's ip target group, follow pod deletions, and
// an empty endpoint set leaves the targets in place while the debug API and the metric say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, waitFor, type LiveHarness } from './harness.ts';
import { basicFlags, basicWorld, ingress } from './world.ts';

function pod(name: string, ip: string) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { application: 'skipper-ingress' } },
    spec: { containers: [{ name: 'skipper', image: 'skipper' }] },
    status: { phase: 'Running', podIP: ip, containerStatuses: [{ name: 'skipper', ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] },
  };
}

describe('AWS CNI targets', () => {
  let h: LiveHarness;
  let url: string;
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() as any : await res.text() };
  };
  const targetGroup = () => {
    const tgs = [...h.aws.world.targetGroups.values()].filter((tg) => tg.targetType === 'ip');
    return tgs.length === 1 ? tgs[0] : undefined;
  };
  const targets = () => (targetGroup()?.targets ?? []).map((t) => t.id).sort();

  beforeAll(async () => {
    h = await startLive({
      aws: { ...basicWorld, behaviour: { operationSeconds: 0.3 } },
      objects: [ingress('app', 'foo.bar.org'), pod('skipper-1', '10.2.0.11'), pod('skipper-2', '10.2.0.12')],
      flags: [...basicFlags, '--target-access-mode=AWSCNI', '--target-cni-namespace=kube-system',
        '--target-cni-pod-labelselector=application in (skipper-ingress)'],
      listen: true,
    });
    url = h.runtime.url!.replace('0.0.0.0', '127.0.0.1');
  });
  afterAll(async () => h?.close());

  it('registers the running pods once the stack is complete, and follows a deletion', async () => {
    await waitFor(() => targets().length === 2 || undefined, 10_000, 'two targets');
    expect(targets()).toEqual(['10.2.0.11', '10.2.0.12']);
    const api = (await get('/api/targets/cni')).body;
    expect(api).toMatchObject({ endpoints: ['10.2.0.11', '10.2.0.12'], ipTargetGroups: [targetGroup()!.arn], missingEndpoints: null });
    h.kube.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'skipper-2' });
    await waitFor(() => (targets().length === 1 ? true : undefined), 10_000, 'skipper-2 deregistered');
    expect(targets()).toEqual(['10.2.0.11']);
  });

  it('keeps the targets when every pod is gone, and says so', async () => {
    h.kube.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'skipper-1' });
    let api: any;
    for (let i = 0; i < 2000; i++) {
      api = (await get('/api/targets/cni')).body;
      if (api.missingEndpoints) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(api.missingEndpoints).toMatch(/no pod matches/);
    expect(targets()).toEqual(['10.2.0.11']);
    expect((await get('/metrics')).body).toMatch(/kube_ingress_aws_controller_cni_endpoints_missing 1/);
  });

  it('answers 404 on the CNI view outside AWSCNI mode', async () => {
    const other = await startLive({ aws: basicWorld, objects: [], flags: basicFlags, listen: true });
    try {
      const res = await fetch(`${other.runtime.url!.replace('0.0.0.0', '127.0.0.1')}/api/targets/cni`);
      expect(res.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
