// The part of CloudFormation the controller depends on: turning a template plus parameters into the ELBv2
// load balancers, target groups and listeners that ELBv2 describe calls then show, and evaluating Outputs.
// Names, ARNs and DNS names are derived from a hash of the stack id, logical id and the world's sequence, so
// a scenario gives the same identifiers on every run, and a replaced resource gets a new identity.
import { createHash } from 'node:crypto';
import { AwsError, list } from './protocol.ts';
import {
  nextId, type SimHealthCheck, type SimListener, type SimLoadBalancer, type SimStack, type SimStackResource,
  type SimTargetGroup, type Tags, type World,
} from './world.ts';

export const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
export const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
export const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
export const LISTENER_CERTIFICATE = 'AWS::ElasticLoadBalancingV2::ListenerCertificate';

export interface TemplateParameter { Type?: string; Default?: unknown; AllowedValues?: unknown[]; Description?: string }
export interface TemplateResource { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] }
export interface TemplateOutput { Value?: unknown; Description?: string }
export interface Template {
  Description?: string;
  Parameters?: Record<string, TemplateParameter>;
  Resources?: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

export interface ParameterInput { ParameterKey?: string; ParameterValue?: string; UsePreviousValue?: string | boolean }

const PSEUDO_PARAMETERS = new Set([
  'AWS::StackName', 'AWS::StackId', 'AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix',
  'AWS::NoValue', 'AWS::NotificationARNs',
]);

/** GetAtt attributes per type; types not listed accept any attribute (answered with the physical id). */
const ATTRIBUTES: Record<string, string[]> = {
  [LOAD_BALANCER]: ['DNSName', 'LoadBalancerFullName', 'LoadBalancerName', 'CanonicalHostedZoneID', 'LoadBalancerArn', 'SecurityGroups'],
  [TARGET_GROUP]: ['TargetGroupArn', 'TargetGroupFullName', 'TargetGroupName', 'LoadBalancerArns'],
  [LISTENER]: ['ListenerArn'],
};

/** Hosted zone ids ELBv2 reports per region (Route 53 alias targets); unknown regions get a placeholder. */
const HOSTED_ZONES: Record<string, { application: string; network: string }> = {
  'us-east-1': { application: 'Z35SXDOTRQ7X7K', network: 'Z26RNL4JYFTOTI' },
  'us-east-2': { application: 'Z3AADJGX6KTTL2', network: 'ZLMOA37VPKANP' },
  'us-west-2': { application: 'Z1H1FL5HABSF5', network: 'Z18D5FSROUN65G' },
  'eu-west-1': { application: 'Z32O12XQLNTSW2', network: 'Z2IFOLAFXWLO4F' },
  'eu-central-1': { application: 'Z215JYRZR1TBD5', network: 'Z3F0SRJ5LGBH90' },
};

export function canonicalHostedZoneId(region: string, type: string): string {
  const zones = HOSTED_ZONES[region];
  if (!zones) return type === 'network' ? 'ZSIMULATEDNLB' : 'ZSIMULATEDALB';
  return type === 'network' ? zones.network : zones.application;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const validation = (message: string) => new AwsError('ValidationError', message);
const formatError = (message: string) => validation(`Template format error: ${message}`);

// ---- parsing and validation -----------------------------------------------------------------------------

/** Parse a JSON template body, rejecting what CloudFormation rejects before touching any resource. */
export function parseTemplate(body: string): Template {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw formatError('JSON not well-formed.');
  }
  if (!isObject(parsed)) throw formatError('JSON not well-formed.');
  for (const section of ['Parameters', 'Resources', 'Outputs']) {
    if (parsed[section] !== undefined && !isObject(parsed[section])) throw formatError(`${section} must be an object.`);
  }
  const resources = (parsed.Resources ?? {}) as Record<string, unknown>;
  if (Object.keys(resources).length === 0) throw formatError('At least one Resources member must be defined.');
  for (const [id, r] of Object.entries(resources)) {
    if (!isObject(r) || typeof r.Type !== 'string') throw formatError(`[/Resources/${id}] Every Resources object must contain a Type member.`);
  }
  return parsed as Template;
}

/** Parse a template, or an empty one when a pre-existing stack's body cannot be read. */
export function tryParseTemplate(body: string): Template | undefined {
  try {
    return parseTemplate(body);
  } catch {
    return undefined;
  }
}

interface References { refs: Set<string>; getAtts: [string, string][] }

function collectReferences(value: unknown, out: References): void {
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, out);
    return;
  }
  if (!isObject(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') {
    out.refs.add(String(value.Ref));
    return;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const [id, attr] = getAttArgs(value['Fn::GetAtt']);
    out.getAtts.push([id, attr]);
    return;
  }
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = value['Fn::Sub'];
    const [text, vars] = Array.isArray(arg) ? [String(arg[0]), isObject(arg[1]) ? arg[1] : {}] : [String(arg), {}];
    for (const name of subVariables(text)) {
      if (name in vars) continue;
      const dot = name.indexOf('.');
      if (dot > 0) out.getAtts.push([name.slice(0, dot), name.slice(dot + 1)]);
      else out.refs.add(name);
    }
    collectReferences(vars, out);
    return;
  }
  for (const v of Object.values(value)) collectReferences(v, out);
}

function getAttArgs(arg: unknown): [string, string] {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return [arg.slice(0, dot), arg.slice(dot + 1)];
  }
  const a = list<unknown>(arg);
  return [String(a[0] ?? ''), String(a[1] ?? '')];
}

function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\$\{([^}]+)\}/g)) if (!m[1]!.startsWith('!')) names.push(m[1]!.trim());
  return names;
}

/**
 * Check every reference resolves and return the resources in creation order (dependencies first, otherwise
 * template order), as CloudFormation does before it starts an operation.
 */
export function validateTemplate(template: Template): string[] {
  const resources = template.Resources ?? {};
  const parameters = template.Parameters ?? {};
  const deps = new Map<string, Set<string>>();
  const unresolved = new Set<string>();
  const check = (refs: References, owner: string | undefined) => {
    for (const r of refs.refs) {
      if (r in resources) {
        if (owner) deps.get(owner)!.add(r);
      } else if (!(r in parameters) && !PSEUDO_PARAMETERS.has(r)) {
        unresolved.add(r);
      }
    }
    for (const [id, attr] of refs.getAtts) {
      const target = resources[id];
      if (!target) throw validation(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
      const allowed = ATTRIBUTES[target.Type];
      if (allowed && !allowed.includes(attr)) {
        throw validation(`Template error: resource ${id} does not support attribute type ${attr} in Fn::GetAtt`);
      }
      if (owner) deps.get(owner)!.add(id);
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    deps.set(id, new Set());
    const refs: References = { refs: new Set(), getAtts: [] };
    collectReferences(r.Properties ?? {}, refs);
    for (const d of list<string>(r.DependsOn)) refs.refs.add(String(d));
    check(refs, id);
  }
  for (const o of Object.values(template.Outputs ?? {})) {
    const refs: References = { refs: new Set(), getAtts: [] };
    collectReferences(o?.Value, refs);
    check(refs, undefined);
  }
  if (unresolved.size > 0) {
    throw formatError(`Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') throw validation(`Circular dependency between resources: [${path.slice(path.indexOf(id)).join(', ')}]`);
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(resources)) visit(id, []);
  return order;
}

// ---- parameters -----------------------------------------------------------------------------------------

const isListType = (type: string | undefined) => !!type && (type.startsWith('List<') || type === 'CommaDelimitedList');

/**
 * The full parameter set a stack ends up with: the values sent (or the previous ones for UsePreviousValue)
 * in the order sent, then the defaults of the rest in template order. Rejects what CloudFormation rejects.
 */
export function effectiveParameters(
  template: Template, given: ParameterInput[], previous: Record<string, string> = {},
): Record<string, string> {
  const declared = template.Parameters ?? {};
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const p of given) {
    const key = String(p.ParameterKey ?? '');
    if (!(key in declared)) {
      unknown.push(key);
      continue;
    }
    if (p.UsePreviousValue === true || p.UsePreviousValue === 'true') {
      if (!(key in previous)) throw validation(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      out[key] = previous[key]!;
    } else {
      out[key] = String(p.ParameterValue ?? '');
    }
  }
  if (unknown.length > 0) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const missing: string[] = [];
  for (const [key, decl] of Object.entries(declared)) {
    if (key in out) continue;
    if (decl?.Default === undefined) missing.push(key);
    else out[key] = Array.isArray(decl.Default) ? decl.Default.map(String).join(',') : String(decl.Default);
  }
  if (missing.length > 0) throw validation(`Parameters: [${missing.join(', ')}] must have values`);
  for (const [key, decl] of Object.entries(declared)) {
    const value = out[key]!;
    if (decl?.AllowedValues && !decl.AllowedValues.map(String).includes(value)) {
      throw validation(`Parameter '${key}' must be one of AllowedValues`);
    }
    if (decl?.Type === 'Number' && (value.trim() === '' || Number.isNaN(Number(value)))) {
      throw validation(`Parameter '${key}' must be a number.`);
    }
  }
  return out;
}

// ---- intrinsic functions --------------------------------------------------------------------------------

const NO_VALUE = Symbol('AWS::NoValue');

interface Created { type: string; id: string; attrs: Record<string, unknown> }

interface Scope {
  world: World;
  stack: SimStack;
  template: Template;
  created: Map<string, Created>;
}

function resolve(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope)).filter((v) => v !== NO_VALUE);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0]!;
    const arg = value[key];
    if (key === 'Ref') return ref(String(arg), scope);
    if (key === 'Fn::GetAtt') return getAtt(...getAttArgs(arg), scope);
    if (key === 'Fn::Join') {
      const [sep, items] = list<unknown>(arg);
      return list<unknown>(resolve(items, scope)).map(String).join(String(sep ?? ''));
    }
    if (key === 'Fn::Sub') return sub(arg, scope);
    if (key === 'Fn::Select') {
      const [index, items] = list<unknown>(arg);
      return list<unknown>(resolve(items, scope))[Number(resolve(index, scope))];
    }
    if (key === 'Fn::Split') {
      const [sep, text] = list<unknown>(arg);
      return String(resolve(text, scope)).split(String(sep));
    }
    if (key === 'Fn::Base64') return Buffer.from(String(resolve(arg, scope))).toString('base64');
    if (key === 'Fn::GetAZs') {
      const zones = [...new Set([...scope.world.subnets.values()].map((s) => s.availabilityZone))].sort();
      return zones.length > 0 ? zones : ['a', 'b', 'c'].map((z) => `${scope.world.region}${z}`);
    }
    if (key.startsWith('Fn::')) throw validation(`Template error: the simulated CloudFormation does not support ${key}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = resolve(v, scope);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

function ref(name: string, scope: Scope): unknown {
  const { stack, world } = scope;
  switch (name) {
    case 'AWS::StackName': return stack.name;
    case 'AWS::StackId': return stack.stackId;
    case 'AWS::Region': return world.region;
    case 'AWS::AccountId': return world.accountId;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::NoValue': return NO_VALUE;
    case 'AWS::NotificationARNs': return [];
  }
  const declared = scope.template.Parameters?.[name];
  if (declared) {
    const value = stack.parameters[name] ?? '';
    if (isListType(declared.Type)) return value === '' ? [] : value.split(',');
    return value;
  }
  const created = scope.created.get(name);
  if (!created) throw new AwsError('InternalFailure', `resource ${name} referenced before it was created`, 500);
  return created.id;
}

function getAtt(id: string, attr: string, scope: Scope): unknown {
  const created = scope.created.get(id);
  if (!created) throw new AwsError('InternalFailure', `resource ${id} referenced before it was created`, 500);
  return attr in created.attrs ? created.attrs[attr] : created.id;
}

function sub(arg: unknown, scope: Scope): string {
  const [text, vars] = Array.isArray(arg) ? [String(arg[0]), isObject(arg[1]) ? arg[1] : {}] : [String(arg), {}];
  return text.replace(/\$\{([^}]+)\}/g, (_m, raw: string) => {
    if (raw.startsWith('!')) return `\${${raw.slice(1)}}`;
    const name = raw.trim();
    if (name in vars) return String(resolve(vars[name], scope));
    const dot = name.indexOf('.');
    const v = dot > 0 ? getAtt(name.slice(0, dot), name.slice(dot + 1), scope) : ref(name, scope);
    return Array.isArray(v) ? v.join(',') : String(v);
  });
}

// ---- identities -----------------------------------------------------------------------------------------

const digest = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** CloudFormation-style generated name: a stack-name prefix, the logical id and a random-looking suffix. */
function generatedName(stackName: string, logicalId: string, seed: string): string {
  const suffix = BigInt(`0x${digest(seed)}`).toString(36).toUpperCase().slice(0, 13);
  const head = `${stackName.slice(0, 8).replace(/-+$/, '')}-${logicalId}`.slice(0, 32 - suffix.length - 1).replace(/-+$/, '');
  return `${head}-${suffix}`;
}

const lbSegment = (type: string) => (type === 'network' ? 'net' : type === 'gateway' ? 'gwy' : 'app');

function dnsNameFor(world: World, name: string, type: string, scheme: string, hex: string): string {
  if (type === 'network') return `${name}-${hex.slice(0, 16)}.elb.${world.region}.amazonaws.com`;
  const digits = String(1_000_000_000 + (parseInt(hex.slice(0, 8), 16) % 9_000_000_000));
  return `${scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${world.region}.elb.amazonaws.com`;
}

/** `app/NAME/HEX` part of a load balancer ARN (the LoadBalancerFullName attribute). */
export function loadBalancerFullName(arn: string): string {
  const i = arn.indexOf(':loadbalancer/');
  return i >= 0 ? arn.slice(i + ':loadbalancer/'.length) : arn;
}

function targetGroupFullName(arn: string): string {
  const i = arn.indexOf(':targetgroup/');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

function stackTags(stack: SimStack, logicalId: string, own: unknown): Tags {
  // Resource-level tags win over stack tags; the aws:cloudformation:* ones are always CloudFormation's.
  const tags: Tags = { ...stack.tags };
  for (const t of list<unknown>(own)) if (isObject(t)) tags[String(t.Key)] = String(t.Value ?? '');
  tags['aws:cloudformation:stack-name'] = stack.name;
  tags['aws:cloudformation:stack-id'] = stack.stackId;
  tags['aws:cloudformation:logical-id'] = logicalId;
  return tags;
}

const optionalNumber = (v: unknown) => (v === undefined || v === '' ? undefined : Number(v));
const strings = (v: unknown) => list<unknown>(v).map(String);

function defaultVpc(world: World, subnets: string[]): string {
  for (const s of subnets) {
    const subnet = world.subnets.get(s);
    if (subnet) return subnet.vpcId;
  }
  return [...world.vpcs.keys()][0] ?? [...world.subnets.values()][0]?.vpcId ?? 'vpc-1';
}

// ---- building -------------------------------------------------------------------------------------------

/** ARNs and DNS names a pre-existing stack's outputs already fix for some logical ids. */
export interface ResourceHints { arns: Record<string, string>; dnsNames: Record<string, string> }

export interface BuildOptions {
  now: number;
  /** State of load balancers created by this build (`provisioning` while a create runs). */
  lbState: string;
  hints?: ResourceHints;
}

/** Which resource ARNs / DNS names a scenario's given outputs pin, read through the template's Outputs. */
export function hintsFromOutputs(template: Template, outputs: Record<string, string>): ResourceHints {
  const hints: ResourceHints = { arns: {}, dnsNames: {} };
  for (const [key, o] of Object.entries(template.Outputs ?? {})) {
    const value = outputs[key];
    if (value === undefined || !isObject(o?.Value)) continue;
    const v = o.Value;
    if (typeof v.Ref === 'string' && template.Resources?.[v.Ref]) hints.arns[v.Ref] = value;
    if (v['Fn::GetAtt'] !== undefined) {
      const [id, attr] = getAttArgs(v['Fn::GetAtt']);
      if (attr === 'DNSName') hints.dnsNames[id] = value;
    }
  }
  return hints;
}

/**
 * Create or update the stack's resources from its current template and parameters, keeping the identity of
 * every resource whose logical id and type stay (unless an immutable property changed, which replaces it as
 * CloudFormation does), and deleting the ones no longer declared. Returns the evaluated Outputs.
 */
export function buildStackResources(world: World, stack: SimStack, template: Template, options: BuildOptions): Record<string, string> {
  const order = validateTemplate(template);
  const scope: Scope = { world, stack, template, created: new Map() };
  const previous = stack.resources ?? {};
  const next: Record<string, SimStackResource> = {};
  for (const logicalId of order) {
    const declared = template.Resources![logicalId]!;
    const props = resolve(declared.Properties ?? {}, scope) as Record<string, unknown>;
    const prev = previous[logicalId]?.type === declared.Type ? previous[logicalId] : undefined;
    let created: Created;
    switch (declared.Type) {
      case LOAD_BALANCER: created = buildLoadBalancer(scope, logicalId, props, prev, options); break;
      case TARGET_GROUP: created = buildTargetGroup(scope, logicalId, props, prev, options); break;
      case LISTENER: created = buildListener(scope, logicalId, props, prev); break;
      case LISTENER_CERTIFICATE: created = buildListenerCertificate(scope, logicalId, props, prev); break;
      default: created = { type: declared.Type, id: prev?.physicalId ?? generatedName(stack.name, logicalId, `${stack.stackId}/${logicalId}/${nextId(world)}`), attrs: {} };
    }
    scope.created.set(logicalId, created);
    next[logicalId] = { type: created.type, physicalId: created.id };
  }
  const kept = new Set(Object.values(next).map((r) => r.physicalId));
  for (const r of Object.values(previous)) if (!kept.has(r.physicalId)) removeResource(world, r);
  stack.resources = next;
  linkTargetGroups(world);
  const outputs: Record<string, string> = {};
  for (const [key, o] of Object.entries(template.Outputs ?? {})) {
    const v = resolve(o?.Value, scope);
    if (v === NO_VALUE || v === undefined) continue;
    outputs[key] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return outputs;
}

function buildLoadBalancer(scope: Scope, logicalId: string, props: Record<string, unknown>, prev: SimStackResource | undefined, options: BuildOptions): Created {
  const { world, stack } = scope;
  const type = String(props.Type ?? 'application');
  const scheme = String(props.Scheme ?? 'internet-facing');
  const explicitName = props.Name === undefined ? undefined : String(props.Name);
  const hintArn = options.hints?.arns[logicalId];
  let lb = prev ? world.loadBalancers.get(prev.physicalId) : undefined;
  // Type, scheme and name cannot change in place: CloudFormation creates a new load balancer.
  if (lb && (lb.type !== type || lb.scheme !== scheme || (explicitName !== undefined && explicitName !== lb.name))) lb = undefined;
  if (!lb && hintArn) lb = world.loadBalancers.get(hintArn);
  const subnets = [
    ...strings(props.Subnets),
    ...list<unknown>(props.SubnetMappings).flatMap((m) => (isObject(m) && m.SubnetId ? [String(m.SubnetId)] : [])),
  ];
  const fields = {
    type, scheme,
    ipAddressType: String(props.IpAddressType ?? 'ipv4'),
    securityGroups: strings(props.SecurityGroups),
    subnets,
    vpcId: defaultVpc(world, subnets),
    tags: stackTags(stack, logicalId, props.Tags),
    stackName: stack.name,
  };
  if (lb) {
    // Adopting a scenario-declared load balancer keeps its state and creation time.
    Object.assign(lb, fields);
    const hintDns = options.hints?.dnsNames[logicalId];
    if (hintDns) lb.dnsName = hintDns;
  } else {
    const seed = `${stack.stackId}/${logicalId}/${nextId(world)}`;
    const hex = digest(`${seed}/arn`).slice(0, 16);
    const fromHint = hintArn ? /:loadbalancer\/[^/]+\/([^/]+)\//.exec(hintArn)?.[1] : undefined;
    const name = explicitName ?? fromHint ?? generatedName(stack.name, logicalId, seed);
    const arn = hintArn ?? `arn:aws:elasticloadbalancing:${world.region}:${world.accountId}:loadbalancer/${lbSegment(type)}/${name}/${hex}`;
    lb = {
      arn, name, dnsName: options.hints?.dnsNames[logicalId] ?? dnsNameFor(world, name, type, scheme, hex),
      state: options.lbState, createdAt: options.now, ...fields,
    } satisfies SimLoadBalancer;
    world.loadBalancers.set(arn, lb);
  }
  return {
    type: LOAD_BALANCER, id: lb.arn,
    attrs: {
      DNSName: lb.dnsName, LoadBalancerFullName: loadBalancerFullName(lb.arn), LoadBalancerName: lb.name,
      CanonicalHostedZoneID: canonicalHostedZoneId(world.region, lb.type), LoadBalancerArn: lb.arn, SecurityGroups: lb.securityGroups,
    },
  };
}

function buildTargetGroup(scope: Scope, logicalId: string, props: Record<string, unknown>, prev: SimStackResource | undefined, options: BuildOptions): Created {
  const { world, stack } = scope;
  const targetType = String(props.TargetType ?? 'instance');
  const port = Number(props.Port ?? 0);
  const protocol = String(props.Protocol ?? (targetType === 'lambda' ? '' : 'HTTP'));
  const vpcId = String(props.VpcId ?? defaultVpc(world, []));
  const explicitName = props.Name === undefined ? undefined : String(props.Name);
  const hintArn = options.hints?.arns[logicalId];
  let tg = prev ? world.targetGroups.get(prev.physicalId) : undefined;
  // These properties require replacement in CloudFormation, which gives the target group a new ARN.
  if (tg && (tg.targetType !== targetType || tg.port !== port || tg.protocol !== protocol || tg.vpcId !== vpcId
    || (explicitName !== undefined && explicitName !== tg.name))) tg = undefined;
  if (!tg && hintArn) tg = world.targetGroups.get(hintArn);
  const healthCheck: SimHealthCheck = {
    protocol: String(props.HealthCheckProtocol ?? (protocol === 'TCP' || protocol === 'TLS' ? 'TCP' : protocol || 'HTTP')),
    port: String(props.HealthCheckPort ?? 'traffic-port'),
    ...(props.HealthCheckPath !== undefined ? { path: String(props.HealthCheckPath) } : {}),
    ...(optionalNumber(props.HealthCheckIntervalSeconds) !== undefined ? { intervalSeconds: optionalNumber(props.HealthCheckIntervalSeconds)! } : {}),
    ...(optionalNumber(props.HealthCheckTimeoutSeconds) !== undefined ? { timeoutSeconds: optionalNumber(props.HealthCheckTimeoutSeconds)! } : {}),
    ...(optionalNumber(props.HealthyThresholdCount) !== undefined ? { healthyThreshold: optionalNumber(props.HealthyThresholdCount)! } : {}),
    ...(optionalNumber(props.UnhealthyThresholdCount) !== undefined ? { unhealthyThreshold: optionalNumber(props.UnhealthyThresholdCount)! } : {}),
  };
  const tags = stackTags(stack, logicalId, props.Tags);
  if (tg) {
    // A scenario that declared the target group's tags explicitly keeps them (to model drifted ownership).
    const explicitTags = !tg.stackName && Object.keys(tg.tags).length > 0;
    Object.assign(tg, { targetType, port, protocol, vpcId, healthCheck, stackName: stack.name, ...(explicitTags ? {} : { tags }) });
  } else {
    const seed = `${stack.stackId}/${logicalId}/${nextId(world)}`;
    const hex = digest(`${seed}/arn`).slice(0, 16);
    const fromHint = hintArn ? /:targetgroup\/([^/]+)\//.exec(hintArn)?.[1] : undefined;
    const name = explicitName ?? fromHint ?? generatedName(stack.name, logicalId, seed);
    const arn = hintArn ?? `arn:aws:elasticloadbalancing:${world.region}:${world.accountId}:targetgroup/${name}/${hex}`;
    tg = { arn, name, targetType, port, protocol, vpcId, tags, targets: [], loadBalancerArns: [], stackName: stack.name, healthCheck } satisfies SimTargetGroup;
    world.targetGroups.set(arn, tg);
  }
  return {
    type: TARGET_GROUP, id: tg.arn,
    attrs: { TargetGroupArn: tg.arn, TargetGroupFullName: targetGroupFullName(tg.arn), TargetGroupName: tg.name, LoadBalancerArns: tg.loadBalancerArns },
  };
}

function buildListener(scope: Scope, logicalId: string, props: Record<string, unknown>, prev: SimStackResource | undefined): Created {
  const { world, stack } = scope;
  const loadBalancerArn = String(props.LoadBalancerArn ?? '');
  let listener = prev ? world.listeners.get(prev.physicalId) : undefined;
  if (listener && listener.loadBalancerArn !== loadBalancerArn) listener = undefined;
  const certificates = list<unknown>(props.Certificates).flatMap((c) => (isObject(c) && c.CertificateArn ? [String(c.CertificateArn)] : []));
  const fields = {
    loadBalancerArn,
    port: Number(props.Port ?? 0),
    protocol: String(props.Protocol ?? ''),
    certificates,
    defaultActions: list<unknown>(props.DefaultActions).filter(isObject),
    tags: stackTags(stack, logicalId, undefined),
    stackName: stack.name,
  };
  const sslPolicy = props.SslPolicy === undefined ? undefined : String(props.SslPolicy);
  if (listener) {
    Object.assign(listener, fields);
    if (sslPolicy === undefined) delete listener.sslPolicy;
    else listener.sslPolicy = sslPolicy;
  } else {
    const hex = digest(`${stack.stackId}/${logicalId}/${nextId(world)}`).slice(0, 16);
    const arn = `arn:aws:elasticloadbalancing:${world.region}:${world.accountId}:listener/${loadBalancerFullName(loadBalancerArn)}/${hex}`;
    listener = { arn, ...fields, ...(sslPolicy === undefined ? {} : { sslPolicy }) } satisfies SimListener;
    world.listeners.set(arn, listener);
  }
  return { type: LISTENER, id: listener.arn, attrs: { ListenerArn: listener.arn } };
}

function buildListenerCertificate(scope: Scope, logicalId: string, props: Record<string, unknown>, prev: SimStackResource | undefined): Created {
  const { world, stack } = scope;
  const listener = world.listeners.get(String(props.ListenerArn ?? ''));
  // The listener is rebuilt first (it is a dependency), so its list is reset before these certificates are added.
  if (listener) {
    for (const c of list<unknown>(props.Certificates)) {
      if (isObject(c) && c.CertificateArn && !listener.certificates.includes(String(c.CertificateArn))) listener.certificates.push(String(c.CertificateArn));
    }
  }
  const id = prev?.physicalId ?? generatedName(stack.name, logicalId.slice(0, 20), `${stack.stackId}/${logicalId}/${nextId(world)}`);
  return { type: LISTENER_CERTIFICATE, id, attrs: {} };
}

function removeResource(world: World, r: SimStackResource): void {
  if (r.type === LOAD_BALANCER) {
    world.loadBalancers.delete(r.physicalId);
    // ELBv2 deletes a load balancer's listeners with it.
    for (const [arn, l] of world.listeners) if (l.loadBalancerArn === r.physicalId) world.listeners.delete(arn);
  } else if (r.type === TARGET_GROUP) {
    world.targetGroups.delete(r.physicalId);
  } else if (r.type === LISTENER) {
    world.listeners.delete(r.physicalId);
  }
}

/** Delete every resource the stack owns (the end of a delete or a create rollback). */
export function removeStackResources(world: World, stack: SimStack): void {
  for (const r of Object.values(stack.resources ?? {})) removeResource(world, r);
  stack.resources = {};
  linkTargetGroups(world);
}

/** Load balancers finish provisioning when the operation that created them completes. */
export function activateLoadBalancers(world: World, stack: SimStack): void {
  for (const r of Object.values(stack.resources ?? {})) {
    const lb = r.type === LOAD_BALANCER ? world.loadBalancers.get(r.physicalId) : undefined;
    if (lb && lb.state === 'provisioning') lb.state = 'active';
  }
}

/** Recompute each target group's LoadBalancerArns from the listeners forwarding to it. */
export function linkTargetGroups(world: World): void {
  const links = new Map<string, Set<string>>();
  for (const l of world.listeners.values()) {
    for (const action of l.defaultActions ?? []) {
      const arns = [action.TargetGroupArn, ...list<unknown>(isObject(action.ForwardConfig) ? action.ForwardConfig.TargetGroups : undefined)
        .map((t) => (isObject(t) ? t.TargetGroupArn : undefined))];
      for (const arn of arns) {
        if (typeof arn !== 'string') continue;
        if (!links.has(arn)) links.set(arn, new Set());
        links.get(arn)!.add(l.loadBalancerArn);
      }
    }
  }
  const stacksWithListeners = new Set([...world.listeners.values()].map((l) => l.stackName));
  for (const tg of world.targetGroups.values()) {
    const linked = links.get(tg.arn);
    if (linked || (tg.stackName && stacksWithListeners.has(tg.stackName))) tg.loadBalancerArns = [...(linked ?? [])];
    // Target groups known without listeners (scenario input, template-less stacks) keep their links while the LB exists.
    else tg.loadBalancerArns = tg.loadBalancerArns.filter((arn) => world.loadBalancers.has(arn));
  }
}

/**
 * For a scenario stack given without a template: materialise the load balancer and target groups its
 * outputs name (LoadBalancerARN, LoadBalancerDNSName, TargetGroupARN, HTTPTargetGroupARN), so ELBv2 calls
 * about them answer as they would for a stack the upstream controller created.
 */
export function resourcesFromOutputs(world: World, stack: SimStack, now: number): void {
  const resources: Record<string, SimStackResource> = {};
  const lbArn = stack.outputs.LoadBalancerARN;
  if (lbArn) {
    const type = lbArn.includes(':loadbalancer/net/') || stack.parameters.Type === 'network' ? 'network' : 'application';
    const scheme = stack.parameters.LoadBalancerSchemeParameter ?? 'internet-facing';
    const subnets = (stack.parameters.LoadBalancerSubnetsParameter ?? '').split(',').filter(Boolean);
    const name = /:loadbalancer\/[^/]+\/([^/]+)\//.exec(lbArn)?.[1] ?? generatedName(stack.name, 'LB', `${stack.stackId}/LB`);
    const fields = {
      type, scheme, ipAddressType: stack.parameters.IpAddressType ?? 'ipv4',
      securityGroups: type === 'network' ? [] : (stack.parameters.LoadBalancerSecurityGroupParameter ?? '').split(',').filter(Boolean),
      subnets, vpcId: defaultVpc(world, subnets), tags: stackTags(stack, 'LB', undefined), stackName: stack.name,
    };
    const existing = world.loadBalancers.get(lbArn);
    if (existing) {
      Object.assign(existing, fields);
      if (stack.outputs.LoadBalancerDNSName) existing.dnsName = stack.outputs.LoadBalancerDNSName;
    } else {
      const hex = digest(`${stack.stackId}/LB`).slice(0, 16);
      world.loadBalancers.set(lbArn, {
        arn: lbArn, name, dnsName: stack.outputs.LoadBalancerDNSName ?? dnsNameFor(world, name, type, scheme, hex),
        state: 'active', createdAt: now, ...fields,
      });
    }
    resources.LB = { type: LOAD_BALANCER, physicalId: lbArn };
  }
  const groups: [string, string, string | undefined][] = [
    ['TG', 'TargetGroupARN', stack.parameters.TargetGroupTargetPortParameter],
    ['TGHTTP', 'HTTPTargetGroupARN', stack.parameters.TargetGroupHTTPTargetPortParameter ?? stack.parameters.TargetGroupTargetPortParameter],
  ];
  for (const [logicalId, output, port] of groups) {
    const arn = stack.outputs[output];
    if (!arn) continue;
    const existing = world.targetGroups.get(arn);
    const tags = stackTags(stack, logicalId, undefined);
    if (existing) {
      if (Object.keys(existing.tags).length === 0) existing.tags = tags;
      existing.stackName = stack.name;
      if (lbArn && !existing.loadBalancerArns.includes(lbArn)) existing.loadBalancerArns.push(lbArn);
    } else {
      const isNetwork = lbArn?.includes(':loadbalancer/net/') || stack.parameters.Type === 'network';
      world.targetGroups.set(arn, {
        arn, name: /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? logicalId, targetType: 'instance', port: Number(port ?? 9999),
        protocol: isNetwork ? 'TCP' : 'HTTP', vpcId: stack.parameters.TargetGroupVPCIDParameter ?? defaultVpc(world, []),
        tags, targets: [], loadBalancerArns: lbArn ? [lbArn] : [], stackName: stack.name,
      });
    }
    resources[logicalId] = { type: TARGET_GROUP, physicalId: arn };
  }
  stack.resources = resources;
}
