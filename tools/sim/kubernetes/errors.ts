// Failures leave the simulator the way kube-apiserver sends them: a `Status` object whose `code` equals the
// HTTP status, so the client's ApiException carries both `.code` and a parseable `.body`.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message: string; field?: string }[];
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

// Reasons the real apiserver pairs with each code when nothing more specific applies.
const defaultReasons: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, message: string, reason?: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason ?? defaultReasons[code] ?? 'Unknown';
    this.details = details;
  }

  toStatus(): StatusObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** How a resource is named in messages: `ingresses.networking.k8s.io`, or just `pods` for the core group. */
export interface QualifiedResource {
  group: string;
  plural: string;
  kind: string;
}

function qualified(r: QualifiedResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function details(r: QualifiedResource, name: string): StatusDetails {
  return { name, ...(r.group ? { group: r.group } : {}), kind: r.plural };
}

export function notFound(r: QualifiedResource, name: string): ApiError {
  return new ApiError(404, `${qualified(r)} "${name}" not found`, 'NotFound', details(r, name));
}

export function alreadyExists(r: QualifiedResource, name: string): ApiError {
  return new ApiError(409, `${qualified(r)} "${name}" already exists`, 'AlreadyExists', details(r, name));
}

export function conflict(r: QualifiedResource, name: string): ApiError {
  return new ApiError(
    409,
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; ` +
      'please apply your changes to the latest version and try again',
    'Conflict',
    details(r, name),
  );
}

export function invalid(r: QualifiedResource, name: string, causes: { field: string; message: string }[]): ApiError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new ApiError(422, `${r.kind}${r.group ? `.${r.group}` : ''} "${name}" is invalid: ${summary}`, 'Invalid', {
    ...details(r, name),
    kind: r.kind,
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, message, 'BadRequest');
}

export function resourceNotServed(): ApiError {
  return new ApiError(404, 'the server could not find the requested resource', 'NotFound', {});
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, `the server does not allow this method on the requested resource (${method})`);
}

export function unsupportedMediaType(contentType: string | undefined, accepted: readonly string[]): ApiError {
  return new ApiError(
    415,
    `the body of the request was in an unknown format (${contentType ?? 'none'}) - accepted media types include: ${accepted.join(', ')}`,
    'UnsupportedMediaType',
  );
}

export function expired(requested: string, oldest: number): ApiError {
  return new ApiError(410, `too old resource version: ${requested} (${oldest})`, 'Expired');
}

/** A Status for an arbitrary injected code, with the reason kube-apiserver uses for it. */
export function fromCode(code: number, message?: string): ApiError {
  return new ApiError(code, message ?? `injected failure (${code})`);
}
