// The malformed-input corpus next to a good ingress: the process stays up, the good ingress keeps its load
// balancer, and every bad object gets a Warning Event naming what is wrong, no message over 1 KB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { malformedCorpus } from '../fixtures/malformed/corpus.ts';
import { startLive, waitFor, type LiveHarness } from './harness.ts';
import { basicFlags, basicWorld, ingress } from './world.ts';

type Event = { involvedObject?: { kind?: string; name?: string }; type?: string; reason?: string; message?: string };

describe('malformed-input corpus', () => {
  let h: LiveHarness;
  const corpus = malformedCorpus();
  beforeAll(async () => {
    h = await startLive({
      aws: { ...basicWorld, behaviour: { operationSeconds: 0.2 } },
      objects: [ingress('good', 'foo.bar.org')],
      flags: [...basicFlags, '--min-load-balancer-age=0s'],
      listen: true,
    });
  });
  afterAll(async () => h?.close());

  it(`applies ${corpus.length} bad objects beside a good ingress without losing it`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    const hostnameOfGood = () => ((h.kube.list('Ingress').find((o) => (o.metadata as { name: string }).name === 'good')?.status as { loadBalancer?: { ingress?: { hostname: string }[] } } | undefined)?.loadBalancer?.ingress?.[0]?.hostname);
    const served = await waitFor(() => hostnameOfGood(), 15_000, 'the good ingress served');

    for (const c of corpus) h.kube.apply(c.object);
    const eventsOf = (kind: string, objectName: string) => (h.kube.list('Event') as Event[])
      .filter((e) => e.type === 'Warning' && e.involvedObject?.kind === kind && e.involvedObject?.name === objectName);
    const unmet = () => corpus.filter((c) => {
      const meta = c.object.metadata as { name: string };
      return !eventsOf(c.object.kind as string, meta.name).some((e) => e.reason === c.names || (e.message ?? '').includes(c.names));
    });
    await waitFor(() => unmet().length === 0 || undefined, 20_000, 'a Warning for every bad object').catch(() => {
      throw new Error(`no Warning naming the problem for: ${unmet().map((c) => `${(c.object.metadata as { name: string }).name} (${c.names})`).join(', ')}`);
    });

    for (const e of h.kube.list('Event') as Event[]) expect(Buffer.byteLength(e.message ?? '')).toBeLessThanOrEqual(1024);
    // Still up, still serving the good ingress on the same load balancer.
    const url = h.runtime.url!.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(hostnameOfGood()).toBe(served);
    const view = (await (await fetch(`${url}/api/ingresses`)).json()) as { ingresses: { name: string; stack: string | null; why: string | null }[] };
    expect(view.ingresses.find((i) => i.name === 'good')?.stack).toMatch(/^kube-ingress-aws-controller-/);
    // Bad objects the planner saw say why they have no load balancer.
    const noCert = view.ingresses.find((i) => i.name === 'bad-10');
    expect(noCert?.why ?? '').toMatch(/certificate/);
    expect(h.aws.server.calls.filter((c) => c.action === 'DeleteStack')).toEqual([]);
  }, 60_000);
});
