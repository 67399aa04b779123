// Plan mode end to end against the simulations. Existing stacks are made by the real controller first, so
// "unchanged" means "equal to what the controller itself would write", not to a hand-made fixture.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { StackInput } from '../../../../tools/sim/aws/world.ts';
import {
  CERTIFICATE_ARN, exampleIngress, exampleWorld, ingress, PLAN_NOW, provisionStacks, startPlanWorld, type PlanWorld,
} from './plan-world.ts';

const CERT_TAG = `ingress:certificate-arn/${CERTIFICATE_ARN}`;

let world: PlanWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function expectNothingChanged(w: PlanWorld): void {
  const { aws, kubernetes } = w.mutations();
  expect(aws).toEqual([]);
  expect(kubernetes).toEqual([]);
  expect(w.kube.list('Event')).toEqual([]);
  // Not even local state: plan mode opens no database.
  expect(fs.existsSync(path.join(w.dir, 'state'))).toBe(false);
}

const withTags = (stacks: StackInput[], tags: Record<string, string>): StackInput[] =>
  stacks.map((s) => ({ ...s, tags: { ...s.tags, ...tags } }));

describe('plan mode', () => {
  let stacksByDefault: StackInput[];
  let stacksWithLongerIdleTimeout: StackInput[];
  beforeAll(async () => {
    stacksByDefault = await provisionStacks();
    stacksWithLongerIdleTimeout = await provisionStacks({ flags: ['--idle-connection-timeout=2m'] });
  });

  it('on a fresh cluster shows the stack it would create, with a placeholder name', async () => {
    world = await startPlanWorld();
    const run = await world.plan();
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('create <new stack 1>');
    expect(run.out).toContain('  ingresses: Ingress default/app');
    expect(run.out).toContain(`  certificates: ${CERTIFICATE_ARN}`);
    expect(run.out).toContain('    + Resources.LB (AWS::ElasticLoadBalancingV2::LoadBalancer)');
    expect(run.out).toContain('    + LoadBalancerSubnetsParameter: "subnet-a1,subnet-b1"');
    expect(run.out).toContain('Summary: 1 to create, 0 to update, 0 to delete, 0 unchanged, 0 draining.');
    expectNothingChanged(world);
  });

  it('finds a stack equal to the desired document unchanged', async () => {
    world = await startPlanWorld({ stacks: stacksByDefault });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.out).toContain(`unchanged ${stacksByDefault[0]!.name} (CREATE_COMPLETE)`);
    expect(run.out).toContain('Summary: 0 to create, 0 to update, 0 to delete, 1 unchanged, 0 draining.');
    expect(run.text).not.toMatch(/^\s+[~+-] /m);
    // Read exactly as the controller reads: the list, then the live template.
    const cfn = world.aws.server.calls.filter((c) => c.service === 'cloudformation').map((c) => c.action);
    expect(new Set(cfn)).toEqual(new Set(['DescribeStacks', 'GetTemplate']));
    expectNothingChanged(world);
  });

  it('shows an update with the attribute diff for a stack made with another flag value', async () => {
    world = await startPlanWorld({ stacks: stacksWithLongerIdleTimeout });
    const run = await world.plan();
    expect(run.code).toBe(0);
    const name = stacksWithLongerIdleTimeout[0]!.name;
    expect(run.out).toContain(`update ${name} (CREATE_COMPLETE)`);
    expect(run.out).toContain('  template:');
    expect(run.out).toContain('    ~ Resources.LB.Properties.LoadBalancerAttributes[0].Value: "120" -> "60"');
    // Only the attribute differs: no parameter or tag lines.
    expect(run.out).not.toContain('  parameters:');
    expect(run.out).not.toContain('  tags:');
    expect(run.out).toContain('Summary: 0 to create, 1 to update, 0 to delete, 0 unchanged, 0 draining.');
    expectNothingChanged(world);
  });

  it('prints the same plan as JSON with PLAN_OUTPUT=json', async () => {
    world = await startPlanWorld({ stacks: stacksWithLongerIdleTimeout });
    const run = await world.plan([], { env: { PLAN_OUTPUT: 'json' } });
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    const plan = JSON.parse(run.out[0]!) as {
      version: number; at: string; stopped: null; summary: Record<string, number>;
      stacks: { name: string; change: string; diff: { template: unknown[]; parameters: unknown[] }; desired: { parameters: Record<string, string> } }[];
    };
    expect(plan.version).toBe(1);
    expect(plan.at).toBe('2026-03-01T00:00:00Z');
    expect(plan.stopped).toBeNull();
    expect(plan.summary).toEqual({ create: 0, update: 1, delete: 0, unchanged: 0, draining: 0 });
    expect(plan.stacks[0]!.change).toBe('update');
    expect(plan.stacks[0]!.diff.parameters).toEqual([]);
    expect(plan.stacks[0]!.diff.template).toEqual([
      { kind: 'changed', path: 'Resources.LB.Properties.LoadBalancerAttributes[0].Value', before: '120', after: '60' },
    ]);
    expect(plan.stacks[0]!.desired.parameters['Type']).toBe('application');
    expectNothingChanged(world);
  });

  it('shows a delete, and why, for a stack whose certificate TTLs all passed', async () => {
    const expired = withTags(stacksByDefault, { [CERT_TAG]: '2026-02-01T00:00:00Z' });
    world = await startPlanWorld({ stacks: expired, objects: [] });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.out).toContain(`delete ${expired[0]!.name} (CREATE_COMPLETE): all certificate TTLs passed (the last at 2026-02-01T00:00:00Z)`);
    expect(run.out).toContain('Summary: 0 to create, 0 to update, 1 to delete, 0 unchanged, 0 draining.');
    expectNothingChanged(world);
  });

  it('shows a stack whose certificates all have TTLs as draining until the last one', async () => {
    const draining = withTags(stacksByDefault, { [CERT_TAG]: '2026-03-01T00:10:00Z' });
    world = await startPlanWorld({ stacks: draining, objects: [] });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.out).toContain(`draining until 2026-03-01T00:10:00Z: ${draining[0]!.name} (CREATE_COMPLETE)`);
    expect(run.out).toContain('  ingresses: none');
    expect(run.out).toContain('Summary: 0 to create, 0 to update, 0 to delete, 0 unchanged, 1 draining.');
    expectNothingChanged(world);
  });

  it('shows the TTL tag update, then the drain, when the last ingress of a stack is gone', async () => {
    world = await startPlanWorld({ stacks: stacksByDefault, objects: [] });
    const run = await world.plan();
    expect(run.code).toBe(0);
    const until = new Date(PLAN_NOW + world.config().certTTLTimeoutMs).toISOString().replace('.000Z', 'Z');
    expect(run.out).toContain(`update ${stacksByDefault[0]!.name} (CREATE_COMPLETE)`);
    expect(run.out).toContain(`  then draining until ${until}`);
    expect(run.out).toContain(`    ~ ${CERT_TAG}: "0001-01-01T00:00:00Z" -> "${until}"`);
    expectNothingChanged(world);
  });

  it('lists ingresses that get no load balancer, and writes no Event for annotation problems', async () => {
    world = await startPlanWorld({
      objects: [
        exampleIngress,
        ingress('nlb-with-sg', 'foo.bar.org', { 'zalando.org/aws-load-balancer-type': 'nlb', 'zalando.org/aws-load-balancer-security-group': 'sg-9' }),
        ingress('pinned', 'foo.bar.org', { 'zalando.org/aws-load-balancer-ssl-cert': 'arn:aws:acm:eu-central-1:123456789012:certificate/missing' }),
        ingress('no-cert', 'other.example.com'),
        ingress('odd-scheme', 'foo.bar.org', { 'zalando.org/aws-load-balancer-scheme': 'public' }),
      ],
    });
    const run = await world.plan();
    expect(run.code).toBe(0);
    const section = run.text.split('Ingresses without a load balancer:\n')[1]?.split('\n\n')[0] ?? '';
    expect(section).toMatch(/^ {2}Ingress default\/nlb-with-sg: rejected: security group or WAF are not supported by NLB/m);
    expect(section).toMatch(/^ {2}Ingress default\/pinned: certificate arn:.*\/missing pinned by annotation/m);
    expect(section).toMatch(/^ {2}Ingress default\/no-cert: no certificate for host other\.example\.com/m);
    expect(section).not.toContain('default/app');
    expect(section).not.toContain('odd-scheme');
    // Problems the controller would report as Warning Events are printed instead.
    expect(run.text).toContain('Warning Events the controller would record (plan mode writes none):');
    expect(run.text).toMatch(/Ingress default\/odd-scheme: annotation zalando.org\/aws-load-balancer-scheme has invalid value "public"/);
    expect(run.text).toMatch(/Ingress default\/nlb-with-sg: security group or WAF .*; the Ingress is ignored/);
    expect(run.out).toContain('create <new stack 1>');
    expectNothingChanged(world);
  });

  it('says when an update would have to wait for a stack still in progress', async () => {
    const busy = stacksWithLongerIdleTimeout.map((s) => ({ ...s, status: 'UPDATE_IN_PROGRESS' }));
    world = await startPlanWorld({ stacks: busy });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.out).toContain(`update ${busy[0]!.name} (UPDATE_IN_PROGRESS)`);
    expect(run.out).toContain('  note: the stack is UPDATE_IN_PROGRESS: the update would start once it settles');
    expectNothingChanged(world);
  });

  it('treats a live template that is not JSON as a whole-template update', async () => {
    const yaml = stacksByDefault.map((s) => ({ ...s, template: 'Resources:\n  LB:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n' }));
    world = await startPlanWorld({ stacks: yaml });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.out).toContain(`update ${yaml[0]!.name} (CREATE_COMPLETE)`);
    expect(run.out).toContain('  note: the live template is not JSON');
    expect(run.out.some((l) => l.startsWith('    ~ (whole template): "Resources:\\n  LB:'))).toBe(true);
    expectNothingChanged(world);
  });

  it('notes managed stacks in unexpected statuses, as the controller reports them', async () => {
    const failed = stacksByDefault.map((s) => ({ ...s, status: 'UPDATE_ROLLBACK_FAILED', statusReason: 'resource LB failed' }));
    world = await startPlanWorld({ stacks: failed });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.text).toContain(`Notes:\n  stack ${failed[0]!.name} has unexpected status UPDATE_ROLLBACK_FAILED: resource LB failed`);
    expectNothingChanged(world);
  });

  it('stops without certificates, as the controller does', async () => {
    world = await startPlanWorld({ aws: { ...exampleWorld(), certificates: [] }, stacks: stacksByDefault });
    const run = await world.plan();
    expect(run.code).toBe(0);
    expect(run.out).toContain('no certificates found: nothing would be changed');
    expect(run.text).not.toMatch(/^(create|update|delete|unchanged|draining)/m);
    expect(run.text).not.toContain('Summary:');
    // The stop comes before templates are read.
    expect(world.aws.server.calls.some((c) => c.action === 'GetTemplate')).toBe(false);
    expectNothingChanged(world);
  });

  it('exits 1 with one line on stderr when the cluster cannot be read', async () => {
    world = await startPlanWorld();
    world.kube.failNext('GET', /ingresses/, 500, 'etcd is on fire');
    const run = await world.plan();
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toBe(`kube-ingress-aws-controller plan: cannot read the cluster at ${world.kube.url}: HTTP 500: etcd is on fire`);
    expectNothingChanged(world);
  });

  it('exits 1 with one line on stderr when AWS discovery fails', async () => {
    world = await startPlanWorld({ aws: { ...exampleWorld(), behaviour: { serverErrors: { 'ec2:DescribeSecurityGroups': 1 } } } });
    const run = await world.plan();
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/^kube-ingress-aws-controller plan: AWS discovery failed: DescribeSecurityGroups: InternalFailure: /);
    expectNothingChanged(world);
  });

  it('refuses an unknown PLAN_OUTPUT before reading anything', async () => {
    world = await startPlanWorld();
    const run = await world.plan([], { env: { PLAN_OUTPUT: 'yaml' } });
    expect(run.code).toBe(2);
    expect(run.err).toEqual(['kube-ingress-aws-controller plan: PLAN_OUTPUT must be "text" or "json", got "yaml"']);
    expect(world.aws.server.calls).toEqual([]);
  });
});
