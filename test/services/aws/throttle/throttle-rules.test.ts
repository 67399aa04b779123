import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AWS_API_THROTTLE, loosenedDefaults, parseThrottleRules, throttleRules, ThrottleSyntaxError,
} from '../../../../services/aws/throttle/throttle-rules.ts';
import { configOf } from '../../config/helpers.ts';

const brief = (text: string) => throttleRules(text).map((r) => `${r.service} ${r.pattern} ${r.rate}:${r.burst}`);

describe('--aws-api-throttle rules', () => {
  it("reads the AWS Load Balancer Controller's syntax, by signing name or SDK service ID", () => {
    const rules = parseThrottleRules(
      'elasticloadbalancing:Describe.*=10:20,Elastic Load Balancing v2:^RegisterTargets|DeregisterTargets=4:20,cloudformation:CreateStack=0.5:2',
    );
    expect(rules.map((r) => [r.service, r.pattern, r.rate, r.burst])).toEqual([
      ['elbv2', 'Describe.*', 10, 20],
      ['elbv2', '^RegisterTargets|DeregisterTargets', 4, 20],
      ['cloudformation', 'CreateStack', 0.5, 2],
    ]);
    expect(rules[1]!.operations.test('DeregisterTargets')).toBe(true);
    expect(parseThrottleRules('EC2:^Describe=1:1')[0]!.service).toBe('ec2');
    expect(parseThrottleRules('Auto Scaling:.*=1:1')[0]!.service).toBe('autoscaling');
  });

  it('keeps a regex containing ":" or "=" whole', () => {
    expect(parseThrottleRules('ec2:(?=Describe)D=1:2')[0]!.pattern).toBe('(?=Describe)D');
  });

  it('applies the operator rules over the defaults: same service and regex replaces, anything else adds', () => {
    const defaults = brief('');
    expect(defaults).toHaveLength(DEFAULT_AWS_API_THROTTLE.split(',').length);
    expect(defaults).toContain('elbv2 ^Describe 8:32');
    const tuned = brief('elasticloadbalancing:^Describe=2:4,ec2:^DescribeInstances$=1:1');
    expect(tuned).toContain('elbv2 ^Describe 2:4');
    expect(tuned).not.toContain('elbv2 ^Describe 8:32');
    expect(tuned).toContain('ec2 ^DescribeInstances$ 1:1');
    expect(tuned).toContain('ec2 ^Describe 16:80');
    expect(tuned).toHaveLength(defaults.length + 1);
  });

  it('covers every operation the controller calls with a default', () => {
    const ops: [string, string][] = [
      ['cloudformation', 'DescribeStacks'], ['cloudformation', 'GetTemplate'], ['cloudformation', 'CreateStack'],
      ['cloudformation', 'UpdateStack'], ['cloudformation', 'DeleteStack'], ['cloudformation', 'UpdateTerminationProtection'],
      ['cloudformation', 'ContinueUpdateRollback'], ['elbv2', 'DescribeLoadBalancers'], ['elbv2', 'DescribeTargetGroups'],
      ['elbv2', 'DescribeTags'], ['elbv2', 'DescribeTargetHealth'], ['elbv2', 'RegisterTargets'], ['elbv2', 'DeregisterTargets'],
      ['ec2', 'DescribeInstances'], ['ec2', 'DescribeSubnets'], ['ec2', 'DescribeRouteTables'], ['ec2', 'DescribeSecurityGroups'],
      ['autoscaling', 'DescribeAutoScalingGroups'], ['autoscaling', 'DescribeLoadBalancerTargetGroups'],
      ['autoscaling', 'AttachLoadBalancerTargetGroups'], ['autoscaling', 'DetachLoadBalancerTargetGroups'],
      ['acm', 'ListCertificates'], ['acm', 'GetCertificate'], ['acm', 'ListTagsForCertificate'],
      ['iam', 'ListServerCertificates'], ['iam', 'ListServerCertificateTags'], ['iam', 'GetServerCertificate'],
    ];
    const rules = throttleRules('');
    expect(ops.filter(([s, op]) => !rules.some((r) => r.service === s && r.operations.test(op)))).toEqual([]);
  });

  it('loosens every default for the benchmarks by replacing each one', () => {
    const loose = throttleRules(loosenedDefaults(100));
    expect(loose).toHaveLength(throttleRules('').length);
    expect(loose.find((r) => r.service === 'elbv2' && r.pattern === '^Describe')).toMatchObject({ rate: 800, burst: 3200 });
  });

  it('names the bad entry', () => {
    expect(() => parseThrottleRules('ec2:.*=1:2,s3:.*=1:2')).toThrow(ThrottleSyntaxError);
    expect(() => parseThrottleRules('ec2:.*=1:2,s3:.*=1:2')).toThrow(/"s3:\.\*=1:2": unknown service "s3"/);
    expect(() => parseThrottleRules('ec2:=1:2')).toThrow(/empty operation regex/);
    expect(() => parseThrottleRules('ec2:.*=-1:2')).toThrow(/rate:burst/);
  });

  it('lists every default in docs/flags.md', () => {
    const docs = readFileSync(new URL('../../../../docs/flags.md', import.meta.url), 'utf8');
    for (const r of throttleRules('')) {
      const service = r.service === 'elbv2' ? 'elasticloadbalancing' : r.service;
      expect(docs).toContain(`| \`${service}\` | \`${r.pattern.replace(/\|/g, '\\|')}\` | ${r.rate} | ${r.burst} |`);
    }
  });

  it('reaches the configuration from the flag', () => {
    const config = configOf(['--aws-api-throttle=cloudformation:CreateStack=1:2']);
    expect(config.awsApiThrottle.some((r) => r.service === 'cloudformation' && r.pattern === 'CreateStack' && r.burst === 2)).toBe(true);
  });
});
