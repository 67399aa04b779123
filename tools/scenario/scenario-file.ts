// Reading and validating a scenario file (docs/scenarios.md). Unknown keys are errors, and
// every error names the field, so `npm run scenario` can exit 2 with one useful line.
import fs from 'node:fs';
import YAML from 'yaml';
import { parseGoDuration } from '../../services/config/duration.ts';
import type { AwsWorldInput } from '../sim/aws/world.ts';

export class ScenarioError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'ScenarioError';
  }
}

export interface ObjectRefInput {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type ScenarioStep =
  | { run: Record<string, never> }
  | { advance: number }
  | { apply: unknown[] }
  | { delete: ObjectRefInput[] }
  | { aws: AwsStep }
  | { restart: { wipeState: boolean } };

export interface AwsStep {
  removeCertificates?: string[];
  addCertificates?: NonNullable<AwsWorldInput['certificates']>;
  setLoadBalancerState?: { arn: string; state: string };
  deleteStack?: string;
  /** An edit made outside the controller: the first live stack whose name matches the glob. */
  editStack?: { name: string; parameters?: Record<string, string>; terminationProtection?: boolean };
  behaviour?: NonNullable<AwsWorldInput['behaviour']>;
}

export interface Scenario {
  name: string;
  flags: string[];
  env: Record<string, string>;
  clock: number;
  seed: number;
  aws: AwsWorldInput;
  kubernetes: { routeGroupsCRD: boolean; objects: unknown[] };
  steps: ScenarioStep[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function only(value: unknown, field: string, allowed: readonly string[]): Obj {
  if (value === undefined || value === null) return {};
  if (!isObj(value)) throw new ScenarioError(field, 'must be a mapping');
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) throw new ScenarioError(field ? `${field}.${k}` : k, `unknown key; allowed: ${allowed.join(', ')}`);
  }
  return value;
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ScenarioError(field, 'must be a list');
  return value;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ScenarioError(field, 'must be a string');
  return value;
}

function time(value: unknown, field: string): number {
  const text = value instanceof Date ? value.toISOString() : str(value, field);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ScenarioError(field, `not an RFC 3339 time: ${text}`);
  return ms;
}

const AWS_KEYS = ['region', 'accountId', 'self', 'vpcs', 'subnets', 'securityGroups', 'instances', 'autoScalingGroups',
  'certificates', 'stacks', 'loadBalancers', 'targetGroups', 'behaviour'] as const;

const ITEM_KEYS: Record<string, readonly string[]> = {
  vpcs: ['id', 'cidrBlock'],
  subnets: ['id', 'vpcId', 'availabilityZone', 'public', 'cidrBlock', 'tags'],
  securityGroups: ['id', 'vpcId', 'name', 'tags'],
  instances: ['id', 'vpcId', 'subnetId', 'availabilityZone', 'state', 'privateIp', 'tags'],
  autoScalingGroups: ['name', 'tags', 'instances', 'targetGroupARNs'],
  certificates: ['arn', 'source', 'domains', 'notBefore', 'notAfter', 'trust', 'status', 'tags'],
  stacks: ['name', 'status', 'statusReason', 'tags', 'parameters', 'outputs', 'template', 'terminationProtection', 'createdAt'],
  loadBalancers: ['arn', 'state', 'createdAt', 'dnsName', 'type', 'scheme'],
  targetGroups: ['arn', 'targetType', 'port', 'protocol', 'vpcId', 'tags', 'targets'],
};

const REQUIRED: Record<string, readonly string[]> = {
  vpcs: ['id'], subnets: ['id', 'vpcId', 'availabilityZone'], securityGroups: ['id', 'vpcId'], instances: ['id'],
  autoScalingGroups: ['name'], certificates: ['arn', 'domains'], stacks: ['name'], loadBalancers: ['arn'], targetGroups: ['arn'],
};

/** Dates that YAML parsed as Date objects are turned back into RFC 3339 strings. */
function normalizeDates(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) return v.map(normalizeDates);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeDates(x)]));
  return v;
}

function validateAws(value: unknown, field = 'aws'): AwsWorldInput {
  const aws = only(normalizeDates(value), field, AWS_KEYS);
  for (const [key, allowed] of Object.entries(ITEM_KEYS)) {
    list(aws[key], `${field}.${key}`).forEach((item, i) => {
      const f = `${field}.${key}[${i}]`;
      const o = only(item, f, allowed);
      for (const r of REQUIRED[key] ?? []) if (o[r] === undefined) throw new ScenarioError(`${f}.${r}`, 'is required');
      if (key === 'certificates') {
        if (!Array.isArray(o.domains) || o.domains.length === 0) throw new ScenarioError(`${f}.domains`, 'must be a non-empty list');
        if (o.source !== undefined && o.source !== 'acm' && o.source !== 'iam') throw new ScenarioError(`${f}.source`, 'must be acm or iam');
        if (o.trust !== undefined && !['public', 'self-signed', 'private-ca'].includes(String(o.trust))) {
          throw new ScenarioError(`${f}.trust`, 'must be public, self-signed or private-ca');
        }
        for (const t of ['notBefore', 'notAfter'] as const) if (o[t] !== undefined) time(o[t], `${f}.${t}`);
      }
    });
  }
  if (aws.self !== undefined) only(aws.self, `${field}.self`, ['instanceId']);
  const b = only(aws.behaviour, `${field}.behaviour`, ['operationSeconds', 'failCreate', 'failUpdate', 'failDelete', 'failRollback', 'throttle', 'serverErrors', 'latencyMs']);
  if (b.operationSeconds !== undefined && typeof b.operationSeconds !== 'number') throw new ScenarioError(`${field}.behaviour.operationSeconds`, 'must be a number');
  if (aws.region !== undefined) str(aws.region, `${field}.region`);
  if (aws.accountId !== undefined) aws.accountId = String(aws.accountId);
  return aws as AwsWorldInput;
}

function validateStep(value: unknown, i: number): ScenarioStep {
  const field = `steps[${i}]`;
  if (!isObj(value) || Object.keys(value).length !== 1) throw new ScenarioError(field, 'must be a mapping with exactly one of run, advance, apply, delete, aws, restart');
  const [kind, arg] = Object.entries(value)[0]!;
  switch (kind) {
    case 'run':
      only(arg, `${field}.run`, []);
      return { run: {} };
    case 'advance': {
      const text = str(arg, `${field}.advance`);
      let ms: number;
      try {
        ms = parseGoDuration(text);
      } catch {
        throw new ScenarioError(`${field}.advance`, `not a Go duration: ${text}`);
      }
      if (ms < 0) throw new ScenarioError(`${field}.advance`, 'must not be negative');
      return { advance: ms };
    }
    case 'apply':
      return { apply: list(arg, `${field}.apply`).map((m, j) => {
        const o = only(m, `${field}.apply[${j}]`, ['apiVersion', 'kind', 'metadata', 'spec', 'status', 'data']);
        str(o.apiVersion, `${field}.apply[${j}].apiVersion`);
        str(o.kind, `${field}.apply[${j}].kind`);
        return o;
      }) };
    case 'delete':
      return { delete: list(arg, `${field}.delete`).map((r, j) => {
        const o = only(r, `${field}.delete[${j}]`, ['apiVersion', 'kind', 'namespace', 'name']);
        for (const k of ['apiVersion', 'kind', 'name']) str(o[k], `${field}.delete[${j}].${k}`);
        return o as unknown as ObjectRefInput;
      }) };
    case 'aws': {
      const o = only(normalizeDates(arg), `${field}.aws`, ['removeCertificates', 'addCertificates', 'setLoadBalancerState', 'deleteStack', 'editStack', 'behaviour']);
      if (o.editStack !== undefined) {
        const e = only(o.editStack, `${field}.aws.editStack`, ['name', 'parameters', 'terminationProtection']);
        str(e.name, `${field}.aws.editStack.name`);
        if (e.parameters !== undefined) e.parameters = Object.fromEntries(Object.entries(only(e.parameters, `${field}.aws.editStack.parameters`, Object.keys(e.parameters as object))).map(([k, v]) => [k, String(v)]));
        if (e.terminationProtection !== undefined && typeof e.terminationProtection !== 'boolean') throw new ScenarioError(`${field}.aws.editStack.terminationProtection`, 'must be true or false');
      }
      if (o.setLoadBalancerState !== undefined) only(o.setLoadBalancerState, `${field}.aws.setLoadBalancerState`, ['arn', 'state']);
      if (o.addCertificates !== undefined) validateAws({ certificates: o.addCertificates }, `${field}.aws`);
      return { aws: o as AwsStep };
    }
    case 'restart': {
      const o = only(arg, `${field}.restart`, ['wipeState']);
      return { restart: { wipeState: o.wipeState === true } };
    }
    default:
      throw new ScenarioError(`${field}.${kind}`, 'unknown step; allowed: run, advance, apply, delete, aws, restart');
  }
}

export function parseScenario(text: string): Scenario {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new ScenarioError('(file)', `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const top = only(doc, '', ['name', 'flags', 'env', 'clock', 'seed', 'aws', 'kubernetes', 'steps']);
  const flags = list(top.flags, 'flags').map((f, i) => str(f, `flags[${i}]`));
  const env = only(top.env, 'env', Object.keys(isObj(top.env) ? top.env : {}));
  const kube = only(top.kubernetes, 'kubernetes', ['routeGroupsCRD', 'objects']);
  if (kube.routeGroupsCRD !== undefined && typeof kube.routeGroupsCRD !== 'boolean') throw new ScenarioError('kubernetes.routeGroupsCRD', 'must be true or false');
  const objects = list(kube.objects, 'kubernetes.objects');
  objects.forEach((o, i) => {
    if (!isObj(o) || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') throw new ScenarioError(`kubernetes.objects[${i}]`, 'must be a manifest with apiVersion and kind');
  });
  const steps = top.steps === undefined ? [{ run: {} } as ScenarioStep] : list(top.steps, 'steps').map(validateStep);
  if (top.seed !== undefined && (typeof top.seed !== 'number' || !Number.isInteger(top.seed))) throw new ScenarioError('seed', 'must be an integer');
  return {
    name: top.name === undefined ? '' : String(top.name),
    flags,
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    clock: top.clock === undefined ? Date.parse('2026-01-01T00:00:00Z') : time(top.clock, 'clock'),
    seed: (top.seed as number | undefined) ?? 1,
    aws: validateAws(top.aws),
    kubernetes: { routeGroupsCRD: (kube.routeGroupsCRD as boolean | undefined) ?? true, objects },
    steps,
  };
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError('(file)', `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseScenario(text);
}
