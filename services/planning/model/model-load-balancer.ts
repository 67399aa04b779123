// One load balancer while the model is being built: either an existing stack or a new one, collecting
// ingresses per certificate. addIngress is upstream's grouping rule and decides which ingresses share a load
// balancer; its quirks are copied because they decide which stacks exist.
import type { IngressModel, IngressRef } from '../types/ingress.ts';
import { ownerKey, refKey } from '../types/ingress.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import type { ManagedStack } from '../types/stack.ts';
import { desiredCertificateExpiries } from './certificate-expiries.ts';

/** An ingress with the defaults applied that the grouping compares against. */
export interface PlacedIngress {
  readonly ingress: IngressModel;
  /** ownerKey(ingress.ref): what an ingress:owner tag names. */
  readonly ownerName: string;
  /** The annotation, else the discovered security group. */
  readonly securityGroup: string;
  /** The annotation, else --aws-waf-web-acl-id. */
  readonly wafWebACLID: string;
}

export class ModelLoadBalancer {
  /** Certificate ARN -> ingresses; kept stack certificates start as empty buckets. */
  private readonly buckets = new Map<string, IngressModel[]>();
  /** Expiries stored on the stack for certificates still in the cache. */
  private readonly existingExpiries = new Map<string, number | null>();
  private readonly added: IngressModel[] = [];

  private constructor(
    readonly stack: ManagedStack | undefined,
    readonly clusterLocal: boolean,
    readonly scheme: string,
    readonly securityGroup: string,
    private sslPolicy: string,
    readonly ipAddressType: string,
    readonly loadBalancerType: string,
    readonly http2: boolean,
    readonly wafWebACLID: string,
    private shared: boolean,
  ) {}

  static fromStack(stack: ManagedStack, isCertificateKnown: (arn: string) => boolean): ModelLoadBalancer {
    const lb = new ModelLoadBalancer(
      stack,
      false,
      stack.scheme,
      stack.securityGroup,
      stack.sslPolicy,
      stack.ipAddressType,
      stack.loadBalancerType,
      stack.http2,
      stack.wafWebACLID,
      stack.ownerIngress === '',
    );
    // A certificate that left ACM/IAM is dropped at once, without a drain: it could not be served anyway.
    for (const [arn, expiry] of Object.entries(stack.certificateARNs)) {
      if (!isCertificateKnown(arn)) continue;
      lb.existingExpiries.set(arn, expiry);
      lb.buckets.set(arn, []);
    }
    return lb;
  }

  static fromIngress(placed: PlacedIngress, certificateARNs: readonly string[]): ModelLoadBalancer {
    const ing = placed.ingress;
    const lb = new ModelLoadBalancer(
      undefined,
      false,
      ing.scheme,
      placed.securityGroup,
      ing.sslPolicy,
      ing.ipAddressType,
      ing.loadBalancerType,
      ing.http2,
      placed.wafWebACLID,
      ing.shared,
    );
    for (const arn of certificateARNs) lb.buckets.set(arn, [ing]);
    lb.added.push(ing);
    return lb;
  }

  /** The synthetic holder of ingresses without public hosts: never a stack, only status write-back. */
  static clusterLocalHolder(): ModelLoadBalancer {
    return new ModelLoadBalancer(undefined, true, '', '', '', '', '', false, '', false);
  }

  /**
   * An existing load balancer on its way out: every certificate has an expiry (nobody needs one any more), or
   * it belongs to an owner that is gone. It takes only ingresses that have no load balancer yet (stickiness).
   */
  isDraining(owners: ReadonlySet<string>): boolean {
    const stack = this.stack;
    if (stack === undefined) return false;
    if (stack.ownerIngress !== '') return !owners.has(stack.ownerIngress);
    return Object.values(stack.certificateARNs).every((expiry) => expiry !== null);
  }

  /**
   * A drained load balancer whose DeleteStack is already sent: its DNS name is about to go, so it takes nobody,
   * not even an ingress coming back to it. (A create that rolled back is deleted too, but is not drained: its
   * ingress waits for that deletion, so a create that always fails cannot loop without backoff.)
   */
  goingAway(owners: ReadonlySet<string>): boolean {
    return this.stack?.beingDeleted === true && this.isDraining(owners);
  }

  /** Legacy stacks (no Type parameter) and the cluster-local holder take no new ingresses. */
  acceptsIngresses(): boolean {
    return !this.clusterLocal && (this.loadBalancerType === 'application' || this.loadBalancerType === 'network');
  }

  addClusterLocal(ingress: IngressModel): void {
    this.added.push(ingress);
  }

  /** Upstream's addIngress: true when the ingress now lives on this load balancer. */
  addIngress(certificateARNs: readonly string[], placed: PlacedIngress, maxCerts: number): boolean {
    const ing = placed.ingress;
    const name = placed.ownerName;
    // A new load balancer has no owner yet, so a non-shared ingress never joins one: it always gets its own.
    const owner = this.stack?.ownerIngress ?? '';
    if (owner !== '' && name !== owner) return false;
    if (!ing.shared && name !== owner) return false;

    // Properties that cannot change on a live load balancer.
    if (
      this.ipAddressType !== ing.ipAddressType ||
      this.scheme !== ing.scheme ||
      this.loadBalancerType !== ing.loadBalancerType ||
      this.http2 !== ing.http2
    ) {
      return false;
    }

    // Properties a dedicated load balancer could change in place, but which shared tenants must agree on. An
    // ingress without an SSL-policy annotation has no opinion on the policy.
    if (
      ing.shared &&
      (this.securityGroup !== placed.securityGroup ||
        this.wafWebACLID !== placed.wafWebACLID ||
        (ing.hasSSLPolicyAnnotation && this.sslPolicy !== ing.sslPolicy))
    ) {
      return false;
    }

    // Kept (draining) certificates occupy listener slots too. An ingress whose certificates are all here already
    // takes no slot, so it always fits. Upstream checks the total even then, so a load balancer created for an
    // ingress with more certificates than --max-certs-alb rejects that same ingress on the next cycle, and a new
    // stack is created every cycle; we fix that on purpose.
    let newCerts = 0;
    for (const arn of certificateARNs) if (!this.buckets.has(arn)) newCerts++;
    if (newCerts > 0 && this.buckets.size + newCerts > maxCerts) return false;

    for (const arn of certificateARNs) {
      const bucket = this.buckets.get(arn);
      if (bucket === undefined) this.buckets.set(arn, [ing]);
      else bucket.push(ing);
    }
    this.added.push(ing);
    // Last writer wins, as upstream: the result depends on ingress order (upstream issue #790 for the policy).
    // The security group and WAF of a non-shared ingress are deliberately not taken over, as upstream.
    this.shared = ing.shared;
    this.sslPolicy = ing.sslPolicy;
    return true;
  }

  toSpec(now: number, certTTLMs: number): LoadBalancerSpec {
    const ingressesByCertificate: Record<string, readonly IngressRef[]> = {};
    const usage = new Map<string, number>();
    for (const [arn, ingresses] of this.buckets) {
      ingressesByCertificate[arn] = ingresses.map((i) => i.ref);
      usage.set(arn, ingresses.length);
    }
    const byKey = new Map<string, IngressRef>();
    for (const { ref } of this.added) if (!byKey.has(refKey(ref))) byKey.set(refKey(ref), ref);
    const ingresses = [...byKey.values()];

    return {
      stack: this.stack,
      scheme: this.scheme,
      securityGroup: this.securityGroup,
      sslPolicy: this.sslPolicy,
      ipAddressType: this.ipAddressType,
      loadBalancerType: asSpecType(this.loadBalancerType),
      http2: this.http2,
      wafWebACLID: this.wafWebACLID,
      shared: this.shared,
      owner: this.owner(),
      ingressesByCertificate,
      certificateARNs: this.clusterLocal
        ? {}
        : desiredCertificateExpiries(usage, this.existingExpiries, now, certTTLMs),
      ingresses,
      clusterLocal: this.clusterLocal,
    };
  }

  /**
   * `namespace/name` written as the ingress:owner tag. Taken from the ingresses actually placed, so a dedicated
   * stack that is draining (no ingress left) loses its owner tag on the next update, as upstream's does.
   */
  private owner(): string {
    if (this.shared || this.clusterLocal) return '';
    for (const ingresses of this.buckets.values()) {
      const first = ingresses[0];
      if (first !== undefined) return ownerKey(first.ref);
    }
    return '';
  }
}

function asSpecType(type: string): LoadBalancerSpec['loadBalancerType'] {
  return type === 'application' || type === 'network' ? type : '';
}
