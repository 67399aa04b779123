import {
  CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, GetTemplateCommand,
  paginateDescribeStacks, UpdateStackCommand, UpdateTerminationProtectionCommand, type Stack,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeLoadBalancersCommand, DescribeListenersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteStackOutOfBand, setLoadBalancerState } from '../../../../tools/sim/aws/index.ts';
import {
  albTemplate, baseWorld, failure, nlbTemplate, SECOND, stackParameters, START, startHarness, type Harness,
} from './helpers.ts';
import type { AwsWorldInput } from '../../../../tools/sim/aws/world.ts';

const OWNER_TAGS = [
  { Key: 'kubernetes:application', Value: 'kube-ingress-aws-controller' },
  { Key: 'kubernetes.io/cluster/kube-1', Value: 'owned' },
];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(input: AwsWorldInput = baseWorld()): Promise<Harness> {
  h = await startHarness(input);
  return h;
}

async function describe1(cfn: CloudFormationClient, name: string): Promise<Stack> {
  const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
  expect(out.Stacks).toHaveLength(1);
  return out.Stacks![0]!;
}

const outputsOf = (s: Stack) => Object.fromEntries((s.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value!]));

async function createAlb(x: Harness, name = 'stack-a', extra: Partial<ConstructorParameters<typeof CreateStackCommand>[0]> = {}) {
  return x.cfn.send(new CreateStackCommand({
    StackName: name, TemplateBody: albTemplate(), Parameters: stackParameters(), Tags: OWNER_TAGS,
    OnFailure: 'DELETE', TimeoutInMinutes: 10, EnableTerminationProtection: false, ...extra,
  }));
}

describe('CreateStack and DescribeStacks', () => {
  it('moves CREATE_IN_PROGRESS to CREATE_COMPLETE after operationSeconds and derives outputs from the template', async () => {
    const x = await start();
    const created = await createAlb(x);
    expect(created.StackId).toMatch(/^arn:aws:cloudformation:eu-central-1:123456789012:stack\/stack-a\/[0-9a-f-]{36}$/);

    let s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('CREATE_IN_PROGRESS');
    expect(s.StackStatusReason).toBe('User Initiated');
    expect(s.Outputs).toBeUndefined();
    expect(s.CreationTime).toEqual(new Date(START));
    expect(s.TimeoutInMinutes).toBe(10);
    expect(s.EnableTerminationProtection).toBe(false);
    expect(s.Description).toBe('Load Balancer for Kubernetes Ingress');
    expect(tagsOf(s.Tags)).toEqual(tagsOf(OWNER_TAGS));

    x.clock.advance(59 * SECOND);
    expect((await describe1(x.cfn, 'stack-a')).StackStatus).toBe('CREATE_IN_PROGRESS');
    x.clock.advance(1 * SECOND);
    s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('CREATE_COMPLETE');
    expect(s.StackStatusReason).toBeUndefined();
    expect(s.LastUpdatedTime).toBeUndefined();

    const outputs = outputsOf(s);
    expect(Object.keys(outputs).sort()).toEqual(['LoadBalancerARN', 'LoadBalancerDNSName', 'TargetGroupARN']);
    expect(outputs.LoadBalancerARN).toMatch(/^arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/);
    expect(outputs.TargetGroupARN).toMatch(/^arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/);
    const lbName = outputs.LoadBalancerARN!.split('/')[2]!;
    expect(outputs.LoadBalancerDNSName).toMatch(new RegExp(`^${lbName}-\\d{10}\\.eu-central-1\\.elb\\.amazonaws\\.com$`));

    // Parameters come back with the template defaults filled in, as CloudFormation reports them.
    const params = Object.fromEntries((s.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue!]));
    expect(params).toMatchObject({ LoadBalancerSubnetsParameter: 'subnet-a,subnet-b', Type: 'application', HTTP2: 'true', TargetGroupHealthCheckPathParameter: '/kube-system/healthz' });
  });

  it('creates the load balancer as provisioning and makes it active when the stack completes', async () => {
    const x = await start();
    await createAlb(x);
    const [lb] = [...x.sim.world.loadBalancers.values()];
    expect(lb?.state).toBe('provisioning');
    expect(lb?.createdAt).toBe(START);
    x.clock.advance(60 * SECOND);
    const out = await x.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb!.arn] }));
    expect(out.LoadBalancers?.[0]?.State?.Code).toBe('active');
    expect(out.LoadBalancers?.[0]?.CreatedTime).toEqual(new Date(START));
  });

  it('answers AlreadyExistsException for a live stack name, and accepts the name again after a delete', async () => {
    const x = await start();
    const first = await createAlb(x);
    const err = await failure(createAlb(x));
    expect(err.name).toBe('AlreadyExistsException');
    expect(err.message).toBe('Stack [stack-a] already exists');
    x.clock.advance(60 * SECOND);
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    x.clock.advance(60 * SECOND);
    const second = await createAlb(x);
    expect(second.StackId).not.toBe(first.StackId);
  });

  it('answers ValidationError for an unknown stack name', async () => {
    const x = await start();
    const err = await failure(x.cfn.send(new DescribeStacksCommand({ StackName: 'nope' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('Stack with id nope does not exist');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$metadata.attempts).toBe(1);
  });

  it('rejects missing and unknown parameters and malformed templates as CloudFormation does', async () => {
    const x = await start();
    let err = await failure(x.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: albTemplate(), Parameters: [] })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('Parameters: [LoadBalancerSecurityGroupParameter, LoadBalancerSubnetsParameter, TargetGroupVPCIDParameter] must have values');
    err = await failure(x.cfn.send(new CreateStackCommand({
      StackName: 's', TemplateBody: albTemplate(), Parameters: [...stackParameters(), { ParameterKey: 'Nope', ParameterValue: 'x' }],
    })));
    expect(err.message).toBe('Parameters: [Nope] do not exist in the template');
    err = await failure(x.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: '{not json' })));
    expect(err.message).toBe('Template format error: JSON not well-formed.');
    err = await failure(x.cfn.send(new CreateStackCommand({
      StackName: 's', TemplateBody: JSON.stringify({ Resources: { A: { Type: 'AWS::SNS::Topic', Properties: { X: { Ref: 'Missing' } } } } }),
    })));
    expect(err.message).toBe('Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template');
    expect(x.sim.world.stacks.size).toBe(0);
  });

  it('lists every live stack across NextToken pages and leaves deleted ones out', async () => {
    const stacks = Array.from({ length: 120 }, (_, i) => ({ name: `s-${String(i).padStart(3, '0')}`, tags: { n: String(i) } }));
    const x = await start(baseWorld({ stacks: [...stacks, { name: 'gone', status: 'DELETE_COMPLETE' }] }));
    const pages: Stack[][] = [];
    for await (const page of paginateDescribeStacks({ client: x.cfn }, {})) pages.push(page.Stacks ?? []);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    const names = pages.flat().map((s) => s.StackName);
    expect(names).toEqual(stacks.map((s) => s.name));
  });

  it('shows a deleted stack by stack id as DELETE_COMPLETE but not by name', async () => {
    const x = await start();
    const { StackId } = await createAlb(x);
    x.clock.advance(60 * SECOND);
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    expect((await describe1(x.cfn, 'stack-a')).StackStatus).toBe('DELETE_IN_PROGRESS');
    x.clock.advance(60 * SECOND);
    const byId = await describe1(x.cfn, StackId!);
    expect(byId.StackStatus).toBe('DELETE_COMPLETE');
    expect(byId.DeletionTime).toEqual(new Date(START + 60 * SECOND));
    const err = await failure(x.cfn.send(new DescribeStacksCommand({ StackName: 'stack-a' })));
    expect(err.message).toBe('Stack with id stack-a does not exist');
    expect((await x.cfn.send(new DescribeStacksCommand({}))).Stacks ?? []).toEqual([]);
  });
});

describe('GetTemplate', () => {
  it('returns the body the stack was created with', async () => {
    const x = await start();
    await createAlb(x);
    const out = await x.cfn.send(new GetTemplateCommand({ StackName: 'stack-a' }));
    expect(out.TemplateBody).toBe(albTemplate());
    const err = await failure(x.cfn.send(new GetTemplateCommand({ StackName: 'nope' })));
    expect(err.name).toBe('ValidationError');
  });
});

describe('UpdateStack', () => {
  it('answers "No updates are to be performed." when template, parameters and tags are unchanged', async () => {
    const x = await start();
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    const err = await failure(x.cfn.send(new UpdateStackCommand({
      StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters(), Tags: OWNER_TAGS,
    })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('No updates are to be performed.');
    expect(err.$metadata.attempts).toBe(1);
    // Sending a default explicitly is no change either.
    const again = await failure(x.cfn.send(new UpdateStackCommand({
      StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters({ HTTP2: 'true' }), Tags: OWNER_TAGS,
    })));
    expect(again.message).toBe('No updates are to be performed.');
  });

  it('refuses updates while a stack is in progress or rolled back', async () => {
    const x = await start();
    const { StackId } = await createAlb(x);
    const err = await failure(x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters() })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(`Stack:${StackId} is in CREATE_IN_PROGRESS state and can not be updated.`);
    const missing = await failure(x.cfn.send(new UpdateStackCommand({ StackName: 'nope', TemplateBody: albTemplate() })));
    expect(missing.message).toBe('Stack [nope] does not exist');
  });

  it('moves UPDATE_IN_PROGRESS to UPDATE_COMPLETE, keeps resource ARNs and propagates new tags', async () => {
    const x = await start();
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    const before = outputsOf(await describe1(x.cfn, 'stack-a'));
    x.clock.advance(10 * SECOND);
    const tags = [...OWNER_TAGS, { Key: 'ingress:certificate-arn/arn:aws:acm:eu-central-1:123456789012:certificate/a', Value: '0001-01-01T00:00:00Z' }];
    const { StackId } = await x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters(), Tags: tags }));
    let s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('UPDATE_IN_PROGRESS');
    expect(s.LastUpdatedTime).toEqual(new Date(START + 70 * SECOND));
    const busy = await failure(x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters() })));
    expect(busy.message).toBe(`Stack:${StackId} is in UPDATE_IN_PROGRESS state and can not be updated.`);
    x.clock.advance(60 * SECOND);
    s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('UPDATE_COMPLETE');
    expect(outputsOf(s)).toEqual(before);
    const described = await x.elb.send(new DescribeTagsCommand({ ResourceArns: [before.LoadBalancerARN!, before.TargetGroupARN!] }));
    for (const d of described.TagDescriptions ?? []) expect(tagsOf(d.Tags)).toMatchObject(tagsOf(tags));
  });

  it('replaces a target group whose port changed and one whose logical id changed, deleting the old ones', async () => {
    const x = await start();
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    const first = outputsOf(await describe1(x.cfn, 'stack-a'));
    await x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters({ TargetGroupTargetPortParameter: '8080' }), Tags: OWNER_TAGS }));
    x.clock.advance(60 * SECOND);
    const second = outputsOf(await describe1(x.cfn, 'stack-a'));
    expect(second.LoadBalancerARN).toBe(first.LoadBalancerARN);
    expect(second.TargetGroupARN).not.toBe(first.TargetGroupARN);
    const tgs = await x.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: second.LoadBalancerARN }));
    expect(tgs.TargetGroups?.map((t) => [t.TargetGroupArn, t.Port])).toEqual([[second.TargetGroupARN, 8080]]);
    expect((await failure(x.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [first.TargetGroupARN!] })))).name).toBe('TargetGroupNotFoundException');

    const renamed = albTemplate().replaceAll('"TG"', '"TG2"');
    await x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: renamed, Parameters: stackParameters({ TargetGroupTargetPortParameter: '8080' }), Tags: OWNER_TAGS }));
    x.clock.advance(60 * SECOND);
    const third = outputsOf(await describe1(x.cfn, 'stack-a'));
    expect(third.TargetGroupARN).not.toBe(second.TargetGroupARN);
    expect(x.sim.world.targetGroups.has(second.TargetGroupARN!)).toBe(false);
    const listeners = await x.elb.send(new DescribeListenersCommand({ LoadBalancerArn: third.LoadBalancerARN }));
    for (const l of listeners.Listeners ?? []) expect(l.DefaultActions?.[0]?.TargetGroupArn).toBe(third.TargetGroupARN);
  });

  it('keeps the previous tags when Tags is left out', async () => {
    const x = await start();
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    await x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters({ HTTP2: 'false' }) }));
    x.clock.advance(60 * SECOND);
    expect(tagsOf((await describe1(x.cfn, 'stack-a')).Tags)).toEqual(tagsOf(OWNER_TAGS));
  });
});

describe('DeleteStack and termination protection', () => {
  it('refuses to delete a protected stack until protection is turned off, then removes its resources', async () => {
    const x = await start();
    await createAlb(x, 'stack-a', { EnableTerminationProtection: true });
    x.clock.advance(60 * SECOND);
    const s = await describe1(x.cfn, 'stack-a');
    expect(s.EnableTerminationProtection).toBe(true);
    const lbArn = outputsOf(s).LoadBalancerARN!;

    const err = await failure(x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('Stack [stack-a] cannot be deleted while TerminationProtection is enabled');

    await x.cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'stack-a', EnableTerminationProtection: false }));
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    expect((await describe1(x.cfn, 'stack-a')).StackStatus).toBe('DELETE_IN_PROGRESS');
    // A second delete while deleting is a no-op, not an error.
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    expect(x.sim.world.loadBalancers.has(lbArn)).toBe(true);
    x.clock.advance(60 * SECOND);
    const gone = await failure(x.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] })));
    expect(gone.name).toBe('LoadBalancerNotFoundException');
    expect(x.sim.world.targetGroups.size).toBe(0);
    expect(x.sim.world.listeners.size).toBe(0);
  });

  it('deletes a stack that is still being created, cancelling the create', async () => {
    const x = await start();
    const { StackId } = await createAlb(x);
    x.clock.advance(30 * SECOND);
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    x.clock.advance(30 * SECOND);
    expect((await describe1(x.cfn, StackId!)).StackStatus).toBe('DELETE_IN_PROGRESS');
    x.clock.advance(30 * SECOND);
    expect((await describe1(x.cfn, StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    expect(x.sim.world.loadBalancers.size).toBe(0);
  });

  it('accepts deleting a stack that does not exist', async () => {
    const x = await start();
    await x.cfn.send(new DeleteStackCommand({ StackName: 'never-existed' }));
    const err = await failure(x.cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'never-existed', EnableTerminationProtection: true })));
    expect(err.message).toBe('Stack [never-existed] does not exist');
  });
});

describe('failure paths', () => {
  it('failed create with OnFailure=DELETE: CREATE_FAILED, DELETE_IN_PROGRESS, DELETE_COMPLETE', async () => {
    const x = await start(baseWorld({ behaviour: { failCreate: ['stack-*'] } }));
    const { StackId } = await createAlb(x);
    const status = async () => (await describe1(x.cfn, StackId!)).StackStatus;
    x.clock.advance(60 * SECOND);
    expect(await status()).toBe('CREATE_FAILED');
    expect((await describe1(x.cfn, StackId!)).StackStatusReason).toBe('The following resource(s) failed to create: [HTTPListener]. ');
    x.clock.advance(30 * SECOND);
    expect(await status()).toBe('DELETE_IN_PROGRESS');
    x.clock.advance(30 * SECOND);
    expect(await status()).toBe('DELETE_COMPLETE');
    expect(x.sim.world.loadBalancers.size).toBe(0);
  });

  it('failed create with the default OnFailure: ROLLBACK_IN_PROGRESS, ROLLBACK_COMPLETE, then only delete is possible', async () => {
    const x = await start(baseWorld({ behaviour: { failCreate: ['stack-a'] } }));
    await createAlb(x, 'stack-a', { OnFailure: undefined });
    x.clock.advance(60 * SECOND);
    let s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('ROLLBACK_IN_PROGRESS');
    expect(s.StackStatusReason).toMatch(/failed to create.*Rollback requested by user\.$/);
    x.clock.advance(30 * SECOND);
    s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(s.Outputs).toBeUndefined();
    expect(x.sim.world.loadBalancers.size).toBe(0);
    const err = await failure(x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters() })));
    expect(err.message).toMatch(/is in ROLLBACK_COMPLETE state and can not be updated\.$/);
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    x.clock.advance(60 * SECOND);
    expect((await x.cfn.send(new DescribeStacksCommand({}))).Stacks ?? []).toEqual([]);
  });

  it('failed update rolls back to the previous template, parameters and tags', async () => {
    const x = await start(baseWorld({ behaviour: { failUpdate: ['*'] } }));
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    const before = await describe1(x.cfn, 'stack-a');
    await x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters({ TargetGroupTargetPortParameter: '8080' }), Tags: [] }));
    let s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('UPDATE_IN_PROGRESS');
    expect(s.Tags).toEqual([]);
    x.clock.advance(60 * SECOND);
    s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('UPDATE_ROLLBACK_IN_PROGRESS');
    expect(s.StackStatusReason).toMatch(/^The following resource\(s\) failed to update/);
    x.clock.advance(30 * SECOND);
    s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(s.Parameters).toEqual(before.Parameters);
    expect(s.Tags).toEqual(before.Tags);
    expect(outputsOf(s)).toEqual(outputsOf(before));
    expect(x.sim.world.targetGroups.get(outputsOf(s).TargetGroupARN!)?.port).toBe(9999);
    // UPDATE_ROLLBACK_COMPLETE counts as complete: the stack can be updated again.
    const retry = await failure(x.cfn.send(new UpdateStackCommand({ StackName: 'stack-a', TemplateBody: albTemplate(), Parameters: stackParameters(), Tags: OWNER_TAGS })));
    expect(retry.message).toBe('No updates are to be performed.');
  });

  it('failed delete ends in DELETE_FAILED with a reason and keeps the resources', async () => {
    const x = await start(baseWorld({ behaviour: { failDelete: ['stack-?'] } }));
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    await x.cfn.send(new DeleteStackCommand({ StackName: 'stack-a' }));
    x.clock.advance(60 * SECOND);
    const s = await describe1(x.cfn, 'stack-a');
    expect(s.StackStatus).toBe('DELETE_FAILED');
    expect(s.StackStatusReason).toMatch(/failed to delete/);
    expect(x.sim.world.loadBalancers.size).toBe(1);
  });
});

describe('network load balancer template', () => {
  it('creates a network load balancer with a TCP target group and a TLS listener', async () => {
    const x = await start();
    await x.cfn.send(new CreateStackCommand({
      StackName: 'nlb', TemplateBody: nlbTemplate(), Parameters: stackParameters({ Type: 'network' }), Tags: OWNER_TAGS,
    }));
    x.clock.advance(60 * SECOND);
    const outputs = outputsOf(await describe1(x.cfn, 'nlb'));
    expect(outputs.LoadBalancerARN).toContain(':loadbalancer/net/');
    expect(outputs.LoadBalancerDNSName).toMatch(/^[A-Za-z0-9-]+-[0-9a-f]{16}\.elb\.eu-central-1\.amazonaws\.com$/);
    const lb = (await x.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [outputs.LoadBalancerARN!] }))).LoadBalancers![0]!;
    expect(lb.Type).toBe('network');
    expect(lb.SecurityGroups).toBeUndefined();
    expect(lb.CanonicalHostedZoneId).toBe('Z3F0SRJ5LGBH90');
    const tg = (await x.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [outputs.TargetGroupARN!] }))).TargetGroups![0]!;
    expect([tg.Protocol, tg.Port, tg.TargetType, tg.HealthCheckProtocol, tg.HealthCheckPath]).toEqual(['TCP', 9999, 'instance', 'HTTP', '/kube-system/healthz']);
    const listeners = (await x.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!;
    expect(listeners.map((l) => [l.Port, l.Protocol])).toEqual([[443, 'TLS']]);
  });
});

describe('pre-existing stacks (loadStacks)', () => {
  const lbArn = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/old-lb/0123456789abcdef';
  const tgArn = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/old-tg/fedcba9876543210';

  it('materialises resources from a template and adopts the ARNs and DNS name its outputs give', async () => {
    const x = await start(baseWorld({
      loadBalancers: [{ arn: lbArn, state: 'failed', createdAt: '2025-12-31T00:00:00Z' }],
      stacks: [{
        name: 'old', template: JSON.parse(albTemplate()), tags: { 'kubernetes:application': 'kube-ingress-aws-controller' },
        parameters: Object.fromEntries(stackParameters().map((p) => [p.ParameterKey!, p.ParameterValue!])),
        outputs: { LoadBalancerARN: lbArn, LoadBalancerDNSName: 'old-lb-1.eu-central-1.elb.amazonaws.com', TargetGroupARN: tgArn },
        createdAt: '2025-12-31T00:00:00Z',
      }],
    }));
    const s = await describe1(x.cfn, 'old');
    expect(s.StackStatus).toBe('CREATE_COMPLETE');
    expect(s.CreationTime).toEqual(new Date('2025-12-31T00:00:00Z'));
    expect(outputsOf(s).TargetGroupARN).toBe(tgArn);
    const lb = (await x.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0]!;
    expect([lb.State?.Code, lb.DNSName, lb.LoadBalancerName]).toEqual(['failed', 'old-lb-1.eu-central-1.elb.amazonaws.com', 'old-lb']);
    const tags = await x.elb.send(new DescribeTagsCommand({ ResourceArns: [tgArn] }));
    expect(tagsOf(tags.TagDescriptions?.[0]?.Tags)).toMatchObject({ 'kubernetes:application': 'kube-ingress-aws-controller', 'aws:cloudformation:logical-id': 'TG' });
    expect((await x.cfn.send(new GetTemplateCommand({ StackName: 'old' }))).TemplateBody).toBe(JSON.stringify(JSON.parse(albTemplate())));
  });

  it('derives outputs from the template when none are given, and resources from outputs when no template is', async () => {
    const x = await start(baseWorld({
      stacks: [
        { name: 'templated', template: albTemplate(), parameters: Object.fromEntries(stackParameters().map((p) => [p.ParameterKey!, p.ParameterValue!])) },
        { name: 'bare', tags: { owner: 'me' }, parameters: { TargetGroupTargetPortParameter: '9998' }, outputs: { LoadBalancerARN: lbArn, TargetGroupARN: tgArn } },
      ],
    }));
    const templated = outputsOf(await describe1(x.cfn, 'templated'));
    expect(templated.LoadBalancerARN).toContain(':loadbalancer/app/');
    expect(x.sim.world.loadBalancers.get(templated.LoadBalancerARN!)?.state).toBe('active');
    const tgs = await x.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    expect(tgs.TargetGroups?.map((t) => [t.TargetGroupArn, t.Port])).toEqual([[tgArn, 9998]]);
    const tags = await x.elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn] }));
    expect(tagsOf(tags.TagDescriptions?.[0]?.Tags)).toMatchObject({ owner: 'me' });
  });

  it('carries an in-progress stack on to its end status', async () => {
    const params = Object.fromEntries(stackParameters().map((p) => [p.ParameterKey!, p.ParameterValue!]));
    const x = await start(baseWorld({
      stacks: [
        { name: 'busy', status: 'UPDATE_IN_PROGRESS', outputs: { LoadBalancerARN: lbArn } },
        { name: 'new', status: 'CREATE_IN_PROGRESS', template: albTemplate(), parameters: params },
      ],
    }));
    expect((await describe1(x.cfn, 'busy')).StackStatus).toBe('UPDATE_IN_PROGRESS');
    expect((await describe1(x.cfn, 'new')).Outputs).toBeUndefined();
    expect([...x.sim.world.loadBalancers.values()].find((lb) => lb.stackName === 'new')?.state).toBe('provisioning');
    x.clock.advance(60 * SECOND);
    expect((await describe1(x.cfn, 'busy')).StackStatus).toBe('UPDATE_COMPLETE');
    const created = await describe1(x.cfn, 'new');
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    expect(x.sim.world.loadBalancers.get(outputsOf(created).LoadBalancerARN!)?.state).toBe('active');
  });
});

describe('scenario helpers', () => {
  it('setLoadBalancerState and deleteStackOutOfBand change the world behind the controller', async () => {
    const x = await start();
    await createAlb(x);
    x.clock.advance(60 * SECOND);
    const { LoadBalancerARN } = outputsOf(await describe1(x.cfn, 'stack-a'));
    setLoadBalancerState(x.sim.world, LoadBalancerARN!, 'failed');
    const lb = (await x.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [LoadBalancerARN!] }))).LoadBalancers![0]!;
    expect(lb.State?.Code).toBe('failed');
    expect(() => setLoadBalancerState(x.sim.world, 'arn:nope', 'active')).toThrow(/no load balancer/);

    x.clock.advance(5 * SECOND);
    expect(deleteStackOutOfBand(x.sim.world, 'stack-a')).toBe(true);
    expect(deleteStackOutOfBand(x.sim.world, 'stack-a')).toBe(false);
    expect((await failure(x.cfn.send(new DescribeStacksCommand({ StackName: 'stack-a' })))).name).toBe('ValidationError');
    expect(x.sim.world.loadBalancers.size).toBe(0);
    expect([...x.sim.world.stacks.values()][0]?.deletedAt).toBe(START + 65 * SECOND);
  });

  it('cancels the pending status change of a stack deleted out of band', async () => {
    const x = await start();
    const { StackId } = await createAlb(x);
    deleteStackOutOfBand(x.sim.world, 'stack-a');
    x.clock.advance(60 * SECOND);
    expect((await describe1(x.cfn, StackId!)).StackStatus).toBe('DELETE_COMPLETE');
  });
});

describe('call log', () => {
  it('records mutating calls with the API member types', async () => {
    const x = await start();
    await createAlb(x);
    await x.cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'stack-a', EnableTerminationProtection: true }));
    await x.cfn.send(new DescribeStacksCommand({}));
    const mutating = x.sim.server.calls.filter((c) => c.mutating);
    expect(mutating.map((c) => c.action)).toEqual(['CreateStack', 'UpdateTerminationProtection']);
    expect(mutating[0]!.input).toEqual({
      StackName: 'stack-a', TemplateBody: albTemplate(),
      Parameters: stackParameters(), Tags: OWNER_TAGS, OnFailure: 'DELETE', TimeoutInMinutes: 10, EnableTerminationProtection: false,
    });
    expect(Object.keys(mutating[0]!.input as object)).toEqual(['StackName', 'TemplateBody', 'Parameters', 'Tags', 'OnFailure', 'TimeoutInMinutes', 'EnableTerminationProtection']);
    expect(mutating[1]!.input).toEqual({ StackName: 'stack-a', EnableTerminationProtection: true });
    expect(mutating[0]!.at).toBe(START);
  });
});

describe('throttling', () => {
  it('the SDK retries a throttled call and succeeds', async () => {
    const x = await start(baseWorld({ behaviour: { throttle: { 'cloudformation:DescribeStacks': 1 } } }));
    // Throttle exactly the first two attempts, then let calls through.
    let throttled = 0;
    x.sim.server.onCall((c) => {
      if (c.error === 'Throttling' && ++throttled === 2) x.sim.world.behaviour.throttle = {};
    });
    const cfn = new CloudFormationClient(x.config({ retryStrategy: new ConfiguredRetryStrategy(3, () => 5) }));
    const out = await cfn.send(new DescribeStacksCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    expect(x.sim.server.calls.map((c) => [c.attempt, c.error])).toEqual([[1, 'Throttling'], [2, 'Throttling'], [3, undefined]]);
    cfn.destroy();
  });

  it('gives up with the Throttling error once retries are exhausted', async () => {
    const x = await start(baseWorld({ behaviour: { throttle: { 'cloudformation:DescribeStacks': 1 } } }));
    const cfn = new CloudFormationClient(x.config({ retryStrategy: new ConfiguredRetryStrategy(3, () => 5) }));
    const err = await failure(cfn.send(new DescribeStacksCommand({})));
    expect(err.name).toBe('Throttling');
    expect(err.$metadata.attempts).toBe(3);
    expect(x.sim.server.calls).toHaveLength(3);
    cfn.destroy();
  });
});
