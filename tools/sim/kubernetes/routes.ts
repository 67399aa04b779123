// URL layout of the Kubernetes API, turned into what a request addresses. Unknown shapes come back as
// `unknown` and become 404s.
import { findByPlural, type ResourceType } from './resources.ts';

export type Route =
  | { kind: 'root' }
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'legacyVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | {
      kind: 'resource';
      type: ResourceType;
      /** undefined for cluster-scoped types and for a namespaced type across all namespaces. */
      namespace: string | undefined;
      name: string | undefined;
      subresource: string | undefined;
    }
  | { kind: 'unknown' };

function resource(group: string, version: string, rest: string[]): Route {
  const [first, second, third, fourth, fifth, ...extra] = rest;
  if (first === undefined) return { kind: 'resourceList', group, version };
  if (first === 'namespaces' && second !== undefined && third !== undefined) {
    const namespaced = findByPlural(group, version, third);
    if (namespaced?.namespaced && extra.length === 0) {
      return { kind: 'resource', type: namespaced, namespace: second, name: fourth, subresource: fifth };
    }
  }
  const type = findByPlural(group, version, first);
  if (!type || fourth !== undefined) return { kind: 'unknown' };
  return { kind: 'resource', type, namespace: undefined, name: second, subresource: third };
}

export function parseRoute(pathname: string): Route {
  const segments = pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const [head, a, b, ...rest] = segments;
  switch (head) {
    case undefined:
      return { kind: 'root' };
    case 'version':
      return segments.length === 1 ? { kind: 'version' } : { kind: 'unknown' };
    case 'healthz':
    case 'readyz':
    case 'livez':
      return { kind: 'health' };
    case 'api':
      if (a === undefined) return { kind: 'legacyVersions' };
      return a === 'v1' ? resource('', 'v1', b === undefined ? [] : [b, ...rest]) : { kind: 'unknown' };
    case 'apis':
      if (a === undefined) return { kind: 'groupList' };
      if (b === undefined) return { kind: 'group', group: a };
      return resource(a, b, rest);
    default:
      return { kind: 'unknown' };
  }
}

/** The path with namespace and name replaced by placeholders: the key for counting reads. */
export function routePattern(route: Route, pathname: string): string {
  if (route.kind !== 'resource') return pathname;
  const t = route.type;
  let p = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  if (route.namespace !== undefined) p += '/namespaces/{namespace}';
  p += `/${t.plural}`;
  if (route.name !== undefined) p += '/{name}';
  if (route.subresource !== undefined) p += `/${route.subresource}`;
  return p;
}
