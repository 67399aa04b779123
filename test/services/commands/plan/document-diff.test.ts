import { describe, expect, it } from 'vitest';
import {
  appendKey, diffDocuments, diffRecords, diffTemplates, EMPTY_DOCUMENT, formatChanges, formatDocumentDiff, formatValue, isEmptyDiff,
  type Change,
} from '../../../../services/commands/plan/document-diff.ts';

const lb = (timeout: string) => ({
  Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  Properties: { LoadBalancerAttributes: [{ Key: 'idle_timeout.timeout_seconds', Value: timeout }], Scheme: 'internet-facing' },
});

describe('diffRecords (parameters and tags)', () => {
  const cases: { name: string; before: Record<string, string>; after: Record<string, string>; expected: Change[] }[] = [
    { name: 'equal records', before: { A: '1', B: '2' }, after: { B: '2', A: '1' }, expected: [] },
    { name: 'a changed value', before: { HTTP2: 'true' }, after: { HTTP2: 'false' }, expected: [{ kind: 'changed', path: 'HTTP2', before: 'true', after: 'false' }] },
    { name: 'an added key', before: {}, after: { Type: 'application' }, expected: [{ kind: 'added', path: 'Type', after: 'application' }] },
    { name: 'a removed key', before: { Old: 'x' }, after: {}, expected: [{ kind: 'removed', path: 'Old', before: 'x' }] },
    { name: 'empty string is a value, not absence', before: { W: '' }, after: {}, expected: [{ kind: 'removed', path: 'W', before: '' }] },
    {
      name: 'keys in code-unit order, tag keys verbatim',
      before: { 'kubernetes:application': 'a', 'ingress:certificate-arn/arn:1': '0001-01-01T00:00:00Z' },
      after: { 'kubernetes:application': 'b', 'ingress:certificate-arn/arn:1': '2026-03-02T00:00:00Z' },
      expected: [
        { kind: 'changed', path: 'ingress:certificate-arn/arn:1', before: '0001-01-01T00:00:00Z', after: '2026-03-02T00:00:00Z' },
        { kind: 'changed', path: 'kubernetes:application', before: 'a', after: 'b' },
      ],
    },
  ];
  it.each(cases)('$name', ({ before, after, expected }) => {
    expect(diffRecords(before, after)).toEqual(expected);
  });
});

describe('diffTemplates', () => {
  const cases: { name: string; before: unknown; after: unknown; expected: Change[] }[] = [
    { name: 'equal templates, keys in another order', before: { Resources: { LB: lb('60') }, A: 1 }, after: { A: 1, Resources: { LB: lb('60') } }, expected: [] },
    {
      name: 'a value inside an array, by index',
      before: { Resources: { LB: lb('120') } }, after: { Resources: { LB: lb('60') } },
      expected: [{ kind: 'changed', path: 'Resources.LB.Properties.LoadBalancerAttributes[0].Value', before: '120', after: '60' }],
    },
    {
      name: 'an added resource is one change, by logical id',
      before: { Resources: { LB: lb('60') } }, after: { Resources: { LB: lb('60'), TG: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' } } },
      expected: [{ kind: 'added', path: 'Resources.TG', after: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' } }],
    },
    {
      name: 'a removed resource is one change, by logical id',
      before: { Resources: { LB: lb('60'), Old: { Type: 'AWS::X::Y' } } }, after: { Resources: { LB: lb('60') } },
      expected: [{ kind: 'removed', path: 'Resources.Old', before: { Type: 'AWS::X::Y' } }],
    },
    {
      name: 'a missing Resources section still lists resources one by one',
      before: {}, after: { Resources: { LB: lb('60') } },
      expected: [{ kind: 'added', path: 'Resources.LB', after: lb('60') }],
    },
    {
      name: 'a longer array: the extra elements are added',
      before: { L: ['a'] }, after: { L: ['a', 'b', 'c'] },
      expected: [{ kind: 'added', path: 'L[1]', after: 'b' }, { kind: 'added', path: 'L[2]', after: 'c' }],
    },
    {
      name: 'a shorter array: the missing elements are removed',
      before: { L: [{ K: 1 }, { K: 2 }] }, after: { L: [{ K: 1 }] },
      expected: [{ kind: 'removed', path: 'L[1]', before: { K: 2 } }],
    },
    {
      name: 'a value that changes shape is one change',
      before: { Outputs: { X: { Value: { Ref: 'LB' } } } }, after: { Outputs: { X: { Value: 'literal' } } },
      expected: [{ kind: 'changed', path: 'Outputs.X.Value', before: { Ref: 'LB' }, after: 'literal' }],
    },
    {
      name: 'an object turned into an array is one change',
      before: { P: { a: 1 } }, after: { P: [1] },
      expected: [{ kind: 'changed', path: 'P', before: { a: 1 }, after: [1] }],
    },
    { name: 'numbers and strings differ, as JSON values', before: { N: 60 }, after: { N: '60' }, expected: [{ kind: 'changed', path: 'N', before: 60, after: '60' }] },
    { name: 'undefined-valued keys count as absent', before: { A: 1, B: undefined }, after: { A: 1 }, expected: [] },
    {
      name: 'keys that are not identifiers are quoted',
      before: { Resources: { 'odd-id': { Type: 'T', Properties: { 'a.b': 1 } } } }, after: { Resources: { 'odd-id': { Type: 'T', Properties: { 'a.b': 2 } } } },
      expected: [{ kind: 'changed', path: 'Resources["odd-id"].Properties["a.b"]', before: 1, after: 2 }],
    },
    {
      name: 'an unparsable live template is one whole-template change',
      before: 'Resources:\n  LB: {}', after: { Resources: {} },
      expected: [{ kind: 'changed', path: '', before: 'Resources:\n  LB: {}', after: { Resources: {} } }],
    },
  ];
  it.each(cases)('$name', ({ before, after, expected }) => {
    expect(diffTemplates(before, after)).toEqual(expected);
  });
});

describe('diffDocuments', () => {
  it('is empty exactly for equal documents', () => {
    const doc = { template: { Resources: { LB: lb('60') } }, parameters: { A: '1' }, tags: { T: 'x' } };
    expect(isEmptyDiff(diffDocuments(doc, structuredClone(doc)))).toBe(true);
    expect(isEmptyDiff(diffDocuments(doc, { ...doc, tags: { T: 'y' } }))).toBe(false);
  });

  it('from the empty document lists every parameter, tag and resource as added', () => {
    const diff = diffDocuments(EMPTY_DOCUMENT, { template: { Resources: { LB: lb('60') } }, parameters: { A: '1' }, tags: { T: 'x' } });
    expect(diff.parameters).toEqual([{ kind: 'added', path: 'A', after: '1' }]);
    expect(diff.tags).toEqual([{ kind: 'added', path: 'T', after: 'x' }]);
    expect(diff.template.map((c) => c.path)).toEqual(['Resources.LB']);
  });
});

describe('formatting', () => {
  const lines: { name: string; change: Change; expected: string }[] = [
    { name: 'changed', change: { kind: 'changed', path: 'Resources.LB.Properties.LoadBalancerAttributes[0].Value', before: '60', after: '120' }, expected: '~ Resources.LB.Properties.LoadBalancerAttributes[0].Value: "60" -> "120"' },
    { name: 'added resource shows its type', change: { kind: 'added', path: 'Resources.TG', after: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: {} } }, expected: '+ Resources.TG (AWS::ElasticLoadBalancingV2::TargetGroup)' },
    { name: 'removed resource shows its type', change: { kind: 'removed', path: 'Resources["odd-id"]', before: { Type: 'AWS::X::Y' } }, expected: '- Resources["odd-id"] (AWS::X::Y)' },
    { name: 'added property shows its value', change: { kind: 'added', path: 'Resources.LB.Properties.Name', after: 'x' }, expected: '+ Resources.LB.Properties.Name: "x"' },
    { name: 'removed parameter', change: { kind: 'removed', path: 'Old', before: 'v' }, expected: '- Old: "v"' },
    { name: 'whole template', change: { kind: 'changed', path: '', before: 'a', after: { B: 1 } }, expected: '~ (whole template): "a" -> {"B":1}' },
  ];
  it.each(lines)('$name', ({ change, expected }) => {
    expect(formatChanges([change])).toEqual([expected]);
  });

  it('cuts long values with an ellipsis', () => {
    expect(formatValue('x'.repeat(200), 20)).toBe(`"${'x'.repeat(18)}…`);
    expect(formatValue('x'.repeat(200), 20)).toHaveLength(20);
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });

  it('groups a document diff by section and skips empty sections', () => {
    const diff = { parameters: [{ kind: 'changed', path: 'HTTP2', before: 'true', after: 'false' }] as Change[], tags: [], template: [{ kind: 'added', path: 'Resources.X', after: { Type: 'T' } }] as Change[] };
    expect(formatDocumentDiff(diff, { indent: '  ' })).toEqual([
      '  parameters:', '    ~ HTTP2: "true" -> "false"',
      '  template:', '    + Resources.X (T)',
    ]);
  });

  it('builds paths that read back unambiguously', () => {
    expect(appendKey('', 'Resources')).toBe('Resources');
    expect(appendKey('Resources', 'LB')).toBe('Resources.LB');
    expect(appendKey('Tags', 'kubernetes:application')).toBe('Tags["kubernetes:application"]');
  });
});
