// The AWS CNI diff for one ip target group: register the endpoint IPs it lacks, deregister the targets that
// are no endpoint. An empty endpoint set is missing information, never "deregister everything": the group is
// left as it is (like the zero-certificates guard).

export type CniTargetPlan =
  | { readonly kind: 'sync'; readonly register: string[]; readonly deregister: string[] }
  | { readonly kind: 'no-endpoints' };

export function planCniTargets(endpoints: readonly string[], registered: readonly string[]): CniTargetPlan {
  if (endpoints.length === 0) return { kind: 'no-endpoints' };
  const want = new Set(endpoints);
  const have = new Set(registered);
  return {
    kind: 'sync',
    register: [...want].filter((ip) => !have.has(ip)).sort(),
    deregister: [...have].filter((ip) => !want.has(ip)).sort(),
  };
}
