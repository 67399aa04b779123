// Input AWS would refuse is stopped at parsing with a message naming the field; input of the wrong JSON type is
// a warning naming the field; long values are quoted with their length, never whole.
import { describe, expect, it } from 'vitest';
import { parseIngress } from '../../../services/kubernetes/ingress-parser.ts';
import { boundMessage, quoteValue } from '../../../services/kubernetes/bounded-text.ts';
import { testConfig } from '../planning/model/builders.ts';

const SG = 'zalando.org/aws-load-balancer-security-group';
const WAF = 'zalando.org/aws-waf-web-acl-id';

const ingress = (overrides: { annotations?: unknown; spec?: unknown; name?: string } = {}) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
  metadata: { name: overrides.name ?? 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '1', annotations: overrides.annotations ?? {} },
  spec: 'spec' in overrides ? overrides.spec : { rules: [{ host: 'foo.example.org' }] },
});
const parse = (obj: unknown, kind: 'Ingress' | 'RouteGroup' = 'Ingress') => parseIngress(obj, kind, testConfig());
const errorsOf = (obj: unknown) => {
  const r = parse(obj);
  return r.ok ? [] : r.errors;
};
const warningsOf = (obj: unknown, kind: 'Ingress' | 'RouteGroup' = 'Ingress') => {
  const r = parse(obj, kind);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.ingress.warnings;
};

describe('values AWS would refuse are rejected before any stack', () => {
  it.each([
    ['empty security group', { [SG]: '' }, SG],
    ['garbage security group', { [SG]: 'my group!' }, SG],
    ['security group list with a space', { [SG]: 'sg-1, sg-2' }, SG],
    ['garbage WAF id', { [WAF]: 'not a waf id' }, WAF],
    ['WAFv2 ARN of another kind', { [WAF]: 'arn:aws:wafv2:eu-central-1:123456789012:global/webacl/a/b' }, WAF],
  ])('%s', (_why, annotations, field) => {
    const errors = errorsOf(ingress({ annotations }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`annotation ${field}`);
  });

  it.each([
    ['one security group', { [SG]: 'sg-0123456789abcdef0' }],
    ['a list of security groups', { [SG]: 'sg-01234567,sg-89abcdef' }],
    ['WAF Classic id', { [WAF]: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' }],
    ['WAFv2 ARN', { [WAF]: 'arn:aws:wafv2:eu-central-1:123456789012:regional/webacl/ingress/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222' }],
    ['empty WAF annotation (no WAF)', { [WAF]: '' }],
  ])('%s is accepted', (_why, annotations) => {
    expect(errorsOf(ingress({ annotations }))).toEqual([]);
  });

  it('a dedicated ingress whose ingress:owner tag would pass 256 characters', () => {
    const name = 'x'.repeat(253);
    const errors = errorsOf(ingress({ name, annotations: { 'zalando.org/aws-load-balancer-shared': 'false' } }));
    expect(errors[0]).toMatch(/ingress:owner=shop\/x+, 258 characters, and AWS allows 256/);
    // Shared, the name is in no tag.
    expect(errorsOf(ingress({ name }))).toEqual([]);
  });
});

describe('hosts that can never be served', () => {
  const withHosts = (...hosts: unknown[]) => ingress({ spec: { rules: hosts.map((host) => ({ host })) } });
  const hostsOf = (obj: unknown) => {
    const r = parse(obj);
    return r.ok ? r.ingress.hostnames : [];
  };

  it('drops an overlong host, a label over 63 characters, bad characters and non-ASCII names, naming the field', () => {
    const obj = withHosts(`${'a'.repeat(100)}.example.org`, `${'a.'.repeat(130)}org`, 'bad_host!.example.org', 'bücher.example.org', 'ok.example.org');
    expect(hostsOf(obj)).toEqual(['ok.example.org']);
    const warnings = warningsOf(obj);
    expect(warnings[0]).toMatch(/^spec\.rules\[0\]\.host "a+"… \(112 characters\) has a label of 100 characters/);
    expect(warnings[1]).toMatch(/^spec\.rules\[1\]\.host .* is 263 characters long/);
    expect(warnings[2]).toMatch(/^spec\.rules\[2\]\.host "bad_host!\.example\.org" has characters a DNS name cannot have/);
    expect(warnings[3]).toMatch(/^spec\.rules\[3\]\.host "bücher\.example\.org" is not ASCII/);
  });

  it('keeps an IP address and upper-case hosts (upstream serves them) with a warning, and drops repeats', () => {
    const obj = withHosts('10.0.0.1', 'Foo.example.org', 'ok.example.org', 'ok.example.org', '*.example.org');
    expect(hostsOf(obj)).toEqual(['10.0.0.1', 'Foo.example.org', 'ok.example.org', '*.example.org']);
    expect(warningsOf(obj)).toEqual([
      'spec.rules[0].host "10.0.0.1" is an IP address: no certificate can match it',
      'spec.rules[1].host "Foo.example.org" has upper-case letters: certificates are matched case-sensitively',
      'spec.rules[3].host "ok.example.org" is listed more than once',
    ]);
  });
});

describe('fields of the wrong type are warnings naming the field', () => {
  it.each([
    ['spec as a string', ingress({ spec: 'rules' }), 'spec is a string, not an object'],
    ['spec null', ingress({ spec: null }), 'spec is missing'],
    ['rules as a string', ingress({ spec: { rules: 'foo.example.org' } }), 'spec.rules is a string, not a list'],
    ['a rule that is a number', ingress({ spec: { rules: [7] } }), 'spec.rules[0] is a number, not an object'],
    ['a host that is a list', ingress({ spec: { rules: [{ host: ['a'] }] } }), 'spec.rules[0].host is a list, not a string'],
    ['annotations as a list', ingress({ annotations: ['x'] }), 'metadata.annotations is a list, not a map of strings'],
    ['an annotation that is a number', ingress({ annotations: { 'zalando.org/aws-load-balancer-shared': false } }), 'annotation "zalando.org/aws-load-balancer-shared" is a boolean, not a string'],
  ])('%s', (_why, obj, message) => {
    expect(warningsOf(obj).join('\n')).toContain(message);
  });

  it('RouteGroup hosts that are not a list, or not strings', () => {
    const rg = (spec: unknown) => ({ apiVersion: 'zalando.org/v1', kind: 'RouteGroup', metadata: { name: 'rg', namespace: 'shop', uid: 'u', resourceVersion: '1' }, spec });
    expect(warningsOf(rg({ hosts: 'a.example.org' }), 'RouteGroup')).toEqual(['spec.hosts is a string, not a list: the RouteGroup has no hosts']);
    expect(warningsOf(rg({ hosts: ['a.example.org', 5] }), 'RouteGroup')).toEqual(['spec.hosts[1] is a number, not a string: ignored']);
  });
});

describe('bounded text', () => {
  it('quotes a long value by its start and its length', () => {
    expect(quoteValue('x'.repeat(262_144))).toBe(`"${'x'.repeat(100)}"… (262144 characters)`);
    expect(quoteValue('short')).toBe('"short"');
  });

  it('cuts a message to 1 KB, saying how long it was', () => {
    const cut = boundMessage(`hosts: ${'h.example.org, '.repeat(700)}`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024);
    expect(cut).toMatch(/… \(truncated, 10507 characters\)$/);
    const multibyte = boundMessage('ü'.repeat(2000));
    expect(Buffer.byteLength(multibyte)).toBeLessThanOrEqual(1024);
  });
});
