import { describe, expect, it } from 'vitest';
import { autoScalingGroupConditions, instanceFilters, matchesConditions } from '../../../../services/aws/targets/filters.ts';

const tags = (t: Record<string, string>) => new Map(Object.entries(t));
const targeted = (custom: Parameters<typeof autoScalingGroupConditions>[1], t: Record<string, string>) =>
  matchesConditions(tags(t), autoScalingGroupConditions('kube-1', custom));

describe('instanceFilters', () => {
  it('defaults to the cluster tag and the node role tag', () => {
    expect(instanceFilters('kube-1', undefined)).toEqual([
      { Name: 'tag:kubernetes.io/cluster/kube-1', Values: ['owned'] },
      { Name: 'tag-key', Values: ['k8s.io/role/node'] },
    ]);
  });

  it('passes CUSTOM_FILTERS through unchanged, an empty list included', () => {
    expect(instanceFilters('kube-1', [{ name: 'vpc-id', values: ['vpc-1'] }])).toEqual([{ Name: 'vpc-id', Values: ['vpc-1'] }]);
    expect(instanceFilters('kube-1', [])).toEqual([]);
  });
});

describe('ASG tag conditions', () => {
  it('default: the cluster tag must be owned', () => {
    expect(targeted(undefined, { 'kubernetes.io/cluster/kube-1': 'owned' })).toBe(true);
    expect(targeted(undefined, { 'kubernetes.io/cluster/kube-1': 'shared' })).toBe(false);
    expect(targeted(undefined, {})).toBe(false);
  });

  it('tag-key needs the key with any value; several keys mean any of them', () => {
    expect(targeted([{ name: 'tag-key', values: ['pool'] }], { pool: '' })).toBe(true);
    expect(targeted([{ name: 'tag-key', values: ['pool'] }], { other: 'x' })).toBe(false);
    expect(targeted([{ name: 'tag-key', values: ['a', 'b'] }], { b: '1' })).toBe(true);
  });

  it('tag:K needs one of the values exactly', () => {
    const custom = [{ name: 'tag:pool', values: ['ingress', 'edge'] }];
    expect(targeted(custom, { pool: 'edge' })).toBe(true);
    expect(targeted(custom, { pool: 'Edge' })).toBe(false);
    expect(targeted(custom, { pool: 'edg*' })).toBe(false);
    expect(targeted(custom, {})).toBe(false);
  });

  it('any other filter name is read as a tag key', () => {
    const custom = [{ name: 'vpc-id', values: ['vpc-1'] }];
    expect(targeted(custom, { 'vpc-id': 'vpc-1' })).toBe(true);
    expect(targeted(custom, {})).toBe(false);
  });

  it('all terms must hold; no term at all targets every ASG', () => {
    const custom = [{ name: 'tag:pool', values: ['ingress'] }, { name: 'tag-key', values: ['k8s.io/role/node'] }];
    expect(targeted(custom, { pool: 'ingress', 'k8s.io/role/node': '' })).toBe(true);
    expect(targeted(custom, { pool: 'ingress' })).toBe(false);
    expect(targeted([], {})).toBe(true);
  });
});
