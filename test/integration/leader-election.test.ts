// Two controllers against one cluster and one AWS account: only the leader acts; the standby keeps its caches
// warm, answers its debug API, and takes over when the leader goes, adopting the stack instead of making another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, startPeer, waitFor, type LiveHarness } from './harness.ts';
import { basicFlags, basicWorld, ingress } from './world.ts';

const ELECTION = [
  '--leader-election', '--leader-election-namespace=kube-system', '--leader-election-lease-duration=3s',
  '--leader-election-renew-deadline=2s', '--leader-election-retry-period=500ms',
];

describe('leader election between two controllers', () => {
  let a: LiveHarness;
  let b: Awaited<ReturnType<typeof startPeer>>;
  const lost: string[] = [];
  const leaderOf = async (url: string) => ((await (await fetch(`${url.replace('0.0.0.0', '127.0.0.1')}/api/leader`)).json()) as { mode: string; holder: string | null });

  beforeAll(async () => {
    a = await startLive({ aws: { ...basicWorld, behaviour: { operationSeconds: 0.3 } }, objects: [], flags: [...basicFlags, '--min-load-balancer-age=0s', ...ELECTION], listen: true });
    await waitFor(() => a.runtime.controller.registry !== undefined || undefined, 1000, 'a started');
    b = await startPeer(a, { flags: [...basicFlags, '--min-load-balancer-age=0s', ...ELECTION], onLostLeadership: () => lost.push('b') });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('only the leader creates the stack; the standby makes no AWS mutation and no Kubernetes write', async () => {
    await expect.poll(async () => (await leaderOf(a.runtime.url!)).mode, { timeout: 5000 }).toBe('leader');
    expect(await leaderOf(b.runtime.url!)).toMatchObject({ mode: 'standby' });
    // The standby is ready (a rolling update must be able to finish) and serves its debug API.
    expect((await fetch(`${b.runtime.url!.replace('0.0.0.0', '127.0.0.1')}/readyz`)).status).toBe(200);

    a.kube.apply(ingress('app', 'foo.bar.org', { 'zalando.org/aws-load-balancer-shared': 'false' }));
    await waitFor(() => a.runtime.controller.registry.list().find((s) => s.phase === 'active'), 10_000, 'the leader\'s stack');
    await new Promise((r) => setTimeout(r, 1000));
    expect(a.aws.server.calls.filter((c) => c.action === 'CreateStack')).toHaveLength(1);
    expect(b.runtime.controller.registry.list()).toEqual([]);
    const leases = a.kube.writes.filter((w) => w.path.includes('/leases'));
    const others = a.kube.writes.filter((w) => !w.path.includes('/leases'));
    expect(leases.length).toBeGreaterThan(0);
    // Every non-Lease write (status, Events) came while a led; b wrote only its failed attempts at the Lease, if any.
    expect(others.length).toBeGreaterThan(0);
  }, 20_000);

  it('when the leader stops, the standby takes over and adopts the stack', async () => {
    // A graceful stop gives the Lease up (the SIGKILL case, with its lease-duration wait, is in test/e2e).
    await a.runtime.stop();
    await expect.poll(async () => (await leaderOf(b.runtime.url!)).mode, { timeout: 10_000, interval: 100 }).toBe('leader');
    await waitFor(() => b.runtime.controller.registry.list().find((s) => s.phase === 'active'), 10_000, 'the stack adopted by b');
    await new Promise((r) => setTimeout(r, 1000));
    expect(a.aws.server.calls.filter((c) => c.action === 'CreateStack')).toHaveLength(1);
    expect(lost).toEqual([]);
  }, 20_000);
});
