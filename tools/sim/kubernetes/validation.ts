// The part of kube-apiserver's validation a controller can trip over: object names and the fields an Event
// must carry. Anything found becomes a 422 Invalid with one cause per problem.
import { isObject, type JsonObject } from './json.ts';
import type { ResourceType } from './resources.ts';

export interface Cause {
  field: string;
  message: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateName(type: ResourceType, name: string): Cause[] {
  if (!name) return [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }];
  // Namespaces are DNS labels; everything served here is a DNS subdomain.
  const label = type.kind === 'Namespace';
  const ok = label ? DNS_LABEL.test(name) && name.length <= 63 : DNS_SUBDOMAIN.test(name) && name.length <= 253;
  if (ok) return [];
  return [{
    field: 'metadata.name',
    message: `Invalid value: "${name}": a lowercase RFC 1123 ${label ? 'label' : 'subdomain'} must consist of lower ` +
      "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  }];
}

function required(obj: JsonObject, field: string, causes: Cause[]): void {
  const value = obj[field];
  if (value === undefined || value === null || value === '') causes.push({ field, message: 'Required value' });
}

function regardingNamespaceMatches(obj: JsonObject, refField: string, namespace: unknown, causes: Cause[]): void {
  const ref = obj[refField];
  if (isObject(ref) && ref.namespace && namespace && ref.namespace !== namespace) {
    causes.push({ field: `${refField}.namespace`, message: `Invalid value: "${String(ref.namespace)}": does not match event.namespace` });
  }
}

/** `obj` is in the requested version's shape (events.k8s.io/v1 fields for that API). */
export function validateObject(type: ResourceType, obj: JsonObject): Cause[] {
  const causes: Cause[] = [];
  const namespace = isObject(obj.metadata) ? obj.metadata.namespace : undefined;
  if (type.kind === 'Event' && type.group === 'events.k8s.io') {
    // events.k8s.io/v1 is strict about the new-style fields, which is what catches half-filled events.
    for (const field of ['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason']) {
      required(obj, field, causes);
    }
    if (obj.type !== 'Normal' && obj.type !== 'Warning') {
      causes.push({ field: 'type', message: `Unsupported value: ${JSON.stringify(obj.type ?? '')}: supported values: "Normal", "Warning"` });
    }
    regardingNamespaceMatches(obj, 'regarding', namespace, causes);
  } else if (type.kind === 'Event') {
    regardingNamespaceMatches(obj, 'involvedObject', namespace, causes);
    if (obj.type !== undefined && obj.type !== '' && obj.type !== 'Normal' && obj.type !== 'Warning') {
      causes.push({ field: 'type', message: `Unsupported value: ${JSON.stringify(obj.type)}: supported values: "Normal", "Warning"` });
    }
  } else if (type.kind === 'Lease' && isObject(obj.spec)) {
    // MicroTime: kube-apiserver refuses anything but six fractional digits (a JavaScript Date has three).
    for (const field of ['acquireTime', 'renewTime'] as const) {
      const t = obj.spec[field];
      if (t !== undefined && t !== null && !(typeof t === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/.test(t))) {
        causes.push({ field: `spec.${field}`, message: `Invalid value: ${JSON.stringify(t)}: must be a MicroTime (RFC 3339 with 6 fractional digits)` });
      }
    }
    const d = obj.spec.leaseDurationSeconds;
    if (d !== undefined && d !== null && (typeof d !== 'number' || d <= 0)) {
      causes.push({ field: 'spec.leaseDurationSeconds', message: 'Invalid value: must be greater than 0' });
    }
  }
  return causes;
}
