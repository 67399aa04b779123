// The rate-limit benchmark's measurement on call logs made up for the purpose.
import { describe, expect, it } from 'vitest';
import { measureFamilies } from '../../bench/rate-limits.ts';
import { parseThrottleRules } from '../../services/aws/throttle/throttle-rules.ts';

const rules = parseThrottleRules('cloudformation:^CreateStack$=1:2,elasticloadbalancing:^Describe=2:3');
const creates = (times: number[]) => times.map((at) => ({ at, service: 'cloudformation', action: 'CreateStack' }));

describe('measureFamilies', () => {
  it('accepts what a bucket of that rate and burst lets through', () => {
    // Two at once (the burst), then one per second.
    const [cfn, elb] = measureFamilies(creates([0, 1, 1000, 2000, 3000]), rules);
    expect(cfn).toMatchObject({ family: 'cloudformation:^CreateStack$', calls: 5, maxPerSecond: 2, withinLimit: true });
    expect(elb).toMatchObject({ calls: 0, withinLimit: true });
  });

  it('flags a log with more calls than the bucket allows over its span', () => {
    const [cfn] = measureFamilies(creates([0, 10, 20, 30, 40, 1000]), rules);
    expect(cfn).toMatchObject({ calls: 6, withinLimit: false });
    expect(cfn!.maxPerSecond).toBe(5);
  });

  it('counts a call against each rule matching its service and operation only', () => {
    const calls = [
      { at: 0, service: 'elasticloadbalancing', action: 'DescribeTags' },
      { at: 0, service: 'elasticloadbalancing', action: 'RegisterTargets' },
      { at: 0, service: 'ec2', action: 'DescribeInstances' },
    ];
    expect(measureFamilies(calls, rules).map((f) => f.calls)).toEqual([0, 1]);
  });
});
