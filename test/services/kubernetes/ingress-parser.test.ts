import { describe, expect, it } from 'vitest';
import type { Config } from '../../../services/config/config.ts';
import { NLB_SG_WAF_ERROR, parseIngress } from '../../../services/kubernetes/ingress-parser.ts';
import type { IngressModel, ResourceKind } from '../../../services/planning/types/ingress.ts';
import { testConfig } from '../planning/model/builders.ts';

function ingressObject(annotations: Record<string, string> = {}, hosts: string[] = ['foo.example.org']): unknown {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '42', annotations },
    spec: { rules: hosts.map((host) => ({ host, http: { paths: [] } })) },
  };
}

function routeGroupObject(annotations: Record<string, string> = {}, hosts: string[] = ['foo.example.org']): unknown {
  return {
    apiVersion: 'zalando.org/v1',
    kind: 'RouteGroup',
    metadata: { name: 'rg', namespace: 'shop', uid: 'u-2', resourceVersion: '7', annotations },
    spec: { hosts, backends: [], routes: [] },
  };
}

function parseOk(obj: unknown, config: Config = testConfig(), kind: ResourceKind = 'Ingress'): IngressModel {
  const result = parseIngress(obj, kind, config);
  if (!result.ok) throw new Error(`expected ok, got ${result.errors.join('; ')}`);
  return result.ingress;
}

const A = {
  cert: 'zalando.org/aws-load-balancer-ssl-cert',
  scheme: 'zalando.org/aws-load-balancer-scheme',
  shared: 'zalando.org/aws-load-balancer-shared',
  sg: 'zalando.org/aws-load-balancer-security-group',
  policy: 'zalando.org/aws-load-balancer-ssl-policy',
  type: 'zalando.org/aws-load-balancer-type',
  http2: 'zalando.org/aws-load-balancer-http2',
  waf: 'zalando.org/aws-waf-web-acl-id',
  ip: 'alb.ingress.kubernetes.io/ip-address-type',
};

describe('parseIngress: defaults and identity', () => {
  it('parses an Ingress without annotations into the defaults', () => {
    const ing = parseOk(ingressObject());
    expect(ing).toEqual({
      ref: { kind: 'Ingress', namespace: 'shop', name: 'web' },
      uid: 'u-1',
      resourceVersion: '42',
      hostnames: ['foo.example.org'],
      clusterLocal: false,
      certificateARN: undefined,
      scheme: 'internet-facing',
      shared: true,
      securityGroup: undefined,
      sslPolicy: 'ELBSecurityPolicy-2016-08',
      hasSSLPolicyAnnotation: false,
      loadBalancerType: 'application',
      http2: true,
      wafWebACLID: '',
      ipAddressType: 'ipv4',
      currentHostname: '',
      warnings: [],
    } satisfies IngressModel);
  });

  it('parses a RouteGroup the same way, hosts from spec.hosts', () => {
    const ing = parseOk(routeGroupObject({ [A.shared]: 'false' }, ['a.example.org', 'b.example.org']), testConfig(), 'RouteGroup');
    expect(ing.ref).toEqual({ kind: 'RouteGroup', namespace: 'shop', name: 'rg' });
    expect(ing.hostnames).toEqual(['a.example.org', 'b.example.org']);
    expect(ing.shared).toBe(false);
  });

  it('drops empty hosts and hosts in --cluster-local-domain', () => {
    const config = testConfig({ clusterLocalDomain: '.cluster.local' });
    const ing = parseOk(ingressObject({}, ['', 'foo.example.org', 'svc.ns.svc.cluster.local']), config);
    expect(ing.hostnames).toEqual(['foo.example.org']);
  });

  it('marks an object without public hosts as cluster-local', () => {
    const config = testConfig({ clusterLocalDomain: '.cluster.local' });
    expect(parseOk(ingressObject({}, ['svc.ns.svc.cluster.local']), config).clusterLocal).toBe(true);
    expect(parseOk({ metadata: { name: 'x', namespace: 'y' }, spec: {} }).clusterLocal).toBe(true);
  });

  it('keeps cluster-local-looking hosts when the flag is empty', () => {
    expect(parseOk(ingressObject({}, ['svc.cluster.local'])).hostnames).toEqual(['svc.cluster.local']);
  });

  it('reads the current hostname from the first non-empty status entry', () => {
    const obj = {
      ...(ingressObject() as object),
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: '' }, { hostname: 'lb-1.elb.amazonaws.com' }] } },
    };
    expect(parseOk(obj).currentHostname).toBe('lb-1.elb.amazonaws.com');
  });

  it('reads a RouteGroup status from status.loadBalancer.routegroup', () => {
    const obj = {
      ...(routeGroupObject() as object),
      status: { loadBalancer: { routegroup: [{ hostname: 'lb-2.elb.amazonaws.com' }], ingress: [{ hostname: 'wrong' }] } },
    };
    expect(parseOk(obj, testConfig(), 'RouteGroup').currentHostname).toBe('lb-2.elb.amazonaws.com');
  });
});

describe('parseIngress: annotations', () => {
  it.each<[string, Record<string, string>, Partial<IngressModel>, number]>([
    ['pinned certificate', { [A.cert]: 'arn:aws:acm:eu-central-1:1:certificate/x' }, { certificateARN: 'arn:aws:acm:eu-central-1:1:certificate/x' }, 0],
    ['empty pinned certificate means no pin', { [A.cert]: '' }, { certificateARN: undefined }, 0],
    ['scheme internal', { [A.scheme]: 'internal' }, { scheme: 'internal', loadBalancerType: 'application' }, 0],
    ['scheme internet-facing', { [A.scheme]: 'internet-facing' }, { scheme: 'internet-facing' }, 0],
    ['scheme invalid -> internet-facing + warning', { [A.scheme]: 'Internal' }, { scheme: 'internet-facing' }, 1],
    ['shared false', { [A.shared]: 'false' }, { shared: false }, 0],
    ['shared true', { [A.shared]: 'true' }, { shared: true }, 0],
    ['shared invalid -> shared + warning', { [A.shared]: 'no' }, { shared: true }, 1],
    ['security group verbatim', { [A.sg]: 'sg-1,sg-2' }, { securityGroup: 'sg-1,sg-2' }, 0],
    ['valid SSL policy', { [A.policy]: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }, { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', hasSSLPolicyAnnotation: true }, 0],
    ['SSL policy equal to the default still counts as annotated', { [A.policy]: 'ELBSecurityPolicy-2016-08' }, { sslPolicy: 'ELBSecurityPolicy-2016-08', hasSSLPolicyAnnotation: true }, 0],
    ['invalid SSL policy -> default, not annotated, warning', { [A.policy]: 'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09' }, { sslPolicy: 'ELBSecurityPolicy-2016-08', hasSSLPolicyAnnotation: false }, 1],
    ['http2 false', { [A.http2]: 'false' }, { http2: false }, 0],
    ['http2 true', { [A.http2]: 'true' }, { http2: true }, 0],
    ['http2 invalid -> true + warning', { [A.http2]: 'off' }, { http2: true }, 1],
    ['WAF id', { [A.waf]: 'arn:aws:wafv2:eu-central-1:1:regional/webacl/x/y' }, { wafWebACLID: 'arn:aws:wafv2:eu-central-1:1:regional/webacl/x/y' }, 0],
    ['ip-address-type dualstack', { [A.ip]: 'dualstack' }, { ipAddressType: 'dualstack' }, 0],
    ['ip-address-type ipv4', { [A.ip]: 'ipv4' }, { ipAddressType: 'ipv4' }, 0],
    ['ip-address-type invalid stays verbatim + warning', { [A.ip]: 'ipv6' }, { ipAddressType: 'ipv6' }, 1],
  ])('%s', (_label, annotations, expected, warningCount) => {
    const ing = parseOk(ingressObject(annotations));
    expect(ing).toMatchObject(expected);
    expect(ing.warnings).toHaveLength(warningCount);
  });

  it('uses --ip-addr-type when the annotation is absent', () => {
    expect(parseOk(ingressObject(), testConfig({ ipAddrType: 'dualstack' })).ipAddressType).toBe('dualstack');
  });

  it('uses --ssl-policy when the annotation is absent', () => {
    const config = testConfig({ sslPolicy: 'ELBSecurityPolicy-FS-2018-06' });
    expect(parseOk(ingressObject(), config)).toMatchObject({ sslPolicy: 'ELBSecurityPolicy-FS-2018-06', hasSSLPolicyAnnotation: false });
  });

  it.each(['ELBSecurityPolicy-TLS-1-0-2015-04', 'ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-FS-1-2-Res-2020-10'])(
    'accepts upstream policy %s',
    (policy) => {
      expect(parseOk(ingressObject({ [A.policy]: policy }))).toMatchObject({ sslPolicy: policy, hasSSLPolicyAnnotation: true });
    },
  );

  it('names the annotation, the value and the fallback in warnings', () => {
    const ing = parseOk(ingressObject({ [A.policy]: 'bogus' }));
    expect(ing.warnings[0]).toContain(A.policy);
    expect(ing.warnings[0]).toContain('"bogus"');
    expect(ing.warnings[0]).toContain('ELBSecurityPolicy-2016-08');
  });
});

describe('parseIngress: load balancer type decision', () => {
  const nlbDefault = testConfig({ loadBalancerType: 'network' });

  it.each<[string, Record<string, string>, Config, 'application' | 'network', number]>([
    ['no annotation -> flag default (application)', {}, testConfig(), 'application', 0],
    ['no annotation -> flag default (network)', {}, nlbDefault, 'network', 0],
    ['no annotation, internal scheme -> alb even with an nlb default', { [A.scheme]: 'internal' }, nlbDefault, 'application', 0],
    ['annotation nlb', { [A.type]: 'nlb' }, testConfig(), 'network', 0],
    ['annotation alb over an nlb default', { [A.type]: 'alb' }, nlbDefault, 'application', 0],
    ['annotation nlb with internal scheme stays nlb', { [A.type]: 'nlb', [A.scheme]: 'internal' }, testConfig(), 'network', 0],
    ['nlb default + SG annotation -> falls back to alb', { [A.sg]: 'sg-1' }, nlbDefault, 'application', 0],
    ['nlb default + WAF annotation -> falls back to alb', { [A.waf]: 'waf-1' }, nlbDefault, 'application', 0],
    ['nlb default + empty WAF annotation still falls back (presence counts)', { [A.waf]: '' }, nlbDefault, 'application', 0],
    ['invalid type -> flag default + warning', { [A.type]: 'NLB' }, testConfig(), 'application', 1],
    ['invalid type with SG over an nlb default -> network (checked before validation)', { [A.type]: 'gwlb', [A.sg]: 'sg-1' }, nlbDefault, 'network', 1],
  ])('%s', (_label, annotations, config, expected, warningCount) => {
    const ing = parseOk(ingressObject(annotations), config);
    expect(ing.loadBalancerType).toBe(expected);
    expect(ing.warnings).toHaveLength(warningCount);
  });

  it.each([
    ['security group', { [A.type]: 'nlb', [A.sg]: 'sg-1' }],
    ['WAF', { [A.type]: 'nlb', [A.waf]: 'waf-1' }],
  ])('rejects an nlb annotation together with a %s annotation', (_label, annotations) => {
    const result = parseIngress(ingressObject(annotations), 'Ingress', testConfig());
    expect(result).toEqual({
      ok: false,
      ref: { kind: 'Ingress', namespace: 'shop', name: 'web' },
      uid: 'u-1',
      errors: [NLB_SG_WAF_ERROR],
    });
  });

  it('applies the same rule to RouteGroups', () => {
    const result = parseIngress(routeGroupObject({ [A.type]: 'nlb', [A.sg]: 'sg-1' }), 'RouteGroup', testConfig());
    expect(result.ok).toBe(false);
  });
});

describe('parseIngress: malformed objects', () => {
  it.each<[string, unknown]>([
    ['not an object', 'hello'],
    ['null', null],
    ['no metadata', { spec: {} }],
    ['no name', { metadata: { namespace: 'a' } }],
    ['no namespace', { metadata: { name: 'a' } }],
  ])('%s is rejected', (_label, obj) => {
    const result = parseIngress(obj, 'Ingress', testConfig());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
  });

  it('tolerates odd shapes inside an otherwise valid object', () => {
    const obj = {
      metadata: { name: 'a', namespace: 'b', annotations: { [A.shared]: 'false', weird: 3 } },
      spec: { rules: [null, { host: 5 }, { host: 'ok.example.org' }] },
      status: { loadBalancer: { ingress: 'nope' } },
    };
    const ing = parseOk(obj);
    expect(ing.hostnames).toEqual(['ok.example.org']);
    expect(ing.shared).toBe(false);
    expect(ing.currentHostname).toBe('');
  });
});
