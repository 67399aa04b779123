// Which load balancers should exist and what each serves (upstream's buildManagedModel plus
// CertificateARNs). Pure: the same ingresses, stacks, certificates and time always give the same model, which
// is what lets plan mode and the debug API show exactly what a cycle would do.
import type { Config } from '../../config/config.ts';
import type { CertificateSummary } from '../types/certificate.ts';
import type { IngressModel, IngressRef } from '../types/ingress.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import type { ManagedStack } from '../types/stack.ts';
import { findBestMatchingCertificates } from '../certificates/best-match.ts';
import { ModelLoadBalancer, type PlacedIngress } from './model-load-balancer.ts';

export interface ModelInput {
  /** In API order: Ingresses first, then RouteGroups. The order decides grouping, as upstream. */
  readonly ingresses: readonly IngressModel[];
  readonly stacks: readonly ManagedStack[];
  readonly certificates: readonly CertificateSummary[];
  readonly config: Config;
  /** The discovered security group, for ingresses without the annotation. */
  readonly defaultSecurityGroup: string;
  readonly now: number;
}

export interface SkippedIngress {
  readonly ref: IngressRef;
  readonly reason: string;
}

/** Hosts of a served ingress that no certificate covers: the ingress got a load balancer, these hosts no TLS. */
export interface UnmatchedHostnames {
  readonly ref: IngressRef;
  readonly hostnames: readonly string[];
}

export interface ModelResult {
  /** Existing stacks (sorted as upstream), then the cluster-local holder, then load balancers to create. */
  readonly loadBalancers: LoadBalancerSpec[];
  /** Ingresses that got no load balancer at all, with the reason in an operator's words. */
  readonly skipped: SkippedIngress[];
  readonly unmatchedHostnames: UnmatchedHostnames[];
}

export function buildModel(input: ModelInput): ModelResult {
  const { config, now } = input;
  const maxCerts = config.disableSNISupport ? 1 : config.maxCertsALB;
  const known = new Set(input.certificates.map((c) => c.arn));

  const isKnown = (arn: string): boolean => known.has(arn);
  const loadBalancers = sortStacks(input.stacks).map((stack) => ModelLoadBalancer.fromStack(stack, isKnown));
  const clusterLocal = ModelLoadBalancer.clusterLocalHolder();
  loadBalancers.push(clusterLocal);

  const skipped: SkippedIngress[] = [];
  const unmatchedHostnames: UnmatchedHostnames[] = [];

  for (const ingress of input.ingresses) {
    if (ingress.clusterLocal) {
      clusterLocal.addClusterLocal(ingress);
      continue;
    }

    let certificateARNs: readonly string[];
    if (ingress.certificateARN !== undefined) {
      // A pinned certificate skips hostname verification, but must still be one we can see.
      if (!known.has(ingress.certificateARN)) {
        skipped.push({ ref: ingress.ref, reason: pinnedCertificateMissing(ingress.certificateARN) });
        continue;
      }
      certificateARNs = [ingress.certificateARN];
    } else {
      const matches = findBestMatchingCertificates(ingress.hostnames, input.certificates, now);
      if (matches.arns.length === 0) {
        skipped.push({ ref: ingress.ref, reason: noCertificate(matches.unmatched) });
        continue;
      }
      if (matches.unmatched.length > 0) unmatchedHostnames.push({ ref: ingress.ref, hostnames: matches.unmatched });
      certificateARNs = matches.arns;
    }

    const placed: PlacedIngress = {
      ingress,
      securityGroup: ingress.securityGroup ?? input.defaultSecurityGroup,
      wafWebACLID: ingress.wafWebACLID !== '' ? ingress.wafWebACLID : config.awsWAFWebACLID,
    };
    const home = loadBalancers.find((lb) => lb.acceptsIngresses() && lb.addIngress(certificateARNs, placed, maxCerts));
    if (home === undefined) loadBalancers.push(ModelLoadBalancer.fromIngress(placed, certificateARNs));
  }

  return {
    loadBalancers: loadBalancers.map((lb) => lb.toSpec(now, config.certTTLTimeoutMs)),
    skipped,
    unmatchedHostnames,
  };
}

/**
 * Fullest stacks first, then by name: new ingresses fill the load balancers that already carry the most
 * certificates, and the order is stable across cycles.
 */
export function sortStacks(stacks: readonly ManagedStack[]): ManagedStack[] {
  const certCount = (s: ManagedStack): number => Object.keys(s.certificateARNs).length;
  return [...stacks].sort((a, b) => certCount(b) - certCount(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function pinnedCertificateMissing(arn: string): string {
  return (
    `certificate ${arn} pinned by annotation zalando.org/aws-load-balancer-ssl-cert was not found: it must be an ` +
    `ISSUED ACM certificate or an IAM server certificate, carry the --cert-filter-tag if one is set, and not be ` +
    `in --blacklist-certificate-arns`
  );
}

function noCertificate(hosts: readonly string[]): string {
  const list = hosts.join(', ');
  return (
    `no certificate for host${hosts.length === 1 ? '' : 's'} ${list}: a usable certificate must be currently ` +
    `valid, chain to a trusted root, and name the host in its DNS SANs (a wildcard covers one label only)`
  );
}
