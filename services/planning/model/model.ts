// Which load balancers should exist and what each serves (upstream's buildManagedModel plus
// CertificateARNs). Pure: the same ingresses, stacks, certificates and time always give the same model, which
// is what lets plan mode and the debug API show exactly what a cycle would do.
import type { Config } from '../../config/config.ts';
import type { CertificateSummary } from '../types/certificate.ts';
import { ownerKey, type IngressModel, type IngressRef } from '../types/ingress.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import type { ManagedStack } from '../types/stack.ts';
import { certificateIndex } from '../certificates/certificate-index.ts';
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

/** Ingresses placed between two pauses of buildModelInSlices: a few milliseconds of work. */
export const MODEL_SLICE = 1000;

export function buildModel(input: ModelInput): ModelResult {
  const steps = buildModelInSlices(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * buildModel as a generator that pauses (yields) every MODEL_SLICE ingresses, so that a caller on the event loop
 * can let other work run in between. The result is the same however it is driven.
 */
export function* buildModelInSlices(input: ModelInput): Generator<void, ModelResult, void> {
  const { config, now } = input;
  const maxCerts = config.disableSNISupport ? 1 : config.maxCertsALB;
  const certificates = certificateIndex(input.certificates);
  const known = certificates.arns;

  const isKnown = (arn: string): boolean => known.has(arn);
  const loadBalancers = sortStacks(input.stacks).map((stack) => ModelLoadBalancer.fromStack(stack, isKnown));
  const candidates = new CandidateLoadBalancers(loadBalancers);
  // Stickiness (docs/stickiness.md): the load balancer an ingress's status names keeps it while it can.
  const byHostname = new Map<string, ModelLoadBalancer>();
  for (const lb of loadBalancers) if (lb.stack && lb.stack.dnsName !== '') byHostname.set(lb.stack.dnsName.toLowerCase(), lb);
  const owners = new Set(input.ingresses.map((i) => ownerKey(i.ref)));
  const clusterLocal = ModelLoadBalancer.clusterLocalHolder();
  loadBalancers.push(clusterLocal);

  const skipped: SkippedIngress[] = [];
  const unmatchedHostnames: UnmatchedHostnames[] = [];

  let placedSinceSlice = 0;
  for (const ingress of input.ingresses) {
    if (++placedSinceSlice >= MODEL_SLICE) {
      placedSinceSlice = 0;
      yield;
    }
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
      const matches = certificates.bestMatches(ingress.hostnames, now);
      if (matches.arns.length === 0) {
        skipped.push({ ref: ingress.ref, reason: noCertificate(matches.unmatched) });
        continue;
      }
      if (matches.unmatched.length > 0) unmatchedHostnames.push({ ref: ingress.ref, hostnames: matches.unmatched });
      certificateARNs = matches.arns;
    }

    const placed: PlacedIngress = {
      ingress,
      ownerName: ownerKey(ingress.ref),
      securityGroup: ingress.securityGroup ?? input.defaultSecurityGroup,
      wafWebACLID: ingress.wafWebACLID !== '' ? ingress.wafWebACLID : config.awsWAFWebACLID,
    };
    const current = ingress.currentHostname === '' ? undefined : byHostname.get(ingress.currentHostname.toLowerCase());
    const stays = current !== undefined && current.acceptsIngresses() && !current.goingAway(owners) && current.addIngress(certificateARNs, placed, maxCerts);
    const home = stays ? current : candidates.find(placed, (lb) =>
      // A load balancer being drained takes only ingresses that have none yet, and none once its deletion is sent.
      (current === undefined || !lb.isDraining(owners)) && !lb.goingAway(owners) && lb.addIngress(certificateARNs, placed, maxCerts));
    if (home === undefined) {
      const created = ModelLoadBalancer.fromIngress(placed, certificateARNs);
      loadBalancers.push(created);
      candidates.add(created);
    }
  }

  return {
    loadBalancers: loadBalancers.map((lb) => lb.toSpec(now, config.certTTLTimeoutMs)),
    skipped,
    unmatchedHostnames,
  };
}

/**
 * The load balancers an ingress may join, in model order, without scanning all of them: a stack with an owner
 * takes only its owner (addIngress's first rule), so an ingress looks at the load balancers without an owner
 * and at those it owns. New load balancers have no owner yet. Legacy stacks (no type) take nobody.
 */
const NONE: readonly { readonly order: number; readonly lb: ModelLoadBalancer }[] = [];

class CandidateLoadBalancers {
  private readonly open: { readonly order: number; readonly lb: ModelLoadBalancer }[] = [];
  private readonly owned = new Map<string, { readonly order: number; readonly lb: ModelLoadBalancer }[]>();
  private next = 0;

  constructor(existing: readonly ModelLoadBalancer[]) {
    for (const lb of existing) this.add(lb);
  }

  add(lb: ModelLoadBalancer): void {
    const entry = { order: this.next++, lb };
    if (!lb.acceptsIngresses()) return;
    const owner = lb.stack?.ownerIngress ?? '';
    if (owner === '') {
      this.open.push(entry);
      return;
    }
    const list = this.owned.get(owner);
    if (list === undefined) this.owned.set(owner, [entry]);
    else list.push(entry);
  }

  /** The first candidate, in model order, for which `tryAdd` succeeds. */
  find(placed: PlacedIngress, tryAdd: (lb: ModelLoadBalancer) => boolean): ModelLoadBalancer | undefined {
    const mine = this.owned.get(placed.ownerName) ?? NONE;
    // A non-shared ingress never joins a load balancer without an owner (addIngress's second rule).
    const open = placed.ingress.shared ? this.open : NONE;
    let i = 0;
    let j = 0;
    while (i < open.length || j < mine.length) {
      const next = j >= mine.length || (i < open.length && open[i]!.order < mine[j]!.order) ? open[i++]! : mine[j++]!;
      if (tryAdd(next.lb)) return next.lb;
    }
    return undefined;
  }
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
