import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DeregisterTargetsCommand, DescribeListenerCertificatesCommand, DescribeListenersCommand, DescribeLoadBalancersCommand,
  DescribeTagsCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand, paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albTemplate, baseWorld, failure, SECOND, stackParameters, START, startHarness, type Harness } from './helpers.ts';

const arn = (kind: string, n: number) =>
  `arn:aws:elasticloadbalancing:eu-central-1:123456789012:${kind}/${kind === 'loadbalancer' ? 'app/' : ''}x-${n}/${String(n).padStart(16, '0')}`;
const extraLbs = Array.from({ length: 4 }, (_, n) => ({ arn: arn('loadbalancer', n), state: n === 0 ? 'provisioning' : 'active' }));
const ipTg = arn('targetgroup', 100);

const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value!]));

let h: Harness;
let lbArn: string;
let tgArn: string;

beforeAll(async () => {
  h = await startHarness(baseWorld({
    loadBalancers: extraLbs,
    targetGroups: [
      ...Array.from({ length: 3 }, (_, n) => ({ arn: arn('targetgroup', n), tags: { n: String(n) } })),
      { arn: ipTg, targetType: 'ip', port: 8080, targets: ['10.0.0.5'] },
    ],
  }));
  await h.cfn.send(new CreateStackCommand({
    StackName: 'ingress', TemplateBody: albTemplate(), Parameters: stackParameters(),
    Tags: [{ Key: 'kubernetes:application', Value: 'kube-ingress-aws-controller' }, { Key: 'kubernetes.io/cluster/kube-1', Value: 'owned' }],
  }));
  h.clock.advance(60 * SECOND);
  const outputs = Object.fromEntries(((await h.cfn.send(new DescribeStacksCommand({ StackName: 'ingress' }))).Stacks![0]!.Outputs ?? [])
    .map((o) => [o.OutputKey!, o.OutputValue!]));
  lbArn = outputs.LoadBalancerARN!;
  tgArn = outputs.TargetGroupARN!;
});

afterAll(async () => {
  await h.close();
});

describe('DescribeLoadBalancers', () => {
  it('describes a stack load balancer with every field the controller reads', async () => {
    const out = await h.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }));
    const lb = out.LoadBalancers![0]!;
    expect(lb).toMatchObject({
      LoadBalancerArn: lbArn, Scheme: 'internet-facing', VpcId: 'vpc-1', State: { Code: 'active' }, Type: 'application',
      IpAddressType: 'ipv4', SecurityGroups: ['sg-1'], CanonicalHostedZoneId: 'Z215JYRZR1TBD5', CreatedTime: new Date(START),
      AvailabilityZones: [{ ZoneName: 'eu-central-1a', SubnetId: 'subnet-a' }, { ZoneName: 'eu-central-1b', SubnetId: 'subnet-b' }],
    });
    expect(lb.LoadBalancerName).toMatch(/^ingress-LB-[0-9A-Z]+$/);
    expect(lb.LoadBalancerName!.length).toBeLessThanOrEqual(32);
    expect(lb.DNSName).toMatch(new RegExp(`^${lb.LoadBalancerName}-\\d+\\.eu-central-1\\.elb\\.amazonaws\\.com$`));
    expect(out.NextMarker).toBeUndefined();
  });

  it('pages through all load balancers with Marker', async () => {
    const pages = [];
    for await (const p of paginateDescribeLoadBalancers({ client: h.elb }, { PageSize: 2 })) pages.push(p.LoadBalancers ?? []);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((lb) => lb.LoadBalancerArn)).toEqual([...extraLbs.map((l) => l.arn), lbArn]);
    expect(pages.flat()[0]?.State?.Code).toBe('provisioning');
  });

  it('answers LoadBalancerNotFound for an unknown ARN and ValidationError for more than 20', async () => {
    const missing = await failure(h.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn, arn('loadbalancer', 99)] })));
    expect(missing.name).toBe('LoadBalancerNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const tooMany = await failure(h.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: Array.from({ length: 21 }, (_, n) => arn('loadbalancer', n)) })));
    expect(tooMany.name).toBe('ValidationError');
    expect(tooMany.message).toMatch(/length less than or equal to 20/);
  });

  it('finds load balancers by name', async () => {
    const out = await h.elb.send(new DescribeLoadBalancersCommand({ Names: ['x-1'] }));
    expect(out.LoadBalancers?.map((l) => l.LoadBalancerArn)).toEqual([arn('loadbalancer', 1)]);
    expect((await failure(h.elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })))).name).toBe('LoadBalancerNotFoundException');
  });
});

describe('DescribeTargetGroups', () => {
  it('describes the stack target group by load balancer ARN, with template properties', async () => {
    const out = await h.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    expect(out.TargetGroups).toHaveLength(1);
    expect(out.TargetGroups![0]).toMatchObject({
      TargetGroupArn: tgArn, Protocol: 'HTTP', Port: 9999, VpcId: 'vpc-1', TargetType: 'instance', LoadBalancerArns: [lbArn],
      HealthCheckPath: '/kube-system/healthz', HealthCheckPort: '9999', HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 5,
    });
  });

  it('pages through every target group, and finds them by ARN', async () => {
    const pages = [];
    for await (const p of paginateDescribeTargetGroups({ client: h.elb }, { PageSize: 3 })) pages.push(p.TargetGroups ?? []);
    expect(pages.map((p) => p.length)).toEqual([3, 2]);
    const byArn = await h.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [ipTg] }));
    expect(byArn.TargetGroups?.[0]).toMatchObject({ TargetType: 'ip', Port: 8080 });
  });

  it('answers TargetGroupNotFound and LoadBalancerNotFound', async () => {
    expect((await failure(h.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn('targetgroup', 77)] })))).name).toBe('TargetGroupNotFoundException');
    expect((await failure(h.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: arn('loadbalancer', 77) })))).name).toBe('LoadBalancerNotFoundException');
  });
});

describe('DescribeTags', () => {
  it('shows stack tags propagated to the load balancer (plus its own) and to the target group', async () => {
    const out = await h.elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn, arn('targetgroup', 1), arn('loadbalancer', 2)] }));
    const [lb, tg, plain, untagged] = out.TagDescriptions!;
    expect(lb?.ResourceArn).toBe(lbArn);
    expect(tagsOf(lb?.Tags)).toEqual({
      'kubernetes:application': 'kube-ingress-aws-controller', 'kubernetes.io/cluster/kube-1': 'owned', StackName: 'ingress',
      'aws:cloudformation:stack-name': 'ingress', 'aws:cloudformation:stack-id': expect.stringContaining(':stack/ingress/'),
      'aws:cloudformation:logical-id': 'LB',
    });
    expect(tagsOf(tg?.Tags)).toMatchObject({ 'kubernetes:application': 'kube-ingress-aws-controller', 'kubernetes.io/cluster/kube-1': 'owned' });
    expect(tagsOf(tg?.Tags)).not.toHaveProperty('StackName');
    expect(tagsOf(plain?.Tags)).toEqual({ n: '1' });
    expect(untagged?.Tags ?? []).toEqual([]);
  });

  it('rejects unknown resources and more than 20 ARNs', async () => {
    expect((await failure(h.elb.send(new DescribeTagsCommand({ ResourceArns: [arn('loadbalancer', 50)] })))).name).toBe('LoadBalancerNotFoundException');
    expect((await failure(h.elb.send(new DescribeTagsCommand({ ResourceArns: [arn('targetgroup', 50)] })))).name).toBe('TargetGroupNotFoundException');
    const tooMany = await failure(h.elb.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => lbArn) })));
    expect(tooMany.name).toBe('ValidationError');
  });
});

describe('targets', () => {
  it('registers instances, reports their health and deregisters them', async () => {
    await h.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-1' }, { Id: 'i-2', Port: 9999 }, { Id: 'i-3' }] }));
    // Registering again is idempotent.
    await h.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-1', Port: 9999 }] }));
    let health = await h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.Target?.Port, d.HealthCheckPort, d.TargetHealth?.State, d.TargetHealth?.Reason])).toEqual([
      ['i-1', 9999, '9999', 'healthy', undefined],
      ['i-2', 9999, '9999', 'healthy', undefined],
      ['i-3', 9999, '9999', 'unused', 'Target.InvalidState'],
    ]);
    health = await h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-1', Port: 1234 }] }));
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: 'unused', Reason: 'Target.NotRegistered' });

    await h.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-2' }, { Id: 'i-3' }] }));
    health = await h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(health.TargetHealthDescriptions?.map((d) => d.Target?.Id)).toEqual(['i-1']);

    const calls = h.sim.server.calls.filter((c) => c.service === 'elasticloadbalancing' && c.mutating);
    expect(calls[0]?.input).toEqual({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-1' }, { Id: 'i-2', Port: 9999 }, { Id: 'i-3' }] });
    expect(calls.map((c) => c.action)).toEqual(['RegisterTargets', 'RegisterTargets', 'DeregisterTargets']);
  });

  it('rejects unknown instances with InvalidTarget and unknown target groups with TargetGroupNotFound', async () => {
    const bad = await failure(h.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-nope' }] })));
    expect(bad.name).toBe('InvalidTargetException');
    expect(bad.message).toBe("The following targets are not valid instances: 'i-nope'");
    const noTg = await failure(h.elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn('targetgroup', 42), Targets: [{ Id: 'i-1' }] })));
    expect(noTg.name).toBe('TargetGroupNotFoundException');
    expect((await failure(h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn('targetgroup', 42) })))).name).toBe('TargetGroupNotFoundException');
  });

  it('registers IP targets in an ip target group', async () => {
    await h.elb.send(new RegisterTargetsCommand({ TargetGroupArn: ipTg, Targets: [{ Id: '10.0.0.6', Port: 8080 }] }));
    const health = await h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ipTg }));
    expect(health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.Target?.Port, d.TargetHealth?.State])).toEqual([
      ['10.0.0.5', 8080, 'healthy'], ['10.0.0.6', 8080, 'healthy'],
    ]);
    const bad = await failure(h.elb.send(new RegisterTargetsCommand({ TargetGroupArn: ipTg, Targets: [{ Id: 'i-1' }] })));
    expect(bad.name).toBe('InvalidTargetException');
  });
});

describe('DescribeListeners', () => {
  it('lists the stack listeners with their default actions and default certificate', async () => {
    const out = await h.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    const byPort = Object.fromEntries((out.Listeners ?? []).map((l) => [l.Port!, l]));
    expect(Object.keys(byPort)).toEqual(['80', '443']);
    expect(byPort[80]).toMatchObject({ Protocol: 'HTTP', LoadBalancerArn: lbArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] });
    expect(byPort[80]?.Certificates).toBeUndefined();
    expect(byPort[443]).toMatchObject({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-2016-08', Certificates: [{ CertificateArn: 'DUMMY' }] });
    expect(byPort[443]?.ListenerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:eu-central-1:123456789012:listener/${lbArn.split(':loadbalancer/')[1]}/[0-9a-f]{16}$`));

    const certs = await h.elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: byPort[443]!.ListenerArn }));
    expect(certs.Certificates).toEqual([{ CertificateArn: 'DUMMY', IsDefault: true }]);

    const one = await h.elb.send(new DescribeListenersCommand({ ListenerArns: [byPort[80]!.ListenerArn!] }));
    expect(one.Listeners?.map((l) => l.Port)).toEqual([80]);
  });

  it('answers ListenerNotFound, LoadBalancerNotFound, and ValidationError without a selector', async () => {
    expect((await failure(h.elb.send(new DescribeListenersCommand({ ListenerArns: [`${lbArn.replace(':loadbalancer/', ':listener/')}/0`] })))).name).toBe('ListenerNotFoundException');
    expect((await failure(h.elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn('loadbalancer', 66) })))).name).toBe('LoadBalancerNotFoundException');
    expect((await failure(h.elb.send(new DescribeListenersCommand({})))).name).toBe('ValidationError');
  });
});
