// Simulated Elastic Load Balancing v2 (awsQuery): the describe calls that show what the simulated
// CloudFormation created, plus target registration for the controller's AWS CNI (ip target) mode.
// Error codes are the wire codes (LoadBalancerNotFound, ...); the SDK names them ...Exception.
import { isIPv4 } from 'node:net';
import { AwsError, list, paginate, required } from './protocol.ts';
import { canonicalHostedZoneId } from './resources.ts';
import type { ServiceDefinition, SimContext } from './server.ts';
import type { SimListener, SimLoadBalancer, SimTarget, SimTargetGroup, Tags, World } from './world.ts';

/** ELBv2's default (and maximum) PageSize. */
const MAX_PAGE_SIZE = 400;
const MAX_ARNS = 20;

const validation = (message: string) => new AwsError('ValidationError', message);
const lbNotFound = () => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
const tgNotFound = () => new AwsError('TargetGroupNotFound', 'One or more target groups not found');
const listenerNotFound = () => new AwsError('ListenerNotFound', 'One or more listeners not found');

const strings = (v: unknown) => list<unknown>(v).map(String);
const tagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function maxMembers(values: string[], member: string): void {
  if (values.length > MAX_ARNS) {
    throw validation(`1 validation error detected: Value '[${values.join(', ')}]' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ARNS}`);
  }
}

function pageSize(input: any): number {
  if (input.PageSize === undefined) return MAX_PAGE_SIZE;
  const n = Number(input.PageSize);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw validation(`1 validation error detected: Value '${input.PageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE_SIZE}`);
  }
  return n;
}

/** Exactly one (or, with `optional`, at most one) of the given members may be sent. */
function oneOf(input: any, members: string[], optional: boolean): void {
  const sent = members.filter((m) => input[m] !== undefined && list(input[m]).length > 0);
  if (sent.length > 1) throw validation(`${sent.join(' and ')} cannot be specified at the same time`);
  if (!optional && sent.length === 0) throw validation(`You must specify one of: ${members.join(', ')}`);
}

// ---- load balancers -------------------------------------------------------------------------------------

function describeLoadBalancer(world: World, lb: SimLoadBalancer): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: canonicalHostedZoneId(world.region, lb.type),
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.subnets.length > 0
      ? lb.subnets.map((id) => ({ ZoneName: world.subnets.get(id)?.availabilityZone ?? `${world.region}a`, SubnetId: id }))
      : undefined,
    SecurityGroups: lb.securityGroups.length > 0 ? lb.securityGroups : undefined,
    IpAddressType: lb.ipAddressType,
  };
}

/** By ARN (every one must exist), else by name (every one must exist), else everything; as ELBv2 answers. */
function selectByArnsOrNames<T extends { readonly name: string }>(
  all: ReadonlyMap<string, T>, arns: readonly string[], names: readonly string[],
  arnNotFound: () => Error, nameNotFoundCode: string, plural: string,
): T[] {
  if (arns.length > 0) {
    if (arns.some((a) => !all.has(a))) throw arnNotFound();
    return [...new Set(arns)].map((a) => all.get(a)!);
  }
  const values = [...all.values()];
  if (names.length === 0) return values;
  const missing = names.filter((n) => !values.some((v) => v.name === n));
  if (missing.length > 0) throw new AwsError(nameNotFoundCode, `${plural} '[${missing.join(', ')}]' not found`);
  return values.filter((v) => names.includes(v.name));
}

function describeLoadBalancers(input: any, ctx: SimContext): unknown {
  const { world } = ctx;
  oneOf(input, ['LoadBalancerArns', 'Names'], true);
  const arns = strings(input.LoadBalancerArns);
  const names = strings(input.Names);
  maxMembers(arns, 'loadBalancerArns');
  const found = selectByArnsOrNames(world.loadBalancers, arns, names, lbNotFound, 'LoadBalancerNotFound', 'Load balancers');
  const { page, next } = paginate(found, input.Marker, pageSize(input));
  return { LoadBalancers: page.map((lb) => describeLoadBalancer(world, lb)), NextMarker: next };
}

// ---- target groups --------------------------------------------------------------------------------------

function describeTargetGroup(tg: SimTargetGroup): Record<string, unknown> {
  const hc = tg.healthCheck ?? {};
  const layer4 = ['TCP', 'UDP', 'TLS', 'TCP_UDP'].includes(tg.protocol);
  const hcProtocol = hc.protocol ?? (layer4 ? 'TCP' : tg.protocol || 'HTTP');
  const httpCheck = hcProtocol === 'HTTP' || hcProtocol === 'HTTPS';
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol || undefined,
    Port: tg.port || undefined,
    VpcId: tg.targetType === 'lambda' ? undefined : tg.vpcId,
    HealthCheckProtocol: hcProtocol,
    HealthCheckPort: hc.port ?? 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: hc.intervalSeconds ?? 30,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds ?? (httpCheck ? 5 : 10),
    HealthyThresholdCount: hc.healthyThreshold ?? 5,
    UnhealthyThresholdCount: hc.unhealthyThreshold ?? 2,
    HealthCheckPath: httpCheck ? (hc.path ?? '/') : undefined,
    Matcher: httpCheck ? { HttpCode: '200' } : undefined,
    LoadBalancerArns: tg.loadBalancerArns.length > 0 ? tg.loadBalancerArns : undefined,
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocol === 'HTTP' || tg.protocol === 'HTTPS' ? 'HTTP1' : undefined,
    IpAddressType: 'ipv4',
  };
}

function describeTargetGroups(input: any, ctx: SimContext): unknown {
  const { world } = ctx;
  oneOf(input, ['LoadBalancerArn', 'TargetGroupArns', 'Names'], true);
  const arns = strings(input.TargetGroupArns);
  const names = strings(input.Names);
  let found: SimTargetGroup[];
  if (input.LoadBalancerArn !== undefined) {
    const lbArn = String(input.LoadBalancerArn);
    if (!world.loadBalancers.has(lbArn)) throw lbNotFound();
    found = [...world.targetGroups.values()].filter((tg) => tg.loadBalancerArns.includes(lbArn));
  } else {
    found = selectByArnsOrNames(world.targetGroups, arns, names, tgNotFound, 'TargetGroupNotFound', 'Target groups');
  }
  const { page, next } = paginate(found, input.Marker, pageSize(input));
  return { TargetGroups: page.map(describeTargetGroup), NextMarker: next };
}

// ---- tags -----------------------------------------------------------------------------------------------

function describeTags(input: any, ctx: SimContext): unknown {
  const { world } = ctx;
  const arns = strings(input.ResourceArns);
  if (arns.length === 0) required(input, 'ResourceArns');
  maxMembers(arns, 'resourceArns');
  return {
    TagDescriptions: arns.map((arn) => {
      let tags: Tags | undefined;
      if (arn.includes(':targetgroup/')) {
        tags = world.targetGroups.get(arn)?.tags;
        if (!tags) throw tgNotFound();
      } else if (arn.includes(':listener/')) {
        const l = world.listeners.get(arn);
        if (!l) throw listenerNotFound();
        tags = l.tags ?? {};
      } else {
        tags = world.loadBalancers.get(arn)?.tags ?? world.targetGroups.get(arn)?.tags;
        if (!tags) throw lbNotFound();
      }
      return { ResourceArn: arn, Tags: tagList(tags) };
    }),
  };
}

// ---- targets --------------------------------------------------------------------------------------------

interface TargetInput { Id?: string; Port?: string; AvailabilityZone?: string }

function targetGroupOf(world: World, input: any): SimTargetGroup {
  const arn = required(input, 'TargetGroupArn');
  const tg = world.targetGroups.get(arn);
  if (!tg) throw tgNotFound();
  return tg;
}

const effectivePort = (tg: SimTargetGroup, t: { port?: number }) => t.port ?? tg.port;

function requestedTargets(tg: SimTargetGroup, input: any): SimTarget[] {
  const targets = list<TargetInput>(input.Targets);
  if (targets.length === 0) required(input, 'Targets');
  return targets.map((t) => ({ id: String(t.Id ?? ''), port: t.Port === undefined ? tg.port : Number(t.Port) }));
}

function checkTargets(world: World, tg: SimTargetGroup, targets: SimTarget[]): void {
  if (tg.targetType === 'ip') {
    const bad = targets.filter((t) => !isIPv4(t.id)).map((t) => t.id);
    if (bad.length > 0) throw new AwsError('InvalidTarget', `The IP address '${bad[0]}' is not a valid IPv4 address`);
    return;
  }
  if (tg.targetType !== 'instance') return;
  const unknown = targets.filter((t) => !world.instances.has(t.id)).map((t) => `'${t.id}'`);
  if (unknown.length > 0) throw new AwsError('InvalidTarget', `The following targets are not valid instances: ${unknown.join(', ')}`);
  const gone = targets.filter((t) => ['terminated', 'shutting-down'].includes(world.instances.get(t.id)!.state)).map((t) => `'${t.id}'`);
  if (gone.length > 0) throw new AwsError('InvalidTarget', `The following targets are not in a running state and cannot be registered: ${gone.join(', ')}`);
}

function registerTargets(input: any, ctx: SimContext): unknown {
  const tg = targetGroupOf(ctx.world, input);
  const targets = requestedTargets(tg, input);
  checkTargets(ctx.world, tg, targets);
  for (const t of targets) {
    if (!tg.targets.some((r) => r.id === t.id && effectivePort(tg, r) === t.port)) tg.targets.push(t);
  }
  return {};
}

function deregisterTargets(input: any, ctx: SimContext): unknown {
  const tg = targetGroupOf(ctx.world, input);
  const targets = requestedTargets(tg, input);
  // Deregistering a target that is not registered is accepted silently.
  tg.targets = tg.targets.filter((r) => !targets.some((t) => t.id === r.id && t.port === effectivePort(tg, r)));
  return {};
}

function targetHealth(world: World, tg: SimTargetGroup, t: SimTarget): Record<string, string> {
  const port = effectivePort(tg, t);
  if (!tg.targets.some((r) => r.id === t.id && effectivePort(tg, r) === port)) {
    return { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' };
  }
  if (tg.targetType === 'instance') {
    const instance = world.instances.get(t.id);
    if (!instance || instance.state !== 'running') {
      return { State: 'unused', Reason: 'Target.InvalidState', Description: `Target is in the ${instance?.state ?? 'terminated'} state` };
    }
  }
  // Running instances and IPs pass their health checks: the simulation does not model application health.
  return { State: 'healthy' };
}

function describeTargetHealth(input: any, ctx: SimContext): unknown {
  const { world } = ctx;
  const tg = targetGroupOf(world, input);
  const asked = list<TargetInput>(input.Targets);
  const targets: SimTarget[] = asked.length > 0
    ? asked.map((t) => ({ id: String(t.Id ?? ''), ...(t.Port !== undefined ? { port: Number(t.Port) } : {}) }))
    : tg.targets;
  const hcPort = tg.healthCheck?.port;
  return {
    TargetHealthDescriptions: targets.map((t) => {
      const port = effectivePort(tg, t);
      return {
        Target: { Id: t.id, Port: port || undefined },
        HealthCheckPort: !hcPort || hcPort === 'traffic-port' ? String(port) : hcPort,
        TargetHealth: targetHealth(world, tg, t),
      };
    }),
  };
}

// ---- listeners ------------------------------------------------------------------------------------------

function describeListener(l: SimListener): Record<string, unknown> {
  // DescribeListeners shows only the default certificate; the rest come from DescribeListenerCertificates.
  const first = l.certificates[0];
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol,
    Certificates: first ? [{ CertificateArn: first }] : undefined,
    SslPolicy: l.sslPolicy,
    DefaultActions: l.defaultActions && l.defaultActions.length > 0 ? l.defaultActions : undefined,
  };
}

function describeListeners(input: any, ctx: SimContext): unknown {
  const { world } = ctx;
  oneOf(input, ['LoadBalancerArn', 'ListenerArns'], false);
  let found: SimListener[];
  if (input.LoadBalancerArn !== undefined) {
    const lbArn = String(input.LoadBalancerArn);
    if (!world.loadBalancers.has(lbArn)) throw lbNotFound();
    found = [...world.listeners.values()].filter((l) => l.loadBalancerArn === lbArn);
  } else {
    const arns = strings(input.ListenerArns);
    if (arns.some((a) => !world.listeners.has(a))) throw listenerNotFound();
    found = [...new Set(arns)].map((a) => world.listeners.get(a)!);
  }
  const { page, next } = paginate(found, input.Marker, pageSize(input));
  return { Listeners: page.map(describeListener), NextMarker: next };
}

function describeListenerCertificates(input: any, ctx: SimContext): unknown {
  const listener = ctx.world.listeners.get(required(input, 'ListenerArn'));
  if (!listener) throw listenerNotFound();
  const all = listener.certificates.map((arn, i) => ({ CertificateArn: arn, IsDefault: i === 0 }));
  const { page, next } = paginate(all, input.Marker, pageSize(input));
  return { Certificates: page, NextMarker: next };
}

// ---- call log -------------------------------------------------------------------------------------------

function normalize(action: string, input: any): unknown {
  if (action !== 'RegisterTargets' && action !== 'DeregisterTargets') return input;
  return {
    TargetGroupArn: input.TargetGroupArn,
    Targets: list<TargetInput>(input.Targets).map((t) => ({
      Id: t.Id,
      ...(t.Port !== undefined ? { Port: Number(t.Port) } : {}),
      ...(t.AvailabilityZone !== undefined ? { AvailabilityZone: t.AvailabilityZone } : {}),
    })),
  };
}

export const elbv2Service: ServiceDefinition = {
  name: 'elasticloadbalancing',
  protocol: 'query',
  handlers: {
    DescribeLoadBalancers: describeLoadBalancers,
    DescribeTargetGroups: describeTargetGroups,
    DescribeTags: describeTags,
    DescribeTargetHealth: describeTargetHealth,
    RegisterTargets: registerTargets,
    DeregisterTargets: deregisterTargets,
    DescribeListeners: describeListeners,
    DescribeListenerCertificates: describeListenerCertificates,
  },
  mutating: new Set(['RegisterTargets', 'DeregisterTargets']),
  normalize,
};
