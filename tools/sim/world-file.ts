// Reads the "world" of a YAML file: the `aws` and `kubernetes` sections of the scenario format
// (docs/scenarios.md). A whole scenario file is accepted, so one file can drive both the
// scenario runner and the standalone simulation; its other top-level keys are ignored here.
//
// The simulations trust their input, so a typo (`availabiltyZone`, an unquoted account id read as a number)
// would otherwise surface much later as a confusing controller decision. Every field is checked up front and
// the first problem is reported as one line naming the field.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AwsWorldInput } from './aws/world.ts';

export interface WorldFile {
  aws: AwsWorldInput;
  kubernetes: { routeGroupsCRD?: boolean; objects?: unknown[] };
}

/** The file cannot be used; the message is one line and starts with the file's path. */
export class WorldFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorldFileError';
  }
}

export function loadWorldFile(path: string): WorldFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WorldFileError(`${path}: cannot read the world file${code ? ` (${code})` : ''}`);
  }
  return parseWorldFile(text, path);
}

export function parseWorldFile(text: string, source = 'world file'): WorldFile {
  let document: unknown;
  try {
    document = parse(text);
  } catch (e) {
    // The YAML library's message carries a multi-line code frame; its first line already names the position.
    const firstLine = String((e as Error).message).split('\n')[0]?.replace(/:$/, '') ?? 'unknown error';
    throw new WorldFileError(`${source}: invalid YAML: ${firstLine}`);
  }
  try {
    return validateWorld(document);
  } catch (e) {
    if (e instanceof FieldError) throw new WorldFileError(`${source}: ${e.message}`);
    throw e;
  }
}

// ---- validation -----------------------------------------------------------------------------------------

class FieldError extends Error {}

type Check = (value: unknown, field: string) => void;
interface FieldSpec { check: Check; required: boolean }
type Shape = Record<string, Check | FieldSpec>;

const fail = (field: string, problem: string): never => {
  throw new FieldError(`${field} ${problem}`);
};

const describe = (value: unknown): string =>
  value === null || value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `aws.subnets[0].tags["kubernetes.io/role/elb"]`: keys that are not plain words are quoted. */
const child = (field: string, key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (field ? `${field}.${key}` : key) : `${field}[${JSON.stringify(key)}]`;

const required = (check: Check): FieldSpec => ({ check, required: true });

const string: Check = (v, f) => {
  if (typeof v !== 'string') fail(f, `must be a string, got ${describe(v)}${typeof v === 'number' ? ' (quote it)' : ''}`);
};
const boolean: Check = (v, f) => {
  if (typeof v !== 'boolean') fail(f, `must be true or false, got ${describe(v)}`);
};
const nonNegativeNumber: Check = (v, f) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(f, `must be a number >= 0, got ${describe(v)}`);
};
const port: Check = (v, f) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) fail(f, `must be a port number, got ${describe(v)}`);
};
const timestamp: Check = (v, f) => {
  string(v, f);
  if (Number.isNaN(Date.parse(v as string))) fail(f, `must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z, got ${JSON.stringify(v)}`);
};
const oneOf = (...allowed: string[]): Check => (v, f) => {
  if (typeof v !== 'string' || !allowed.includes(v)) fail(f, `must be one of ${allowed.join(', ')}, got ${describe(v)}`);
};

const listOf = (item: Check): Check => (v, f) => {
  if (!Array.isArray(v)) return fail(f, `must be a list, got ${describe(v)}`);
  v.forEach((x, i) => item(x, `${f}[${i}]`));
};
const mapOf = (value: Check): Check => (v, f) => {
  if (!isMapping(v)) return fail(f, `must be a mapping, got ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) value(x, child(f, k));
};
const fraction: Check = (v, f) => {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(f, `must be a fraction between 0 and 1, got ${describe(v)}`);
};

/** A mapping with known keys; unknown keys are refused, as the scenario format does. */
const mapping = (shape: Shape): Check => (v, f) => {
  if (!isMapping(v)) return fail(f, `must be a mapping, got ${describe(v)}`);
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(shape, key)) fail(child(f, key), `is not a known field (expected one of ${Object.keys(shape).join(', ')})`);
  }
  for (const [key, spec] of Object.entries(shape)) {
    const { check, required: isRequired } = typeof spec === 'function' ? { check: spec, required: false } : spec;
    if (v[key] === undefined) {
      if (isRequired) fail(child(f, key), 'is required');
      continue;
    }
    check(v[key], child(f, key));
  }
};

const tags = mapOf(string);
const stringList = listOf(string);

// `satisfies` keeps this table in step with AwsWorldInput: a field added there without a rule here fails to compile.
const awsShape = {
  region: string,
  accountId: string,
  self: mapping({ instanceId: required(string) }),
  vpcs: listOf(mapping({ id: required(string), cidrBlock: string })),
  subnets: listOf(mapping({
    id: required(string), vpcId: required(string), availabilityZone: required(string), public: boolean, cidrBlock: string, tags,
  })),
  securityGroups: listOf(mapping({ id: required(string), vpcId: required(string), name: string, tags })),
  instances: listOf(mapping({
    id: required(string), vpcId: string, subnetId: string, availabilityZone: string, state: string, privateIp: string, tags,
  })),
  autoScalingGroups: listOf(mapping({ name: required(string), tags, instances: stringList, targetGroupARNs: stringList })),
  certificates: listOf(mapping({
    arn: required(string),
    source: oneOf('acm', 'iam'),
    domains: required((v, f) => {
      stringList(v, f);
      if ((v as unknown[]).length === 0) fail(f, 'must name at least one domain');
    }),
    notBefore: timestamp,
    notAfter: timestamp,
    trust: oneOf('public', 'self-signed', 'private-ca'),
    status: string,
    tags,
  })),
  stacks: listOf(mapping({
    name: required(string),
    status: string,
    statusReason: string,
    tags,
    parameters: mapOf(string),
    outputs: mapOf(string),
    template: (v, f) => {
      if (typeof v !== 'string' && !isMapping(v)) fail(f, `must be a mapping or a JSON string, got ${describe(v)}`);
    },
    terminationProtection: boolean,
    createdAt: timestamp,
  })),
  loadBalancers: listOf(mapping({
    arn: required(string), state: string, createdAt: timestamp, dnsName: string, type: string, scheme: string,
  })),
  targetGroups: listOf(mapping({
    arn: required(string), targetType: string, port, protocol: string, vpcId: string, tags, targets: stringList,
  })),
  behaviour: mapping({
    operationSeconds: nonNegativeNumber,
    failCreate: stringList,
    failUpdate: stringList,
    failDelete: stringList,
    throttle: mapOf(fraction),
    serverErrors: mapOf(fraction),
    latencyMs: nonNegativeNumber,
  }),
} satisfies Record<keyof AwsWorldInput, Check | FieldSpec>;

// Manifests are the Kubernetes simulation's business; only what it needs to file an object is checked here.
const manifest: Check = (v, f) => {
  if (!isMapping(v)) return fail(f, `must be a Kubernetes manifest (a mapping), got ${describe(v)}`);
  for (const key of ['apiVersion', 'kind']) {
    if (v[key] === undefined) fail(child(f, key), 'is required');
    string(v[key], child(f, key));
  }
  const metadata = v['metadata'];
  if (!isMapping(metadata)) return fail(child(f, 'metadata'), `must be a mapping, got ${describe(metadata)}`);
  if (metadata['name'] === undefined && metadata['generateName'] === undefined) fail(child(f, 'metadata.name'), 'is required');
  if (metadata['name'] !== undefined) string(metadata['name'], child(f, 'metadata.name'));
  if (metadata['namespace'] !== undefined) string(metadata['namespace'], child(f, 'metadata.namespace'));
};

const kubernetesShape: Shape = { routeGroupsCRD: boolean, objects: listOf(manifest) };

function validateWorld(document: unknown): WorldFile {
  // An empty file is an empty world: every simulation default applies.
  if (document === null || document === undefined) return { aws: {}, kubernetes: {} };
  if (!isMapping(document)) fail('the top level', `must be a mapping with aws and kubernetes sections, got ${describe(document)}`);
  const root = document as Record<string, unknown>;
  if (root['aws'] === undefined && root['kubernetes'] === undefined && Object.keys(root).length > 0) {
    // Most likely the world's fields were written without their section (`vpcs:` at the top level).
    fail('the top level', `has neither an aws nor a kubernetes section (found ${Object.keys(root).join(', ')})`);
  }
  const aws = root['aws'] ?? {};
  const kubernetes = root['kubernetes'] ?? {};
  mapping(awsShape)(aws, 'aws');
  mapping(kubernetesShape)(kubernetes, 'kubernetes');
  return { aws: aws as AwsWorldInput, kubernetes: kubernetes as WorldFile['kubernetes'] };
}
