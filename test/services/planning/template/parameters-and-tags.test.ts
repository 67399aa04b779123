import { describe, expect, it } from 'vitest';
import { formatSecondsF0 } from '../../../../services/planning/template/go-format.ts';
import { stackParameters } from '../../../../services/planning/template/parameters.ts';
import { formatRFC3339, GO_ZERO_TIME_MS, parseRFC3339 } from '../../../../services/planning/rfc3339.ts';
import { stackTags } from '../../../../services/planning/template/tags.ts';
import { certificateExpiries } from '../../../../services/planning/model/managed-stack.ts';
import type { ManagedStack } from '../../../../services/planning/types/stack.ts';
import { CLUSTER_ID, defaultConfig, loadBalancer, VPC_ID } from './fixtures.ts';

describe('formatSecondsF0 (Go %.0f of Duration.Seconds())', () => {
  it.each([
    [10_000, '10'],
    [1_500, '2'],
    [2_500, '2'],
    [3_500, '4'],
    [2_501, '3'],
    [499, '0'],
    [0, '0'],
    [-400, '-0'],
    [-1_500, '-2'],
  ])('%i ms → %s', (ms, expected) => {
    expect(formatSecondsF0(ms)).toBe(expected);
  });
});

describe('stackParameters', () => {
  const env = { config: defaultConfig(), vpcId: VPC_ID, subnetIds: ['subnet-b1', 'subnet-a1'] };

  it('joins the subnets sorted', () => {
    expect(stackParameters(loadBalancer(), env).LoadBalancerSubnetsParameter).toBe('subnet-a1,subnet-b1');
  });

  it('keeps an empty SSL policy of an existing stack (only creation falls back to the flag)', () => {
    const stack = { name: 's' } as ManagedStack;
    expect(stackParameters(loadBalancer({ sslPolicy: '', stack }), env).ListenerSslPolicyParameter).toBe('');
    expect(stackParameters(loadBalancer({ sslPolicy: '' }), env).ListenerSslPolicyParameter).toBe('ELBSecurityPolicy-2016-08');
  });

  it('sends the WAF parameter only when set and the HTTP target port only with a separate HTTP target group', () => {
    const params = stackParameters(loadBalancer({ wafWebACLID: 'waf-1' }), {
      ...env,
      config: defaultConfig({ albHTTPTargetPort: 8080 }),
    });
    expect(params.LoadBalancerWAFWebACLIDParameter).toBe('waf-1');
    expect(params.TargetGroupHTTPTargetPortParameter).toBe('8080');
    const nlb = stackParameters(loadBalancer({ loadBalancerType: 'network' }), {
      ...env,
      config: defaultConfig({ nlbHTTPTargetPort: 8080 }),
    });
    expect(nlb.TargetGroupHTTPTargetPortParameter).toBeUndefined();
    expect(Object.keys(nlb)).toHaveLength(13);
  });
});

describe('stackTags', () => {
  it('writes controller, cluster, certificate, owner and alarm-hash tags over additional tags', () => {
    const tags = stackTags(
      loadBalancer({ owner: 'ns/name', certificateARNs: { a: null, b: Date.UTC(2030, 0, 2, 3, 4, 5, 678) } }),
      {
        config: defaultConfig({ additionalStackTags: { 'kubernetes:application': 'x', extra: 'y' } }),
        clusterId: CLUSTER_ID,
        alarmConfigHash: 'abc',
      },
    );
    expect(tags).toEqual({
      extra: 'y',
      'kubernetes:application': 'kube-ingress-aws-controller',
      [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned',
      'ingress:certificate-arn/a': '0001-01-01T00:00:00Z',
      'ingress:certificate-arn/b': '2030-01-02T03:04:05Z',
      'ingress:owner': 'ns/name',
      'cloudwatch:alarm-config-hash': 'abc',
    });
  });
});

describe('RFC 3339 certificate expiries', () => {
  it('formats the zero time and UTC times without fractions', () => {
    expect(formatRFC3339(null)).toBe('0001-01-01T00:00:00Z');
    expect(formatRFC3339(GO_ZERO_TIME_MS)).toBe('0001-01-01T00:00:00Z');
    expect(formatRFC3339(Date.UTC(2026, 11, 1, 0, 0, 0, 999))).toBe('2026-12-01T00:00:00Z');
  });

  it('parses what Go’s time.Parse(time.RFC3339) accepts', () => {
    expect(parseRFC3339('2026-12-01T00:00:00Z')).toBe(Date.UTC(2026, 11, 1));
    expect(parseRFC3339('2026-12-01T02:00:00.5+02:00')).toBe(Date.UTC(2026, 11, 1, 0, 0, 0, 500));
    expect(parseRFC3339('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseRFC3339('0001-01-01T01:00:00+01:00')).toBeNull();
    expect(parseRFC3339('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseRFC3339('2026-12-01 00:00:00Z')).toBeUndefined();
    expect(parseRFC3339('yesterday')).toBeUndefined();
  });
});

// Reading tags back is the model's job (certificateExpiries, tested with managed-stack); here only the round trip.
describe('certificate tags', () => {
  it('round-trips what stackTags writes', () => {
    const certificateARNs = { x: null, y: Date.UTC(2031, 6, 1, 12) };
    const tags = stackTags(loadBalancer({ certificateARNs }), {
      config: defaultConfig(),
      clusterId: CLUSTER_ID,
      alarmConfigHash: '',
    });
    expect(certificateExpiries(tags)).toEqual(certificateARNs);
  });
});
