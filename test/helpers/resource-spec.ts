// Checks CloudFormation templates against the CloudFormation resource specification (@aws-cdk/aws-service-spec),
// so that a template mistake shows up in a test instead of as a failed stack update in a real account.
//
// What is checked: parameter declarations have a CloudFormation parameter type; resource types exist; property names are known; required properties are present; values have
// the specified primitive types, through arrays, maps and nested property types; Ref targets a parameter, a
// resource or a pseudo parameter; Fn::GetAtt targets a resource and an attribute its type has. Intrinsic
// functions are accepted in place of any value.
//
// Loading the database takes about 0.75 s (2.6 MB gzipped JSON), so it is loaded once per test file (the
// promise is cached at module level; vitest gives every file its own module graph).
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';

export interface SpecProblem {
  /** e.g. `Resources.TG.Properties.Port` */
  readonly path: string;
  readonly message: string;
}

export interface ResourceSpecChecker {
  /** Every problem found; an empty list means the template conforms. */
  validateTemplate(template: unknown): SpecProblem[];
  /** Milliseconds the specification database took to load. */
  readonly loadMs: number;
}

let cached: Promise<ResourceSpecChecker> | undefined;

export function loadResourceSpec(): Promise<ResourceSpecChecker> {
  cached ??= (async () => {
    const started = performance.now();
    const db = await loadAwsServiceSpec();
    return new Checker(db, performance.now() - started);
  })();
  return cached;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

// String, Number, lists of them, and the AWS-specific types (AWS::EC2::VPC::Id, List<AWS::EC2::Subnet::Id>, SSM...).
const PARAMETER_TYPE = /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+(<[A-Za-z0-9:<>]+>)?|List<AWS::[A-Za-z0-9:]+>)$/;

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntrinsic(value: Json): value is Record<string, Json> {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

class Checker implements ResourceSpecChecker {
  private readonly resources = new Map<string, Resource | undefined>();

  constructor(
    private readonly db: SpecDatabase,
    readonly loadMs: number,
  ) {}

  validateTemplate(template: unknown): SpecProblem[] {
    const problems: SpecProblem[] = [];
    if (!isObject(template)) return [{ path: '', message: 'template is not an object' }];
    const parameters = isObject(template.Parameters) ? template.Parameters : {};
    for (const [name, declaration] of Object.entries(parameters)) {
      const path = `Parameters.${name}`;
      if (!isObject(declaration) || typeof declaration.Type !== 'string' || !PARAMETER_TYPE.test(declaration.Type)) {
        problems.push({ path, message: 'parameter without a valid Type' });
      } else if (declaration.Default !== undefined && typeof declaration.Default !== 'string') {
        problems.push({ path: `${path}.Default`, message: 'a parameter default is a string' });
      }
    }
    const resources = template.Resources;
    if (!isObject(resources) || Object.keys(resources).length === 0) {
      return [{ path: 'Resources', message: 'a template needs at least one resource' }];
    }
    const resourceTypes = new Map<string, Resource | undefined>();
    for (const [logicalId, entry] of Object.entries(resources)) {
      const path = `Resources.${logicalId}`;
      if (!/^[A-Za-z0-9]+$/.test(logicalId)) problems.push({ path, message: 'logical IDs must be alphanumeric' });
      if (!isObject(entry) || typeof entry.Type !== 'string') {
        problems.push({ path, message: 'resource without a Type' });
        continue;
      }
      const spec = this.resource(entry.Type);
      resourceTypes.set(logicalId, spec);
      if (spec === undefined) {
        problems.push({ path: `${path}.Type`, message: `unknown resource type ${entry.Type}` });
        continue;
      }
      const properties = entry.Properties ?? {};
      if (!isObject(properties)) {
        problems.push({ path: `${path}.Properties`, message: 'Properties is not an object' });
        continue;
      }
      this.checkProperties(properties, spec.properties, `${path}.Properties`, problems);
    }
    const references = (value: Json, path: string): void => this.checkReferences(value, path, parameters, resourceTypes, problems);
    references(resources, 'Resources');
    if (template.Outputs !== undefined) references(template.Outputs, 'Outputs');
    return problems;
  }

  private resource(type: string): Resource | undefined {
    if (!this.resources.has(type)) {
      const found = this.db.lookup('resource', 'cloudFormationType', 'equals', type);
      this.resources.set(type, found.length === 1 ? found[0] : undefined);
    }
    return this.resources.get(type);
  }

  private checkProperties(
    value: Record<string, Json>,
    spec: Resource['properties'] | TypeDefinition['properties'],
    path: string,
    problems: SpecProblem[],
  ): void {
    for (const [name, property] of Object.entries(spec)) {
      if (property.required === true && value[name] === undefined) {
        problems.push({ path: `${path}.${name}`, message: 'required property missing' });
      }
    }
    for (const [name, item] of Object.entries(value)) {
      const property = spec[name];
      if (property === undefined) {
        problems.push({ path: `${path}.${name}`, message: 'unknown property' });
        continue;
      }
      const candidates = [property.type, ...(property.previousTypes ?? [])];
      const attempts = candidates.map((type) => {
        const found: SpecProblem[] = [];
        this.checkValue(item, type, `${path}.${name}`, found);
        return found;
      });
      if (!attempts.some((found) => found.length === 0)) problems.push(...attempts[0]!);
    }
  }

  private checkValue(value: Json, type: PropertyType, path: string, problems: SpecProblem[]): void {
    if (isIntrinsic(value)) return;
    const mismatch = (expected: string): void => {
      problems.push({ path, message: `expected ${expected}, got ${JSON.stringify(value)}` });
    };
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (typeof value !== 'string') mismatch(type.type);
        return;
      case 'integer':
        if (!Number.isInteger(value)) mismatch('integer');
        return;
      case 'number':
        if (typeof value !== 'number') mismatch('number');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') mismatch('boolean');
        return;
      case 'null':
        if (value !== null) mismatch('null');
        return;
      case 'json':
        return;
      case 'tag':
        if (!isObject(value)) return mismatch('tag');
        this.checkProperties(value, TAG_PROPERTIES, path, problems);
        return;
      case 'array':
        if (!Array.isArray(value)) return mismatch('array');
        value.forEach((item, i) => this.checkValue(item, type.element, `${path}[${i}]`, problems));
        return;
      case 'map':
        if (!isObject(value)) return mismatch('map');
        for (const [key, item] of Object.entries(value)) this.checkValue(item, type.element, `${path}.${key}`, problems);
        return;
      case 'ref': {
        if (!isObject(value)) return mismatch('object');
        const definition = this.db.get('typeDefinition', type.reference);
        this.checkProperties(value, definition.properties, path, problems);
        return;
      }
      case 'union': {
        const attempts = type.types.map((alternative) => {
          const found: SpecProblem[] = [];
          this.checkValue(value, alternative, path, found);
          return found;
        });
        if (!attempts.some((found) => found.length === 0)) mismatch(type.types.map((t) => t.type).join(' | '));
        return;
      }
      default:
        problems.push({ path, message: `unsupported specification type ${JSON.stringify(type)}` });
    }
  }

  private checkReferences(
    value: Json,
    path: string,
    parameters: Record<string, Json>,
    resources: ReadonlyMap<string, Resource | undefined>,
    problems: SpecProblem[],
  ): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkReferences(item, `${path}[${i}]`, parameters, resources, problems));
      return;
    }
    if (!isObject(value)) return;
    if (isIntrinsic(value) && 'Ref' in value) {
      const target = value.Ref;
      if (typeof target !== 'string') {
        problems.push({ path, message: 'Ref needs a string' });
      } else if (!Object.hasOwn(parameters, target) && !resources.has(target) && !PSEUDO_PARAMETERS.has(target)) {
        problems.push({ path, message: `Ref to undeclared ${target}` });
      }
      return;
    }
    if (isIntrinsic(value) && 'Fn::GetAtt' in value) {
      const args = value['Fn::GetAtt'];
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || typeof args[1] !== 'string') {
        problems.push({ path, message: 'Fn::GetAtt needs [resource, attribute]' });
        return;
      }
      const [logicalId, attribute] = args as [string, string];
      if (!resources.has(logicalId)) {
        problems.push({ path, message: `Fn::GetAtt on undeclared resource ${logicalId}` });
        return;
      }
      const spec = resources.get(logicalId);
      if (spec !== undefined && !Object.hasOwn(spec.attributes, attribute)) {
        problems.push({ path, message: `${spec.cloudFormationType} has no attribute ${attribute}` });
      }
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      this.checkReferences(item, `${path}.${key}`, parameters, resources, problems);
    }
  }
}

// The legacy "tag" type of the old resource specification has no type definition of its own.
const TAG_PROPERTIES: TypeDefinition['properties'] = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};
