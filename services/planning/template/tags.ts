// Stack tags: how the controller finds its stacks again (stack names are random) and where it keeps
// per-certificate expiries, the owner of a non-shared load balancer and the alarm fingerprint.
import type { Config } from '../../config/config.ts';
import type { LoadBalancerSpec } from '../../types/load-balancer.ts';
import { Tag } from './names.ts';
import { formatRFC3339, parseRFC3339 } from './rfc3339.ts';

export interface TagEnvironment {
  readonly config: Config;
  readonly clusterId: string;
  /** alarmConfigHash() of the alarm list; '' when there are no alarms. */
  readonly alarmConfigHash: string;
}

export function stackTags(lb: LoadBalancerSpec, env: TagEnvironment): Record<string, string> {
  // --additional-stack-tags go first so that every controller tag below wins a key clash.
  const tags: Record<string, string> = { ...env.config.additionalStackTags };
  tags[Tag.application] = env.config.controllerId;
  tags[Tag.clusterPrefix + env.clusterId] = Tag.clusterOwned;
  for (const [arn, expiry] of Object.entries(lb.certificateARNs)) {
    tags[Tag.certificatePrefix + arn] = formatRFC3339(expiry);
  }
  if (lb.owner !== '') tags[Tag.owner] = lb.owner;
  if (env.alarmConfigHash !== '') tags[Tag.alarmConfigHash] = env.alarmConfigHash;
  return tags;
}

/**
 * Certificate ARN → expiry from a stack's tags, as upstream reads them back: an unparsable time counts as the
 * zero time (in use), and the pre-expiry `ingress:certificate-arn` tag (value = ARN) too.
 */
export function parseCertificateTags(tags: Readonly<Record<string, string>>): Record<string, number | null> {
  const result: Record<string, number | null> = {};
  const legacy = tags[Tag.legacyCertificate];
  // Upstream's map iteration makes a clash between both forms random; the newer, prefixed tag wins here.
  if (legacy !== undefined) result[legacy] = null;
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(Tag.certificatePrefix)) continue;
    result[key.slice(Tag.certificatePrefix.length)] = parseRFC3339(value) ?? null;
  }
  return result;
}
