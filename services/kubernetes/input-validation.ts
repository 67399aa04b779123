// Checks of user input that AWS would refuse, or that can never be served, made while parsing so that the
// object's Warning names the field and no stack is ever made with the value.
import { quoteValue } from './bounded-text.ts';

/** AWS's limit on a tag value (the ingress:owner tag holds namespace/name). */
export const MAX_TAG_VALUE = 256;
const MAX_HOST = 253;
const MAX_LABEL = 63;

// Shapes, not exact formats: a value of the right shape that does not exist fails in CloudFormation, as upstream.
const SECURITY_GROUP_ID = /^sg-[0-9A-Za-z]{1,32}$/;
const WAF_CLASSIC_ID = /^[0-9A-Za-z-]{1,128}$/;
const WAFV2_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]*:\d*:regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9A-Za-z-]{1,128}$/;
// Letters, digits, hyphens and dots; a leading "*." wildcard. Upper case is allowed (matched case-sensitively).
const HOST_CHARS = /^(?:\*\.)?[A-Za-z0-9.-]+$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Why the security group annotation cannot be used, or undefined: one id, or a comma-separated list of ids. */
export function validateSecurityGroups(value: string): string | undefined {
  if (value === '') return 'expected a security group id (sg-…), got an empty value';
  const bad = value.split(',').filter((id) => !SECURITY_GROUP_ID.test(id));
  if (bad.length === 0) return undefined;
  return `expected security group ids like sg-0123456789abcdef0 (comma-separated, no spaces), and ${bad.map((b) => quoteValue(b, 40)).join(', ')} is not one; the ingress is ignored`;
}

/** Why the WAF annotation cannot be used, or undefined: a WAF Classic WebACL id or a WAFv2 regional WebACL ARN. */
export function validateWafId(value: string): string | undefined {
  if (value.startsWith('arn:') ? WAFV2_ARN.test(value) : WAF_CLASSIC_ID.test(value)) return undefined;
  return 'expected a WAF Classic WebACL id (a UUID) or a WAFv2 regional WebACL ARN (arn:aws:wafv2:…:regional/webacl/…); the ingress is ignored';
}

/**
 * The hosts that can be served, in order, without repeats. A host that can never match a certificate (too
 * long, a label over 63 characters, characters a DNS name cannot have) is dropped with a warning naming its
 * field; an IP address or upper-case letters are only warned about, since upstream serves them as they are.
 */
export function checkHosts(hosts: readonly { host: string; field: string }[], warnings: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const { host, field } of hosts) {
    if (host === '') continue;
    const problem = hostProblem(host);
    if (problem) {
      warnings.push(`${field} ${quoteValue(host)} ${problem}: the host is ignored`);
      continue;
    }
    if (IPV4.test(host)) warnings.push(`${field} ${quoteValue(host)} is an IP address: no certificate can match it`);
    else if (host !== host.toLowerCase()) warnings.push(`${field} ${quoteValue(host)} has upper-case letters: certificates are matched case-sensitively`);
    if (seen.has(host)) {
      warnings.push(`${field} ${quoteValue(host)} is listed more than once`);
      continue;
    }
    seen.add(host);
    out.push(host);
  }
  return out;
}

function hostProblem(host: string): string | undefined {
  if (host.length > MAX_HOST) return `is ${host.length} characters long (a DNS name has at most ${MAX_HOST})`;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(host)) return 'is not ASCII (write an internationalised name in its xn-- form)';
  if (!HOST_CHARS.test(host)) return 'has characters a DNS name cannot have';
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  const long = labels.find((l) => l.length > MAX_LABEL);
  if (long !== undefined) return `has a label of ${long.length} characters (at most ${MAX_LABEL})`;
  if (labels.some((l) => l === '')) return 'has an empty label';
  return undefined;
}
