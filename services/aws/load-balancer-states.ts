// Load balancer state and age for the managed stacks (upstream's GetStackLBStates). DescribeLoadBalancers
// takes at most 20 ARNs per call, and real AWS answers LoadBalancerNotFound for the whole call when any one of
// them is gone; upstream lets that abort the cycle. Here such a chunk is retried one ARN at a time, so a
// single deleted load balancer is reported as missing instead of hiding the state of the other nineteen.
import {
  DescribeLoadBalancersCommand,
  LoadBalancerNotFoundException,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancerState } from '../planning/types/stack.ts';
import { awsErrorCode } from './errors.ts';

export const DESCRIBE_LOAD_BALANCERS_CHUNK = 20;

export interface LoadBalancerStates {
  readonly states: Map<string, LoadBalancerState>;
  /** ARNs AWS does not know (deleted out of band, or not created yet). */
  readonly missing: string[];
}

export async function describeLoadBalancerStates(
  elbv2: ElasticLoadBalancingV2Client,
  arns: readonly string[],
): Promise<LoadBalancerStates> {
  const wanted = [...new Set(arns.filter((a) => a !== ''))];
  const states = new Map<string, LoadBalancerState>();
  const missing: string[] = [];

  for (let i = 0; i < wanted.length; i += DESCRIBE_LOAD_BALANCERS_CHUNK) {
    const chunk = wanted.slice(i, i + DESCRIBE_LOAD_BALANCERS_CHUNK);
    let found: LoadBalancer[];
    try {
      found = await describe(elbv2, chunk);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // Sequential on purpose: this is the rare path, and twenty parallel calls would invite throttling.
      found = [];
      for (const arn of chunk) {
        try {
          found.push(...(await describe(elbv2, [arn])));
        } catch (single) {
          if (!isNotFound(single)) throw single;
        }
      }
    }
    for (const lb of found) {
      if (!lb.LoadBalancerArn) continue;
      states.set(lb.LoadBalancerArn, {
        arn: lb.LoadBalancerArn,
        state: lb.State?.Code ?? '',
        createdAt: lb.CreatedTime?.getTime() ?? 0,
      });
    }
    for (const arn of chunk) if (!states.has(arn)) missing.push(arn);
  }
  return { states, missing };
}

async function describe(elbv2: ElasticLoadBalancingV2Client, arns: string[]): Promise<LoadBalancer[]> {
  const out = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns }));
  return out.LoadBalancers ?? [];
}

function isNotFound(e: unknown): boolean {
  if (e instanceof LoadBalancerNotFoundException) return true;
  const code = awsErrorCode(e);
  return code === 'LoadBalancerNotFound' || code === 'LoadBalancerNotFoundException';
}
