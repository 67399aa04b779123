// Stack tags: how the controller finds its stacks again (stack names are random) and where it keeps
// per-certificate expiries, the owner of a non-shared load balancer and the alarm fingerprint.
import type { Config } from '../../config/config.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import { StackTag } from '../stack-contract.ts';
import { formatRFC3339 } from '../rfc3339.ts';

export interface TagEnvironment {
  readonly config: Config;
  readonly clusterId: string;
  /** alarmConfigHash() of the alarm list; '' when there are no alarms. */
  readonly alarmConfigHash: string;
}

export function stackTags(lb: LoadBalancerSpec, env: TagEnvironment): Record<string, string> {
  // --additional-stack-tags go first so that every controller tag below wins a key clash.
  const tags: Record<string, string> = { ...env.config.additionalStackTags };
  tags[StackTag.application] = env.config.controllerId;
  tags[StackTag.clusterPrefix + env.clusterId] = StackTag.clusterOwned;
  for (const [arn, expiry] of Object.entries(lb.certificateARNs)) {
    tags[StackTag.certificatePrefix + arn] = formatRFC3339(expiry);
  }
  if (lb.owner !== '') tags[StackTag.owner] = lb.owner;
  if (env.alarmConfigHash !== '') tags[StackTag.alarmConfigHash] = env.alarmConfigHash;
  return tags;
}

