// Decodes one YAML alarm document the way upstream does: go-yaml (YAML 1.1) → JSON → encoding/json into the
// vendored go-cloudformation structs. Which inputs are accepted, rejected or normalised decides both the alarms
// in the template and the `cloudwatch:alarm-config-hash` tag, so the Go rules are reproduced here:
// - field names match exactly, else case-insensitively; unknown fields are dropped; null clears a field;
// - strings must be strings (a YAML number in a string field is an error, as go-cloudformation's StringExpr
//   rejects it); integers accept decimal strings; booleans accept Go's strconv.ParseBool spellings;
// - lists of strings accept a single string, lists of objects accept a single object;
// - intrinsic functions ({"Ref": ...}, {"Fn::...": ...}) are kept as they are.
import YAML from 'yaml';
import { compareBytes, type JsonValue } from './go-json.ts';
import type {
  BooleanValue,
  CloudWatchAlarm,
  IntegerValue,
  StringListValue,
  StringValue,
} from './cloudwatch-alarm-types.ts';
import type { Intrinsic } from './template-types.ts';

export class AlarmDecodeError extends Error {}

type Decoder = (value: unknown, path: string) => unknown;

/** Parses one ConfigMap value. Throws AlarmDecodeError (or a YAML error) when upstream would reject the key. */
export function decodeAlarmDocument(source: string): CloudWatchAlarm[] {
  // go-yaml v2 reads YAML 1.1 (yes/no/on/off booleans, 0-prefixed octal) but leaves timestamps and
  // sexagesimal numbers as strings when decoding into interface{}; it reads only the first document.
  const documents = YAML.parseAllDocuments(source, {
    version: '1.1',
    uniqueKeys: false,
    customTags: (tags) =>
      tags.filter((tag) => {
        const t = tag as { tag?: string; format?: string };
        return t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME';
      }),
  });
  const first = documents[0];
  if (first === undefined) return [];
  if (first.errors.length > 0) throw new AlarmDecodeError(first.errors[0]!.message);
  const value: unknown = first.toJS();
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new AlarmDecodeError(`cannot unmarshal ${kind(value)} into a list of alarms`);
  return value.map((item, i) => decodeStruct(item, `[${i}]`, alarmFields) as CloudWatchAlarm);
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

function fail(path: string, message: string): never {
  throw new AlarmDecodeError(`${path}: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

// Names go-cloudformation's unmarshalFunc knows; an unknown Fn:: is an error there too.
const FUNCTIONS = new Set([
  'Ref',
  'Fn::Base64',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::If',
]);
// The functions that yield a list where a list of strings is expected.
const LIST_FUNCTIONS = new Set(['Ref', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::Split', 'Fn::If']);

function intrinsic(value: unknown, path: string, allowed: ReadonlySet<string>): Intrinsic | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  if (!name.startsWith('Fn::') && name !== 'Ref') return undefined;
  if (!FUNCTIONS.has(name)) fail(path, `unknown function ${name}`);
  if (!allowed.has(name)) fail(path, `${name} does not give a list`);
  const argument = value[name];
  if (name === 'Ref' && typeof argument !== 'string') fail(path, 'Ref needs a string');
  return { [name]: toJson(argument, path) };
}

function toJson(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'unsupported number');
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item, path));
  if (isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, path);
    return out;
  }
  // go-yaml hands !!binary to JSON as the decoded bytes.
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return fail(path, `unsupported value ${kind(value)}`);
}

const decodeString: Decoder = (value, path): StringValue => {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  const fn = intrinsic(value, path, FUNCTIONS);
  if (fn !== undefined) return fn;
  return fail(path, `cannot unmarshal ${kind(value)} into a string`);
};

const INT64_LIMIT = 2 ** 63;

const decodeInteger: Decoder = (value, path): IntegerValue => {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < INT64_LIMIT) return value;
    return fail(path, `cannot unmarshal number ${value} into an integer`);
  }
  if (typeof value === 'string') {
    // strconv.ParseInt(s, 10, 64): optional sign, decimal digits only.
    if (/^[+-]?[0-9]+$/.test(value)) {
      const n = Number(value);
      if (Math.abs(n) < INT64_LIMIT) return n === 0 ? 0 : n;
    }
    return fail(path, `cannot unmarshal string ${JSON.stringify(value)} into an integer`);
  }
  const fn = intrinsic(value, path, FUNCTIONS);
  if (fn !== undefined) return fn;
  return fail(path, `cannot unmarshal ${kind(value)} into an integer`);
};

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

const decodeBoolean: Decoder = (value, path): BooleanValue => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
    return fail(path, `cannot unmarshal string ${JSON.stringify(value)} into a boolean`);
  }
  const fn = intrinsic(value, path, FUNCTIONS);
  if (fn !== undefined) return fn;
  return fail(path, `cannot unmarshal ${kind(value)} into a boolean`);
};

const decodeStringList: Decoder = (value, path): StringListValue => {
  if (Array.isArray(value)) {
    return value.map((item, i) => (item === null ? null : (decodeString(item, `${path}[${i}]`) as StringValue)));
  }
  const fn = intrinsic(value, path, LIST_FUNCTIONS);
  if (fn !== undefined) return fn;
  // A lone string stands for a one-element list.
  return [decodeString(value, path) as StringValue];
};

function structList(fields: FieldTable): Decoder {
  return (value, path) => {
    if (isPlainObject(value)) return [decodeStruct(value, path, fields)];
    if (Array.isArray(value)) return value.map((item, i) => decodeStruct(item, `${path}[${i}]`, fields));
    return fail(path, `cannot unmarshal ${kind(value)} into a list of objects`);
  };
}

function structPointer(fields: () => FieldTable): Decoder {
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, `cannot unmarshal ${kind(value)} into an object`);
    return decodeStruct(value, path, fields());
  };
}

type FieldTable = ReadonlyArray<readonly [name: string, decode: Decoder]>;

function decodeStruct(value: unknown, path: string, fields: FieldTable): Record<string, unknown> {
  // A null element of a list of structs is the zero struct.
  if (value === null) return {};
  if (!isPlainObject(value)) fail(path, `cannot unmarshal ${kind(value)} into an object`);
  const decoded = new Map<string, unknown>();
  // ghodss/yaml hands encoding/json a map, so keys arrive in bytewise order and a later match wins.
  for (const key of Object.keys(value).sort(compareBytes)) {
    const field = fields.find(([name]) => name === key) ?? fields.find(([name]) => name.toLowerCase() === key.toLowerCase());
    if (field === undefined) continue;
    const [name, decode] = field;
    const item = value[key];
    if (item === null || item === undefined) decoded.delete(name);
    else decoded.set(name, decode(item, `${path}.${name}`));
  }
  // Field order of the result is the Go struct order, which the hash depends on.
  const result: Record<string, unknown> = {};
  for (const [name] of fields) if (decoded.has(name)) result[name] = decoded.get(name);
  return result;
}

const dimensionFields: FieldTable = [
  ['Name', decodeString],
  ['Value', decodeString],
];

const tagFields: FieldTable = [
  ['Key', decodeString],
  ['Value', decodeString],
];

const metricFields: FieldTable = [
  ['Dimensions', structList(dimensionFields)],
  ['MetricName', decodeString],
  ['Namespace', decodeString],
];

const metricStatFields: FieldTable = [
  ['Metric', structPointer(() => metricFields)],
  ['Period', decodeInteger],
  ['Stat', decodeString],
  ['Unit', decodeString],
];

const metricDataQueryFields: FieldTable = [
  ['AccountId', decodeString],
  ['Expression', decodeString],
  ['Id', decodeString],
  ['Label', decodeString],
  ['MetricStat', structPointer(() => metricStatFields)],
  ['Period', decodeInteger],
  ['ReturnData', decodeBoolean],
];

/** AWS::CloudWatch::Alarm as declared in upstream's vendored schema (Threshold is an integer there). */
const alarmFields: FieldTable = [
  ['ActionsEnabled', decodeBoolean],
  ['AlarmActions', decodeStringList],
  ['AlarmDescription', decodeString],
  ['AlarmName', decodeString],
  ['ComparisonOperator', decodeString],
  ['DatapointsToAlarm', decodeInteger],
  ['Dimensions', structList(dimensionFields)],
  ['EvaluateLowSampleCountPercentile', decodeString],
  ['EvaluationPeriods', decodeInteger],
  ['ExtendedStatistic', decodeString],
  ['InsufficientDataActions', decodeStringList],
  ['MetricName', decodeString],
  ['Metrics', structList(metricDataQueryFields)],
  ['Namespace', decodeString],
  ['OKActions', decodeStringList],
  ['Period', decodeInteger],
  ['Statistic', decodeString],
  ['Tags', structList(tagFields)],
  ['Threshold', decodeInteger],
  ['ThresholdMetricId', decodeString],
  ['TreatMissingData', decodeString],
  ['Unit', decodeString],
];
