// The certificate tags a stack should carry (upstream's CertificateARNs()). The tags double as the drain
// timer: a certificate nobody needs any more stays on the load balancer until its tag expires, and once every
// tag has expired the stack is deleted (see shouldDelete). This is what gives clients time to follow DNS away.
import type { CertificateExpiries } from '../types/stack.ts';

export function desiredCertificateExpiries(
  /** Certificate ARN -> how many ingresses need it on this load balancer now. */
  usage: ReadonlyMap<string, number>,
  /** Certificates already on the stack that are still usable, with their stored expiry (null = in use). */
  existing: ReadonlyMap<string, number | null>,
  now: number,
  certTTLMs: number,
): CertificateExpiries {
  const desired: Record<string, number | null> = {};
  for (const [arn, users] of usage) if (users > 0) desired[arn] = null;
  for (const [arn, expiry] of existing) {
    if (Object.hasOwn(desired, arn)) continue;
    if (expiry === null) {
      // The drain starts now. Whole seconds, because that is all the RFC3339 tag keeps: the value read back on
      // the next cycle is then identical and the stack counts as in sync.
      desired[arn] = Math.floor((now + certTTLMs) / 1000) * 1000;
    } else if (expiry > now) {
      desired[arn] = expiry;
    }
    // An expired drain drops the certificate.
  }
  return desired;
}
