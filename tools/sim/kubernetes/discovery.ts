// Discovery documents in the legacy (non-aggregated) format, which every client falls back to when the
// answer is plain application/json. RouteGroups appear only while their CRD is "installed".
import { apiVersionOf, groupVersions, resourceTypes, ROUTEGROUP_GROUP, standardVerbs, type ResourceType } from './resources.ts';

export const SIMULATED_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.5-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface DiscoveryContext {
  routeGroupsEnabled: boolean;
  serverAddress: string;
}

function served(t: ResourceType, ctx: DiscoveryContext): boolean {
  return ctx.routeGroupsEnabled || t.group !== ROUTEGROUP_GROUP;
}

function servedGroupVersions(ctx: DiscoveryContext): { group: string; version: string }[] {
  return groupVersions().filter((gv) => gv.group !== '' && (ctx.routeGroupsEnabled || gv.group !== ROUTEGROUP_GROUP));
}

export function legacyVersions(ctx: DiscoveryContext): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: ctx.serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): unknown {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function groupList(ctx: DiscoveryContext): unknown {
  const byGroup = new Map<string, string[]>();
  for (const gv of servedGroupVersions(ctx)) byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv.version]);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...byGroup.entries()].map(([group, versions]) => groupEntry(group, versions)),
  };
}

/** undefined when the group is not served (a 404). */
export function group(name: string, ctx: DiscoveryContext): unknown {
  const versions = servedGroupVersions(ctx).filter((gv) => gv.group === name).map((gv) => gv.version);
  if (versions.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(name, versions) as object) };
}

/** undefined when the group/version is not served (a 404). */
export function resourceList(groupName: string, version: string, ctx: DiscoveryContext): unknown {
  const types = resourceTypes.filter((t) => t.group === groupName && t.version === version && served(t, ctx));
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      // kube-apiserver offers no deletecollection on namespaces.
      verbs: standardVerbs.filter((v) => t.kind !== 'Namespace' || v !== 'deletecollection'),
      ...(t.shortNames.length ? { shortNames: [...t.shortNames] } : {}),
    });
    if (t.hasStatus) {
      resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(types[0]!), resources };
}

export function rootPaths(ctx: DiscoveryContext): unknown {
  const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'];
  for (const gv of servedGroupVersions(ctx)) paths.push(`/apis/${gv.group}`, `/apis/${gv.group}/${gv.version}`);
  return { paths: [...new Set(paths)].sort() };
}
