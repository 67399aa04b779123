import { describe, expect, it } from 'vitest';
import { normalizeClusterId, stackName } from '../../../../services/planning/template/stack-name.ts';
import { selectSubnets, type SubnetSummary } from '../../../../services/planning/template/subnets.ts';
import { CLUSTER_ID, SUBNETS } from './fixtures.ts';

function subnet(id: string, az: string, isPublic: boolean, tags: Record<string, string> = {}): SubnetSummary {
  return { id, availabilityZone: az, public: isPublic, tags };
}

const owned = { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'shared' };

describe('selectSubnets', () => {
  it('uses public subnets only for internet-facing load balancers', () => {
    expect(selectSubnets(SUBNETS, 'internet-facing', CLUSTER_ID)).toEqual(['subnet-a1', 'subnet-b1']);
  });

  it('uses every subnet for internal ones, preferring the internal-elb role', () => {
    expect(selectSubnets(SUBNETS, 'internal', CLUSTER_ID)).toEqual(['subnet-a2', 'subnet-b1']);
  });

  it('takes the smallest ID per zone when the role tag does not decide', () => {
    const subnets = [subnet('subnet-z', 'a', true, owned), subnet('subnet-m', 'a', true, owned), subnet('subnet-c', 'b', true, owned)];
    expect(selectSubnets(subnets, 'internet-facing', CLUSTER_ID)).toEqual(['subnet-c', 'subnet-m']);
  });

  it('prefers the role tag over a smaller ID, whatever the tag value', () => {
    const subnets = [
      subnet('subnet-1', 'a', true, owned),
      subnet('subnet-9', 'a', true, { ...owned, 'kubernetes.io/role/elb': '0' }),
    ];
    expect(selectSubnets(subnets, 'internet-facing', CLUSTER_ID)).toEqual(['subnet-9']);
  });

  it('ignores subnets of other clusters, unless no subnet carries the cluster tag', () => {
    const mixed = [subnet('subnet-mine', 'a', true, owned), subnet('subnet-other', 'b', true, { 'kubernetes.io/cluster/x': 'owned' })];
    expect(selectSubnets(mixed, 'internet-facing', CLUSTER_ID)).toEqual(['subnet-mine']);
    const untagged = [subnet('subnet-2', 'b', true), subnet('subnet-1', 'a', true), subnet('subnet-3', 'c', false)];
    expect(selectSubnets(untagged, 'internet-facing', CLUSTER_ID)).toEqual(['subnet-1', 'subnet-2']);
  });

  it('returns nothing when nothing fits', () => {
    expect(selectSubnets([subnet('subnet-1', 'a', false, owned)], 'internet-facing', CLUSTER_ID)).toEqual([]);
  });
});

describe('stackName', () => {
  const uuid = '0b0e6c4a-5d2b-4d8e-9f3a-1c2d3e4f5a6b';

  it('normalises the cluster ID', () => {
    expect(stackName(CLUSTER_ID, uuid)).toBe(`kube-ingress-aws-controller-aws-123-eu-central-1-kube-1-${uuid}`);
    expect(normalizeClusterId('--a__b::c--')).toBe('a-b-c');
  });

  it('keeps the last 63 characters and stays within 128', () => {
    const long = `${'x'.repeat(100)}:tail`;
    const normalized = normalizeClusterId(long);
    expect(normalized).toBe(`${'x'.repeat(58)}-tail`);
    expect(stackName(long, uuid).length).toBe(128);
  });

  it('trims separators exposed by the cut', () => {
    expect(normalizeClusterId(`a-${'b'.repeat(62)}`)).toBe('b'.repeat(62));
    expect(normalizeClusterId(`${'x'.repeat(70)}:`)).toBe('x'.repeat(62));
  });
});
