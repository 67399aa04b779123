// Wire-protocol helpers shared by every simulated AWS service: request decoding and response encoding for
// the awsQuery (CloudFormation, ELBv2, Auto Scaling, IAM), ec2Query (EC2) and JSON 1.1 (ACM) protocols.

/** An error answered in the service's own error shape, so the SDK raises the real typed exception. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    readonly type: 'Sender' | 'Receiver' = httpStatus >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

export type Protocol = 'query' | 'ec2' | 'json';

/**
 * Decode a form-encoded query body into nested values. Numeric path segments are list indices (1-based) and
 * `member` / `entry` segments are dropped, so both awsQuery lists (`Tags.member.1.Key`) and ec2Query flattened
 * lists (`InstanceId.1`, `Filter.1.Value.2`) become arrays: { Tags: [{ Key }] }, { Filter: [{ Value: [..] }] }.
 * `Action` and `Version` are removed.
 */
export function decodeQuery(body: string): Record<string, unknown> {
  const params = new URLSearchParams(body);
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const segments = key.split('.').filter((s) => s !== 'member' && s !== 'entry');
    let node: any = root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const last = i === segments.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(segments[i + 1]!);
      const slot: string | number = /^\d+$/.test(seg) ? Number(seg) - 1 : seg;
      if (last) {
        node[slot] = value;
      } else {
        if (node[slot] === undefined) node[slot] = nextIsIndex ? [] : {};
        node = node[slot];
      }
    }
  }
  return compactArrays(root) as Record<string, unknown>;
}

function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactArrays);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = compactArrays(v);
    return out;
  }
  return value;
}

/** Read a decoded list that may be absent. */
export function list<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** Throw the AWS "missing parameter" error when a required member is absent. */
export function required(input: Record<string, unknown>, name: string, protocol: Protocol = 'query'): string {
  const v = input[name];
  if (v === undefined || v === null || v === '') {
    if (protocol === 'ec2') throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
    if (protocol === 'json') throw new AwsError('ValidationException', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    throw new AwsError('ValidationError', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  return String(v);
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/**
 * Encode a JS value as XML elements. Arrays become `<member>` (query) or `<item>` (ec2) children; Dates become
 * ISO-8601; booleans and numbers become text; null/undefined members are omitted.
 */
export function toXml(value: unknown, listItem: 'member' | 'item'): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${toXml(v, listItem)}</${listItem}>`).join('');
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${toXml(v, listItem)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

const QUERY_NAMESPACES: Record<string, string> = {
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  elasticloadbalancing: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  autoscaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** awsQuery success body: the `<{Op}Result>` wrapper is mandatory (without it the SDK silently returns {}). */
export function queryResponse(service: string, action: string, result: unknown, requestId: string): string {
  const ns = QUERY_NAMESPACES[service] ?? '';
  const body = result === undefined ? '' : `<${action}Result>${toXml(result, 'member')}</${action}Result>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** ec2Query success body: no Result wrapper; lists are `<item>` sets with lowerCamel names. */
export function ec2Response(action: string, result: unknown, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>${toXml(result, 'item')}</${action}Response>`;
}

export function queryError(err: AwsError, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${err.type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export function ec2Error(err: AwsError, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

export function jsonError(err: AwsError): string {
  return JSON.stringify({ __type: err.code, message: err.message });
}

/** Error codes each protocol uses for throttling (the SDK retries all of these). */
export function throttlingError(protocol: Protocol): AwsError {
  if (protocol === 'ec2') return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
  if (protocol === 'json') return new AwsError('ThrottlingException', 'Rate exceeded', 400);
  return new AwsError('Throttling', 'Rate exceeded', 400);
}

/** Match a stack name against a behaviour glob (`*` any run, `?` one character). */
export function globMatch(glob: string, name: string): boolean {
  const re = new RegExp('^' + glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$');
  return re.test(name);
}

/** Paginate a list with an opaque numeric NextToken. */
export function paginate<T>(items: T[], token: unknown, pageSize: number): { page: T[]; next: string | undefined } {
  const start = token ? Number(String(token).replace(/^p/, '')) || 0 : 0;
  const page = items.slice(start, start + pageSize);
  const next = start + pageSize < items.length ? `p${start + pageSize}` : undefined;
  return { page, next };
}
