// What the controller knows about its stacks and their load balancers, kept current at the cost of what
// changed. The full scan (one paginated DescribeStacks of the region, DescribeLoadBalancers in chunks of 20)
// runs at start-up and once per --polling-interval, so changes made outside the controller are seen within one
// interval, as upstream sees them; in between, a cycle plans against this view, and the stack actors keep it
// current with what their own calls return. Stacks in progress are polled through describe(): the requests that
// arrive together are answered by one paginated scan when that takes fewer calls than asking stack by stack.
//
// The reconciler, the actors and plan mode all read AWS through this one view.
import type { Clock } from '../clock.ts';
import type { LoadBalancerState } from '../planning/types/stack.ts';
import { documentsEqual, type StackDocumentLike } from '../planning/template/stack-document.ts';
import type { StackObservation } from './stack-operations.ts';

/** One paginated DescribeStacks of the region. */
export interface StackScan {
  readonly stacks: readonly StackObservation[];
  readonly pages: number;
}

export interface ObservationSources {
  /** Every stack of the region that is not DELETE_COMPLETE. */
  scanStacks(): Promise<StackScan>;
  /** undefined when the stack does not exist (or is DELETE_COMPLETE). */
  describeStack(name: string): Promise<StackObservation | undefined>;
  getTemplate(name: string): Promise<string | undefined>;
  loadBalancerStates(arns: readonly string[]): Promise<{ states: Map<string, LoadBalancerState>; missing: readonly string[] }>;
}

export interface AwsObservationOptions {
  readonly sources: ObservationSources;
  /** Which listed stacks are this controller's (tags only). */
  readonly isManaged: (tags: Readonly<Record<string, string>>) => boolean;
  readonly clock: Clock;
  /** How long the state of a load balancer that is not active yet is trusted before it is asked again. */
  readonly loadBalancerRecheckMs: number;
}

/** Crossplane's Observe for one stack: does it exist, and does it carry the document. */
export interface StackComparison {
  readonly exists: boolean;
  readonly upToDate: boolean;
}

interface KnownLoadBalancer {
  readonly state: LoadBalancerState | undefined;
  readonly at: number;
}

export class AwsObservation {
  private readonly stacksByName = new Map<string, StackObservation>();
  private readonly loadBalancers = new Map<string, KnownLoadBalancer>();
  private readonly templates = new Map<string, { readonly version: string; readonly body: string | undefined }>();
  private lastScan: { readonly at: number; readonly pages: number } | undefined;
  private pending = new Map<string, { resolve: (s: StackObservation | undefined) => void; reject: (e: unknown) => void }[]>();
  private flushScheduled = false;

  constructor(private readonly options: AwsObservationOptions) {}

  /** When the last full scan finished; undefined before the first. */
  get scannedAt(): number | undefined {
    return this.lastScan?.at;
  }

  /** The full scan: every managed stack, and the state of every load balancer they name. */
  async resync(): Promise<void> {
    const scan = await this.options.sources.scanStacks();
    const managed = scan.stacks.filter((s) => this.options.isManaged(s.tags));
    const arns = managed.map((s) => s.outputs['LoadBalancerARN'] ?? '').filter((a) => a !== '');
    const { states } = arns.length > 0 ? await this.options.sources.loadBalancerStates(arns) : { states: new Map<string, LoadBalancerState>() };
    const now = this.options.clock.now();
    this.stacksByName.clear();
    for (const s of managed) this.stacksByName.set(s.name, s);
    this.loadBalancers.clear();
    for (const arn of arns) this.loadBalancers.set(arn, { state: states.get(arn), at: now });
    for (const name of this.templates.keys()) if (!this.stacksByName.has(name)) this.templates.delete(name);
    this.lastScan = { at: now, pages: scan.pages };
  }

  /** Managed stacks, in the order AWS listed them (stacks first seen through the actors last). */
  stacks(): StackObservation[] {
    return [...this.stacksByName.values()];
  }

  stack(name: string): StackObservation | undefined {
    return this.stacksByName.get(name);
  }

  /**
   * What a stack actor or an operation learned about one stack: the view follows at once, without a scan.
   * undefined: the stack is gone.
   */
  record(name: string, observed: StackObservation | undefined): void {
    if (observed === undefined) {
      this.stacksByName.delete(name);
      this.templates.delete(name);
      return;
    }
    this.stacksByName.set(name, observed);
  }

  /**
   * Load balancer states for these ARNs. Unknown ones are asked for (a stack that just completed), and so are
   * those not active yet once loadBalancerRecheckMs has passed since they were last asked.
   */
  async loadBalancerStates(arns: readonly string[]): Promise<Map<string, LoadBalancerState>> {
    const now = this.options.clock.now();
    const ask = [...new Set(arns)].filter((arn) => {
      if (arn === '') return false;
      const known = this.loadBalancers.get(arn);
      if (known === undefined) return true;
      return known.state?.state !== 'active' && now - known.at >= this.options.loadBalancerRecheckMs;
    });
    if (ask.length > 0) {
      const { states } = await this.options.sources.loadBalancerStates(ask);
      for (const arn of ask) this.loadBalancers.set(arn, { state: states.get(arn), at: now });
    }
    const out = new Map<string, LoadBalancerState>();
    for (const arn of arns) {
      const state = this.loadBalancers.get(arn)?.state;
      if (state) out.set(arn, state);
    }
    return out;
  }

  /** The earliest time a load balancer that is not active yet will be asked again (for the next wake-up). */
  nextLoadBalancerRecheck(arns: readonly string[]): number | undefined {
    let next: number | undefined;
    for (const arn of arns) {
      const known = this.loadBalancers.get(arn);
      if (!known || known.state?.state === 'active') continue;
      const at = known.at + this.options.loadBalancerRecheckMs;
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  /** The live template, read once per stack version (its last update time). */
  async template(name: string): Promise<string | undefined> {
    const stack = this.stacksByName.get(name);
    const version = `${stack?.stackId ?? ''}@${stack?.lastUpdatedAt ?? stack?.createdAt ?? ''}`;
    const cached = this.templates.get(name);
    if (cached && cached.version === version) return cached.body;
    const body = await this.options.sources.getTemplate(name);
    this.templates.set(name, { version, body });
    return body;
  }

  /** Whether the stack exists and carries exactly `document` (template, parameters, tags). */
  async compare(name: string, document: StackDocumentLike): Promise<StackComparison> {
    const stack = this.stacksByName.get(name);
    if (!stack) return { exists: false, upToDate: false };
    const templateBody = await this.template(name);
    if (templateBody === undefined) return { exists: false, upToDate: false };
    return { exists: true, upToDate: documentsEqual({ templateBody, parameters: stack.parameters, tags: stack.tags }, document) };
  }

  /**
   * The shared poll for stacks in progress: requests made together (in one turn of the event loop, as timers
   * due at the same instant are) are answered together, by one scan when that needs fewer calls than one
   * DescribeStacks per stack. Every answer updates the view.
   */
  describe(name: string): Promise<StackObservation | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(name);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(name, [{ resolve, reject }]);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const names = [...batch.keys()];
    const answer = (name: string, observed: StackObservation | undefined) => {
      this.record(name, observed);
      for (const w of batch.get(name) ?? []) w.resolve(observed);
    };
    const fail = (name: string, err: unknown) => {
      for (const w of batch.get(name) ?? []) w.reject(err);
    };
    if (names.length > 1 && names.length > (this.lastScan?.pages ?? Number.POSITIVE_INFINITY)) {
      try {
        const scan = await this.options.sources.scanStacks();
        const byName = new Map(scan.stacks.map((s) => [s.name, s]));
        for (const name of names) answer(name, byName.get(name));
      } catch (err) {
        for (const name of names) fail(name, err);
      }
      return;
    }
    await Promise.all(names.map(async (name) => {
      try {
        answer(name, await this.options.sources.describeStack(name));
      } catch (err) {
        fail(name, err);
      }
    }));
  }
}
