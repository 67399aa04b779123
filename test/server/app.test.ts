// The read-only HTTP surface against a live controller: health, readiness, metrics with upstream names, and the
// debug API explaining each stack and each ingress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, waitFor, type LiveHarness } from '../integration/harness.ts';
import { basicFlags, basicWorld, ingress } from '../integration/world.ts';

describe('debug API and metrics', () => {
  let h: LiveHarness;
  let url: string;
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: res.headers.get('content-type')?.includes('json') ? await res.json() as any : await res.text() };
  };

  beforeAll(async () => {
    h = await startLive({
      aws: { ...basicWorld, behaviour: { operationSeconds: 0.3 } },
      objects: [ingress('app', 'foo.bar.org'), ingress('nocert', 'nothing.example.com')],
      flags: [...basicFlags, '--min-load-balancer-age=0s'],
      listen: true,
    });
    url = h.runtime.url!.replace('0.0.0.0', '127.0.0.1');
    await waitFor(() => h.runtime.controller.registry.list().find((s) => s.phase === 'active'), 10_000, 'an active stack');
  });
  afterAll(async () => h?.close());

  it('answers health and readiness', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await get('/readyz')).status).toBe(200);
  });

  it('lists stacks with state, ingresses, certificates and history', async () => {
    const list = await get('/api/stacks');
    expect(list.body.stacks).toHaveLength(1);
    const name = list.body.stacks[0].name as string;
    expect(name).toMatch(/^kube-ingress-aws-controller-aws-123-eu-central-1-kube-1-/);
    const one = (await get(`/api/stacks/${name}`)).body;
    expect(one.state).toBe('active');
    expect(one.ingresses).toEqual([{ kind: 'Ingress', namespace: 'default', name: 'app' }]);
    expect(one.certificates).toEqual([{ arn: 'arn:aws:acm:eu-central-1:123456789012:certificate/foo', expiry: null, inUse: true }]);
    expect(one.cloudFormation.status).toBe('CREATE_COMPLETE');
    expect(one.history.map((t: { to: string }) => t.to)).toEqual(expect.arrayContaining(['creating.submitting', 'creating.waiting', 'active']));
    expect((await get('/api/stacks/nope')).status).toBe(404);
  });

  it('explains why an ingress has no load balancer', async () => {
    const res = await get('/api/ingresses');
    const byName = Object.fromEntries(res.body.ingresses.map((i: { name: string }) => [i.name, i]));
    expect(byName.app.stack).toMatch(/^kube-ingress-aws-controller-/);
    expect(byName.nocert.stack).toBeNull();
    expect(byName.nocert.why).toMatch(/nothing\.example\.com/);
  });

  it('counts AWS and Kubernetes requests, and keeps upstream\'s instrumented_http summary', async () => {
    const text = (await get('/metrics')).body as string;
    expect(text).toMatch(/^http_request_duration_seconds_count\{handler="instrumented_http",scheme="http",host="127\.0\.0\.1:\d+",path="\/",query="",method="post",status="200"\} \d+/m);
    expect(text).toMatch(/^kube_ingress_aws_controller_aws_calls_total\{service="cloudformation",operation="CreateStack",code="ok"\} 1$/m);
    expect(text).toMatch(/^kube_ingress_aws_controller_aws_calls_total\{service="ec2",operation="DescribeSubnets",code="ok"\} \d+$/m);
    expect(text).toMatch(/^kube_ingress_aws_controller_kubernetes_requests_total\{verb="list",resource="ingresses",code="200"\} \d+$/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{handler="instrumented_http",scheme="http",host="127\.0\.0\.1:\d+",path="\/apis\/networking\.k8s\.io\/v1\/ingresses",query="",method="get",status="200"\} \d+/m);
  });

  it('exposes Prometheus metrics with upstream names', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    for (const name of ['kube_ingress_aws_controller_last_sync_timestamp_seconds', 'kube_ingress_aws_controller_ingresses_total',
      'kube_ingress_aws_controller_stacks_total', 'kube_ingress_aws_controller_certificates_total', 'kube_ingress_aws_controller_changes_total']) {
      expect(res.body).toContain(name);
    }
    expect(res.body).toMatch(/kube_ingress_aws_controller_changes_total\{resource_type="stack",operation="create"\} 1/);
    expect(res.body).toMatch(/kube_ingress_aws_controller_ingresses_total 2/);
  });
});

describe('debug API: stack operations beyond --max-stack-operations', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    const dedicated = { 'zalando.org/aws-load-balancer-shared': 'false' };
    h = await startLive({
      aws: { ...basicWorld, behaviour: { operationSeconds: 3 } },
      objects: [ingress('one', 'foo.bar.org', dedicated), ingress('two', 'foo.bar.org', dedicated)],
      flags: [...basicFlags, '--min-load-balancer-age=0s', '--max-stack-operations=1'],
      listen: true,
    });
  });
  afterAll(async () => h?.close());

  it('shows the second create queued while the first is in flight, then both stacks created', async () => {
    const url = h.runtime.url!.replace('0.0.0.0', '127.0.0.1');
    const list = async () => (await (await fetch(`${url}/api/stacks`)).json()) as { operations: unknown; stacks: { state: string; queued: boolean }[] };
    const during = await waitForAsync(async () => {
      const body = await list();
      return body.stacks.length === 2 ? body : undefined;
    });
    expect(during.operations).toEqual({ inFlight: 1, queued: 1, limit: 1 });
    expect(during.stacks.map((s) => [s.state, s.queued]).sort()).toEqual([['creating', false], ['creating', true]]);
    expect(h.aws.server.calls.filter((c) => c.action === 'CreateStack')).toHaveLength(1);
    await waitFor(() => h.runtime.controller.registry.list().filter((s) => s.phase === 'active').length === 2 || undefined, 20_000, 'both stacks active');
    expect(h.aws.server.calls.filter((c) => c.action === 'CreateStack')).toHaveLength(2);
    expect((await list()).operations).toEqual({ inFlight: 0, queued: 0, limit: 1 });
  }, 30_000);
});

async function waitForAsync<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

describe('--disable-instrumented-http-client', () => {
  it('drops the instrumented_http summary and keeps the request counters', async () => {
    const h = await startLive({ aws: basicWorld, objects: [], flags: [...basicFlags, '--disable-instrumented-http-client'], listen: true });
    try {
      const text = await (await fetch(`${h.runtime.url!.replace('0.0.0.0', '127.0.0.1')}/metrics`)).text();
      expect(text).not.toContain('http_request_duration_seconds');
      expect(text).toContain('kube_ingress_aws_controller_aws_calls_total');
    } finally {
      await h.close();
    }
  });
});
