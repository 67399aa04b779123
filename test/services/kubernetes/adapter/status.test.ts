// Status write-back: upstream's exact merge-patch bodies, lower-cased hostname, no write when equal.
import { describe, expect, it } from 'vitest';
import { StatusWriteError } from '../../../../services/kubernetes/api-errors.ts';
import { ingress, ingressRef, routeGroup, routeGroupRef, startAdapter, startSim, until } from './helpers.ts';

const ING = { kind: 'Ingress' as const, namespace: 'default', name: 'a' };
const RG = { kind: 'RouteGroup' as const, namespace: 'default', name: 'r' };
const DNS = 'Kube-Ing-1234.EU-Central-1.elb.amazonaws.com';
const dns = DNS.toLowerCase();

const statusWrites = (sim: { writes: readonly { method: string; path: string }[] }) => sim.writes.filter((w) => w.path.endsWith('/status'));

describe('writeStatus', () => {
  it('merge-patches an Ingress with upstream body, lower-cased, then reports unchanged', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const { adapter } = await startAdapter(sim);
    expect(await adapter.writeStatus(ING, DNS)).toBe('written');
    expect(statusWrites(sim)).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses/a/status',
        contentType: 'application/merge-patch+json',
        body: { status: { loadBalancer: { ingress: [{ hostname: dns }] } } },
        status: 200,
      }),
    ]);
    expect(sim.get(ingressRef('a'))!.status).toEqual({ loadBalancer: { ingress: [{ hostname: dns }] } });
    // Before and after the watch brings the patched object back: no second write.
    expect(await adapter.writeStatus(ING, DNS)).toBe('unchanged');
    await until(() => adapter.snapshot().ingresses[0]!.currentHostname === dns, 'status via watch');
    expect(await adapter.writeStatus(ING, DNS)).toBe('unchanged');
    expect(statusWrites(sim)).toHaveLength(1);
  });

  it('merge-patches a RouteGroup under status.loadBalancer.routegroup', async () => {
    const sim = await startSim({ objects: [routeGroup('r')] });
    const { adapter } = await startAdapter(sim);
    expect(await adapter.writeStatus(RG, DNS)).toBe('written');
    expect(statusWrites(sim)).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        path: '/apis/zalando.org/v1/namespaces/default/routegroups/r/status',
        contentType: 'application/merge-patch+json',
        body: { status: { loadBalancer: { routegroup: [{ hostname: dns }] } } },
      }),
    ]);
    expect(sim.get(routeGroupRef('r'))!.status).toEqual({ loadBalancer: { routegroup: [{ hostname: dns }] } });
  });

  it('compares with the first non-empty current hostname', async () => {
    const sim = await startSim({
      objects: [ingress('a', { status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }, { hostname: dns }, { hostname: 'other' }] } } })],
    });
    const { adapter } = await startAdapter(sim);
    expect(await adapter.writeStatus(ING, DNS)).toBe('unchanged');
    expect(statusWrites(sim)).toHaveLength(0);
  });

  it('clears a hostname like upstream (one entry with an empty hostname), and only when one is set', async () => {
    const sim = await startSim({
      objects: [ingress('a', { status: { loadBalancer: { ingress: [{ hostname: dns }] } } }), routeGroup('r')],
    });
    const { adapter } = await startAdapter(sim);
    expect(await adapter.writeStatus(ING, '')).toBe('written');
    expect(statusWrites(sim)[0]).toMatchObject({ body: { status: { loadBalancer: { ingress: [{ hostname: '' }] } } } });
    await until(() => adapter.snapshot().ingresses[0]!.currentHostname === '', 'cleared via watch');
    expect(await adapter.writeStatus(ING, '')).toBe('unchanged');
    expect(await adapter.writeStatus(RG, '')).toBe('unchanged');
    expect(statusWrites(sim)).toHaveLength(1);
  });

  it('treats a vanished object (404) as unchanged and other failures as StatusWriteError with the code', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    const { adapter } = await startAdapter(sim);
    expect(await adapter.writeStatus({ ...ING, name: 'gone' }, DNS)).toBe('unchanged');

    sim.failNext('PATCH', /\/status$/, 500, 'storage unavailable');
    const failure = await adapter.writeStatus(ING, DNS).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StatusWriteError);
    expect(failure).toMatchObject({ code: 500, ref: ING, hostname: dns });
    expect((failure as Error).message).toContain('storage unavailable');
    // The failed write is not remembered as done.
    expect(await adapter.writeStatus(ING, DNS)).toBe('written');
  });
});
