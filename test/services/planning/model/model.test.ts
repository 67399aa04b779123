import { describe, expect, it } from 'vitest';
import { buildModel, sortStacks, type ModelInput, type ModelResult } from '../../../../services/planning/model/model.ts';
import { decideAction } from '../../../../services/planning/model/status.ts';
import type { IngressModel } from '../../../../services/planning/types/ingress.ts';
import type { LoadBalancerSpec } from '../../../../services/planning/types/load-balancer.ts';
import { DAY, DEFAULT_SG, HOUR, NOW, cert, ingress, ref, stack, testConfig } from './builders.ts';

const CERTS = [
  cert('arn:foo', ['foo.example.org']),
  cert('arn:bar', ['bar.example.org']),
  cert('arn:baz', ['baz.example.org']),
  cert('arn:wild', ['*.shop.org']),
];

function build(input: Partial<ModelInput>): ModelResult {
  return buildModel({
    ingresses: [],
    stacks: [],
    certificates: CERTS,
    config: testConfig(),
    defaultSecurityGroup: DEFAULT_SG,
    now: NOW,
    ...input,
  });
}

/** The non-cluster-local load balancers, reduced to what grouping tests look at. */
function groups(result: ModelResult): { stack: string | undefined; certs: string[]; ingresses: string[] }[] {
  return result.loadBalancers
    .filter((lb) => !lb.clusterLocal)
    .map((lb) => ({
      stack: lb.stack?.name,
      certs: Object.keys(lb.ingressesByCertificate),
      ingresses: lb.ingresses.map((r) => `${r.kind === 'RouteGroup' ? 'rg:' : ''}${r.namespace}/${r.name}`),
    }));
}

function onlyNew(result: ModelResult): LoadBalancerSpec[] {
  return result.loadBalancers.filter((lb) => !lb.clusterLocal && lb.stack === undefined);
}

describe('buildModel: grouping of shared ingresses', () => {
  it('puts shared ingresses with compatible settings on one new load balancer', () => {
    const result = build({ ingresses: [ingress('a', ['foo.example.org']), ingress('b', ['bar.example.org'])] });
    expect(groups(result)).toEqual([{ stack: undefined, certs: ['arn:foo', 'arn:bar'], ingresses: ['default/a', 'default/b'] }]);
    const [lb] = onlyNew(result);
    expect(lb).toMatchObject({
      shared: true,
      owner: '',
      scheme: 'internet-facing',
      securityGroup: DEFAULT_SG,
      sslPolicy: 'ELBSecurityPolicy-2016-08',
      ipAddressType: 'ipv4',
      loadBalancerType: 'application',
      http2: true,
      wafWebACLID: '',
      certificateARNs: { 'arn:foo': null, 'arn:bar': null },
    });
  });

  it('puts ingresses needing the same certificate in one bucket', () => {
    const result = build({ ingresses: [ingress('a', ['x.shop.org']), ingress('b', ['y.shop.org'])] });
    expect(onlyNew(result)[0]?.ingressesByCertificate).toEqual({ 'arn:wild': [ref('a'), ref('b')] });
  });

  it('treats RouteGroups like Ingresses', () => {
    const rg = ingress('a', ['bar.example.org'], { ref: ref('a', 'RouteGroup') });
    const result = build({ ingresses: [ingress('a', ['foo.example.org']), rg] });
    expect(groups(result)).toEqual([{ stack: undefined, certs: ['arn:foo', 'arn:bar'], ingresses: ['default/a', 'rg:default/a'] }]);
  });

  it.each<[string, Partial<IngressModel>]>([
    ['scheme', { scheme: 'internal' }],
    ['IP address type', { ipAddressType: 'dualstack' }],
    ['load balancer type', { loadBalancerType: 'network' }],
    ['HTTP/2', { http2: false }],
    ['security group annotation', { securityGroup: 'sg-other' }],
    ['WAF annotation', { wafWebACLID: 'waf-1' }],
    ['annotated SSL policy', { sslPolicy: 'ELBSecurityPolicy-FS-2018-06', hasSSLPolicyAnnotation: true }],
  ])('separates shared ingresses that differ in %s', (_label, overrides) => {
    const result = build({ ingresses: [ingress('a', ['foo.example.org']), ingress('b', ['bar.example.org'], overrides)] });
    expect(groups(result).map((g) => g.ingresses)).toEqual([['default/a'], ['default/b']]);
  });

  it('does not separate on a security group annotation equal to the discovered one', () => {
    const result = build({
      ingresses: [ingress('a', ['foo.example.org']), ingress('b', ['bar.example.org'], { securityGroup: DEFAULT_SG })],
    });
    expect(groups(result)).toHaveLength(1);
  });

  it('lets an ingress without SSL-policy annotation join whatever policy, and the last writer sets it (#790)', () => {
    const existing = stack('s1', { certs: { 'arn:foo': null }, sslPolicy: 'ELBSecurityPolicy-FS-2018-06' });
    const annotated = ingress('a', ['foo.example.org'], { sslPolicy: 'ELBSecurityPolicy-FS-2018-06', hasSSLPolicyAnnotation: true });
    const plain = ingress('b', ['bar.example.org']);

    // The annotated ingress matches the stack's policy; the plain one joins too and resets the policy.
    const plainLast = build({ stacks: [existing], ingresses: [annotated, plain] });
    expect(groups(plainLast)).toEqual([{ stack: 's1', certs: ['arn:foo', 'arn:bar'], ingresses: ['default/a', 'default/b'] }]);
    expect(plainLast.loadBalancers[0]?.sslPolicy).toBe('ELBSecurityPolicy-2016-08');

    // In the other order the plain ingress resets the policy first, so the annotated one no longer fits.
    const annotatedLast = build({ stacks: [existing], ingresses: [plain, annotated] });
    expect(groups(annotatedLast)).toEqual([
      { stack: 's1', certs: ['arn:foo', 'arn:bar'], ingresses: ['default/b'] },
      { stack: undefined, certs: ['arn:foo'], ingresses: ['default/a'] },
    ]);
    expect(annotatedLast.loadBalancers.map((lb) => lb.sslPolicy)).toEqual([
      'ELBSecurityPolicy-2016-08',
      '',
      'ELBSecurityPolicy-FS-2018-06',
    ]);
  });

  it('applies the global WAF to ingresses without their own and groups by it', () => {
    const config = testConfig({ awsWAFWebACLID: 'arn:aws:wafv2:global' });
    const result = build({
      config,
      ingresses: [
        ingress('a', ['foo.example.org']),
        ingress('b', ['bar.example.org'], { wafWebACLID: 'arn:aws:wafv2:global' }),
        ingress('c', ['baz.example.org'], { wafWebACLID: 'arn:aws:wafv2:own' }),
      ],
    });
    expect(groups(result).map((g) => g.ingresses)).toEqual([['default/a', 'default/b'], ['default/c']]);
    expect(onlyNew(result).map((lb) => lb.wafWebACLID)).toEqual(['arn:aws:wafv2:global', 'arn:aws:wafv2:own']);
  });

  it('carries the global WAF onto NLBs as well (parameter only, upstream does the same)', () => {
    const config = testConfig({ awsWAFWebACLID: 'waf-global' });
    const result = build({ config, ingresses: [ingress('a', ['foo.example.org'], { loadBalancerType: 'network' })] });
    expect(onlyNew(result)[0]).toMatchObject({ loadBalancerType: 'network', wafWebACLID: 'waf-global' });
  });
});

describe('buildModel: ownership (non-shared ingresses)', () => {
  it('gives each non-shared ingress its own load balancer', () => {
    const result = build({
      ingresses: [ingress('a', ['foo.example.org'], { shared: false }), ingress('b', ['foo.example.org'], { shared: false })],
    });
    expect(groups(result).map((g) => g.ingresses)).toEqual([['default/a'], ['default/b']]);
    expect(onlyNew(result).map((lb) => [lb.shared, lb.owner])).toEqual([
      [false, 'default/a'],
      [false, 'default/b'],
    ]);
  });

  it('lets a later shared ingress join a new dedicated load balancer, which then becomes shared (order quirk)', () => {
    const result = build({
      ingresses: [ingress('a', ['foo.example.org'], { shared: false }), ingress('b', ['bar.example.org'])],
    });
    expect(groups(result).map((g) => g.ingresses)).toEqual([['default/a', 'default/b']]);
    expect(onlyNew(result)[0]).toMatchObject({ shared: true, owner: '' });
  });

  it('does not let a non-shared ingress join a shared load balancer', () => {
    const result = build({
      ingresses: [ingress('a', ['foo.example.org']), ingress('b', ['bar.example.org'], { shared: false })],
    });
    expect(groups(result).map((g) => g.ingresses)).toEqual([['default/a'], ['default/b']]);
  });

  it('keeps an owned stack for its owner and nobody else', () => {
    const owned = stack('owned', { certs: { 'arn:foo': null }, owner: 'default/a' });
    const result = build({
      stacks: [owned],
      ingresses: [ingress('b', ['bar.example.org']), ingress('a', ['foo.example.org'], { shared: false })],
    });
    expect(groups(result)).toEqual([
      { stack: 'owned', certs: ['arn:foo'], ingresses: ['default/a'] },
      { stack: undefined, certs: ['arn:bar'], ingresses: ['default/b'] },
    ]);
    expect(result.loadBalancers[0]).toMatchObject({ shared: false, owner: 'default/a' });
  });

  it('does not record the kind: a RouteGroup with the owner name joins the owned stack', () => {
    const owned = stack('owned', { certs: { 'arn:foo': null }, owner: 'default/a' });
    const rg = ingress('a', ['bar.example.org'], { ref: ref('a', 'RouteGroup'), shared: false });
    const result = build({ stacks: [owned], ingresses: [ingress('a', ['foo.example.org'], { shared: false }), rg] });
    expect(groups(result)).toEqual([{ stack: 'owned', certs: ['arn:foo', 'arn:bar'], ingresses: ['default/a', 'rg:default/a'] }]);
  });

  it('does not take over the security group or WAF of a dedicated ingress (upstream quirk)', () => {
    const owned = stack('owned', { certs: { 'arn:foo': null }, owner: 'default/a', waf: 'waf-old' });
    const result = build({
      stacks: [owned],
      ingresses: [ingress('a', ['foo.example.org'], { shared: false, securityGroup: 'sg-new', wafWebACLID: 'waf-new' })],
    });
    expect(groups(result)).toEqual([{ stack: 'owned', certs: ['arn:foo'], ingresses: ['default/a'] }]);
    expect(result.loadBalancers[0]).toMatchObject({ securityGroup: DEFAULT_SG, wafWebACLID: 'waf-old' });
  });

  it('turns an owned stack shared when its owner becomes shared', () => {
    const owned = stack('owned', { certs: { 'arn:foo': null }, owner: 'default/a' });
    const result = build({ stacks: [owned], ingresses: [ingress('a', ['foo.example.org'])] });
    expect(result.loadBalancers[0]).toMatchObject({ stack: owned, shared: true, owner: '' });
  });

  it('drops the owner of a dedicated stack that has no ingress left (upstream quirk)', () => {
    const owned = stack('owned', { certs: { 'arn:foo': null }, owner: 'default/a' });
    const result = build({ stacks: [owned] });
    expect(result.loadBalancers[0]).toMatchObject({ shared: false, owner: '', ingresses: [] });
  });
});

describe('buildModel: existing stacks', () => {
  it('fills the stack with the most certificates first, then by name, and lists stacks in that order', () => {
    const few = stack('a-few', { certs: { 'arn:foo': null } });
    const many = stack('z-many', { certs: { 'arn:foo': null, 'arn:bar': null } });
    const manyToo = stack('m-many', { certs: { 'arn:foo': null, 'arn:baz': null } });
    const result = build({ stacks: [few, many, manyToo], ingresses: [ingress('a', ['foo.example.org'])] });
    expect(result.loadBalancers.map((lb) => (lb.clusterLocal ? 'cluster-local' : lb.stack?.name))).toEqual([
      'm-many',
      'z-many',
      'a-few',
      'cluster-local',
    ]);
    expect(groups(result)[0]?.ingresses).toEqual(['default/a']);
    expect(sortStacks([few, many, manyToo]).map((s) => s.name)).toEqual(['m-many', 'z-many', 'a-few']);
  });

  it('a drained stack whose DeleteStack is sent takes nobody, not even an ingress whose status names it', () => {
    const drained = { ...stack('drained', { certs: { 'arn:foo': NOW - 1 } }), dnsName: 'drained.elb.amazonaws.com' };
    const back = ingress('a', ['foo.example.org'], { currentHostname: 'drained.elb.amazonaws.com' });
    // Before the delete is sent, stickiness brings the ingress back onto it.
    expect(groups(build({ stacks: [drained], ingresses: [back] }))[0]).toMatchObject({ stack: 'drained', ingresses: ['default/a'] });
    const deleting = { ...drained, beingDeleted: true };
    for (const ing of [back, ingress('b', ['foo.example.org'])]) {
      expect(groups(build({ stacks: [deleting], ingresses: [ing] }))).toEqual([
        { stack: 'drained', certs: ['arn:foo'], ingresses: [] },
        { stack: undefined, certs: ['arn:foo'], ingresses: [`default/${ing.ref.name}`] },
      ]);
    }
    // A create that rolled back is deleted too, but is not drained: its ingress waits (no loop without backoff).
    const rolledBack = { ...stack('rolled-back', { certs: { 'arn:foo': null } }), beingDeleted: true };
    expect(groups(build({ stacks: [rolledBack], ingresses: [ingress('c', ['foo.example.org'])] }))[0]).toMatchObject({ stack: 'rolled-back', ingresses: ['default/c'] });
  });

  it('never adds ingresses to a legacy stack without a Type parameter, and drains it', () => {
    const legacy = stack('legacy', { certs: { 'arn:foo': null }, type: undefined });
    const result = build({ stacks: [legacy], ingresses: [ingress('a', ['foo.example.org'])] });
    expect(groups(result)).toEqual([
      { stack: 'legacy', certs: ['arn:foo'], ingresses: [] },
      { stack: undefined, certs: ['arn:foo'], ingresses: ['default/a'] },
    ]);
    expect(result.loadBalancers[0]).toMatchObject({ loadBalancerType: '', certificateARNs: { 'arn:foo': NOW + HOUR } });
  });

  it('drops stack certificates that are no longer in ACM/IAM, without a drain', () => {
    const s = stack('s', { certs: { 'arn:gone': null, 'arn:foo': null } });
    const result = build({ stacks: [s], ingresses: [ingress('a', ['foo.example.org'])] });
    expect(result.loadBalancers[0]).toMatchObject({
      ingressesByCertificate: { 'arn:foo': [ref('a')] },
      certificateARNs: { 'arn:foo': null },
    });
  });

  it('reads settings from the stack, not from flags', () => {
    const s = stack('s', { certs: { 'arn:foo': null }, scheme: 'internal' });
    const result = build({ stacks: [s], ingresses: [ingress('a', ['foo.example.org'])] });
    expect(groups(result).map((g) => g.stack)).toEqual(['s', undefined]);
  });
});

describe('buildModel: capacity', () => {
  const three = [ingress('a', ['foo.example.org']), ingress('b', ['bar.example.org']), ingress('c', ['baz.example.org'])];

  it('opens another load balancer when --max-certs-alb is reached', () => {
    const result = build({ config: testConfig({ maxCertsALB: 2 }), ingresses: three });
    expect(groups(result).map((g) => g.certs)).toEqual([['arn:foo', 'arn:bar'], ['arn:baz']]);
  });

  it('uses one certificate per load balancer with --disable-sni-support', () => {
    const result = build({ config: testConfig({ disableSNISupport: true, maxCertsALB: 24 }), ingresses: three });
    expect(groups(result).map((g) => g.certs)).toEqual([['arn:foo'], ['arn:bar'], ['arn:baz']]);
  });

  it('does not count certificates already on the load balancer', () => {
    const result = build({
      config: testConfig({ disableSNISupport: true }),
      ingresses: [ingress('a', ['foo.example.org']), ingress('b', ['foo.example.org'])],
    });
    expect(groups(result)).toEqual([{ stack: undefined, certs: ['arn:foo'], ingresses: ['default/a', 'default/b'] }]);
  });

  it('keeps an ingress on the over-full load balancer made for it instead of creating a new one every cycle', () => {
    // Created earlier for this ingress, whose two hosts need two certificates, although the limit is one.
    const s = stack('s', { certs: { 'arn:foo': null, 'arn:bar': null } });
    const result = build({
      config: testConfig({ disableSNISupport: true }),
      stacks: [s],
      ingresses: [ingress('a', ['foo.example.org', 'bar.example.org'])],
    });
    expect(groups(result)).toEqual([{ stack: 's', certs: ['arn:foo', 'arn:bar'], ingresses: ['default/a'] }]);
  });

  it('counts draining certificates against the limit', () => {
    const s = stack('s', { certs: { 'arn:foo': NOW + HOUR, 'arn:bar': null } });
    const result = build({ config: testConfig({ maxCertsALB: 2 }), stacks: [s], ingresses: [ingress('c', ['baz.example.org'])] });
    expect(groups(result)).toEqual([
      { stack: 's', certs: ['arn:foo', 'arn:bar'], ingresses: [] },
      { stack: undefined, certs: ['arn:baz'], ingresses: ['default/c'] },
    ]);
  });

  it('moves an ingress needing two new certificates when only one slot is left', () => {
    const s = stack('s', { certs: { 'arn:foo': null } });
    const result = build({
      config: testConfig({ maxCertsALB: 2 }),
      stacks: [s],
      ingresses: [ingress('a', ['foo.example.org']), ingress('b', ['bar.example.org', 'baz.example.org'])],
    });
    expect(groups(result).map((g) => g.certs)).toEqual([['arn:foo'], ['arn:bar', 'arn:baz']]);
  });
});

describe('buildModel: certificates and skipped ingresses', () => {
  it('uses a pinned certificate without verifying it', () => {
    const privateCA = cert('arn:private', ['internal.corp'], { trusted: false });
    const result = build({
      certificates: [...CERTS, privateCA],
      ingresses: [ingress('a', ['anything.example.org'], { certificateARN: 'arn:private' })],
    });
    expect(groups(result)[0]?.certs).toEqual(['arn:private']);
    expect(result.skipped).toEqual([]);
  });

  it('skips an ingress whose pinned certificate is unknown', () => {
    const result = build({ ingresses: [ingress('a', ['foo.example.org'], { certificateARN: 'arn:missing' })] });
    expect(groups(result)).toEqual([]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.ref).toEqual(ref('a'));
    expect(result.skipped[0]?.reason).toContain('arn:missing');
  });

  it('skips an ingress no certificate covers, naming the hosts', () => {
    const result = build({ ingresses: [ingress('a', ['x.unknown.net', 'y.unknown.net'])] });
    expect(groups(result)).toEqual([]);
    expect(result.skipped[0]?.reason).toMatch(/^no certificate for hosts x\.unknown\.net, y\.unknown\.net/);
  });

  it('serves an ingress whose hosts are partly covered, and reports the others', () => {
    const result = build({ ingresses: [ingress('a', ['foo.example.org', 'x.unknown.net'])] });
    expect(groups(result)[0]?.certs).toEqual(['arn:foo']);
    expect(result.skipped).toEqual([]);
    expect(result.unmatchedHostnames).toEqual([{ ref: ref('a'), hostnames: ['x.unknown.net'] }]);
  });

  it('collects cluster-local ingresses on the synthetic load balancer', () => {
    const local = ingress('local', []);
    const result = build({ ingresses: [local, ingress('a', ['foo.example.org'])] });
    const holder = result.loadBalancers.find((lb) => lb.clusterLocal);
    expect(holder).toMatchObject({ stack: undefined, ingresses: [ref('local')], ingressesByCertificate: {}, certificateARNs: {} });
    expect(groups(result).map((g) => g.ingresses)).toEqual([['default/a']]);
  });

  it('always includes the cluster-local holder, after the stacks and before new load balancers', () => {
    const result = build({ stacks: [stack('s', { certs: { 'arn:foo': null } })], ingresses: [ingress('a', ['x.shop.org'], { scheme: 'internal' })] });
    expect(result.loadBalancers.map((lb) => (lb.clusterLocal ? 'holder' : (lb.stack?.name ?? 'new')))).toEqual(['s', 'holder', 'new']);
  });
});

describe('buildModel: desired certificate tags (TTL drain)', () => {
  const config = testConfig({ certTTLTimeoutMs: HOUR });

  it.each<[string, number | null, boolean, number | null | 'absent']>([
    ['in use stays in use', null, true, null],
    ['newly unused starts draining at now + --cert-ttl-timeout', null, false, NOW + HOUR],
    ['draining and still unused keeps its deadline', NOW + 30 * 60_000, false, NOW + 30 * 60_000],
    ['drain passed is dropped', NOW - 1000, false, 'absent'],
    ['drain ending exactly now is dropped', NOW, false, 'absent'],
    ['needed again while draining returns to in use', NOW + 30 * 60_000, true, null],
    ['needed again after its drain is in use again', NOW - 1000, true, null],
  ])('%s', (_label, stored, needed, expected) => {
    const s = stack('s', { certs: { 'arn:foo': stored, 'arn:bar': null } });
    const ingresses = [ingress('keep', ['bar.example.org']), ...(needed ? [ingress('a', ['foo.example.org'])] : [])];
    const lb = build({ config, stacks: [s], ingresses }).loadBalancers[0];
    if (expected === 'absent') expect(lb?.certificateARNs).not.toHaveProperty(['arn:foo']);
    else expect(lb?.certificateARNs['arn:foo']).toBe(expected);
  });

  it('rounds a new drain deadline down to whole seconds, as the tag will store it', () => {
    const s = stack('s', { certs: { 'arn:foo': null } });
    const lb = build({ config, now: NOW + 1234, stacks: [s] }).loadBalancers[0];
    expect(lb?.certificateARNs).toEqual({ 'arn:foo': NOW + HOUR + 1000 });
  });

  it('drains every certificate of a stack nobody uses any more', () => {
    const s = stack('s', { certs: { 'arn:foo': null, 'arn:bar': NOW + DAY } });
    const lb = build({ config, stacks: [s] }).loadBalancers[0];
    expect(lb?.certificateARNs).toEqual({ 'arn:foo': NOW + HOUR, 'arn:bar': NOW + DAY });
  });
});

describe('buildModel + decideAction: certificates leaving ACM/IAM', () => {
  it('first updates the stack to no certificates, then deletes it on the next cycle', () => {
    const before = stack('s', { certs: { 'arn:gone': null } });
    const first = build({ stacks: [before] }).loadBalancers[0];
    expect(first?.certificateARNs).toEqual({});
    expect(first && decideAction(first, { alarmHash: '', now: NOW })).toBe('update');

    const after = stack('s', { certs: {} });
    const second = build({ stacks: [after] }).loadBalancers[0];
    expect(second && decideAction(second, { alarmHash: '', now: NOW })).toBe('delete');
  });
});
