// The resource types the simulator serves, described once and used by routing, discovery, storage and
// validation alike.
import { coreToEventsV1, eventsV1ToCore } from './event-conversion.ts';
import type { JsonObject } from './json.ts';

export interface ResourceType {
  /** '' for the core (legacy) group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Has a `status` subresource: main-resource writes keep the stored status, status writes change only it. */
  readonly hasStatus: boolean;
  /**
   * Served from a CustomResourceDefinition. Such resources behave a little differently in kube-apiserver:
   * list items carry kind/apiVersion, strategic merge patch is refused, DELETE answers with the object.
   */
  readonly custom: boolean;
  readonly shortNames: readonly string[];
  /** Types sharing a storage key are one set of objects seen through different API versions. */
  readonly storage: string;
  /** Converts a request body of this version into the stored form (and back). Identity when absent. */
  readonly toStorage?: (obj: JsonObject) => JsonObject;
  readonly fromStorage?: (obj: JsonObject) => JsonObject;
}

export const standardVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

function type(
  group: string, version: string, plural: string, kind: string,
  extra: Partial<Omit<ResourceType, 'group' | 'version' | 'plural' | 'kind'>> = {},
): ResourceType {
  return {
    group, version, plural, kind,
    singular: kind.toLowerCase(),
    namespaced: true,
    hasStatus: false,
    custom: false,
    shortNames: [],
    storage: `${group}/${plural}`,
    ...extra,
  };
}

export const ROUTEGROUP_GROUP = 'zalando.org';

export const resourceTypes: readonly ResourceType[] = [
  type('', 'v1', 'namespaces', 'Namespace', { namespaced: false, hasStatus: true, shortNames: ['ns'] }),
  type('', 'v1', 'pods', 'Pod', { hasStatus: true, shortNames: ['po'] }),
  type('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  type('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  type('networking.k8s.io', 'v1', 'ingresses', 'Ingress', { hasStatus: true, shortNames: ['ing'] }),
  type('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { namespaced: false }),
  type(ROUTEGROUP_GROUP, 'v1', 'routegroups', 'RouteGroup', { hasStatus: true, custom: true, shortNames: ['rg', 'rgs'] }),
  type('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  type('events.k8s.io', 'v1', 'events', 'Event', {
    shortNames: ['ev'], storage: '/events', toStorage: eventsV1ToCore, fromStorage: coreToEventsV1,
  }),
];

export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const t of resourceTypes) seen.set(apiVersionOf(t), { group: t.group, version: t.version });
  return [...seen.values()];
}

export function findByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.group === group && t.version === version && t.plural === plural);
}

/**
 * Resolves a manifest's apiVersion/kind. Without an apiVersion the first type of that kind wins, which makes
 * `Event` mean core/v1 events.
 */
export function findByKind(kind: string, apiVersion?: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.kind === kind && (apiVersion === undefined || apiVersionOf(t) === apiVersion));
}
