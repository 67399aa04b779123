// Prometheus metrics: upstream's names (namespace kube_ingress_aws, subsystem controller) plus lifecycle metrics
// of our own. A private registry per controller keeps tests and the scenario runner independent.
import { Counter, Gauge, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type { CycleMetrics, CycleSummary } from '../machines/reconciler.ts';
import type { CniTargetsStatus } from '../machines/cni-targets.ts';
import type { TargetSyncSummary } from '../services/aws/targets/target-sync.ts';
import type { ThrottleDelay } from '../services/aws/throttle/api-throttle.ts';

const P = 'kube_ingress_aws_controller_';

export class ControllerMetrics implements CycleMetrics {
  readonly registry = new Registry();
  private readonly lastSync = new Gauge({ name: `${P}last_sync_timestamp_seconds`, help: 'Time of the last reconcile cycle without problems', registers: [this.registry] });
  private readonly ingresses = new Gauge({ name: `${P}ingresses_total`, help: 'Ingresses listed (after the class filter)', registers: [this.registry] });
  private readonly routegroups = new Gauge({ name: `${P}routegroups_total`, help: 'RouteGroups listed', registers: [this.registry] });
  private readonly stacks = new Gauge({ name: `${P}stacks_total`, help: 'Managed CloudFormation stacks', registers: [this.registry] });
  readonly ownedAsgs = new Gauge({ name: `${P}owned_autoscaling_groups_total`, help: 'Owned Auto Scaling groups', registers: [this.registry] });
  readonly targetedAsgs = new Gauge({ name: `${P}targeted_autoscaling_groups_total`, help: 'Targeted Auto Scaling groups', registers: [this.registry] });
  readonly instances = new Gauge({ name: `${P}instances_total`, help: 'EC2 instances matching the filters', registers: [this.registry] });
  readonly standaloneInstances = new Gauge({ name: `${P}standalone_instances_total`, help: 'EC2 instances outside Auto Scaling groups', registers: [this.registry] });
  private readonly certificates = new Gauge({ name: `${P}certificates_total`, help: 'Cached certificates', registers: [this.registry] });
  private readonly alarms = new Gauge({ name: `${P}cloud_watch_alarms_total`, help: 'CloudWatch alarm definitions', registers: [this.registry] });
  private readonly changes = new Counter({ name: `${P}changes_total`, help: 'Changes made, by resource type and operation', labelNames: ['resource_type', 'operation'] as const, registers: [this.registry] });
  // ours
  private readonly transitions = new Counter({ name: `${P}stack_transitions_total`, help: 'Stack actor lifecycle transitions, by target phase', labelNames: ['phase'] as const, registers: [this.registry] });
  private readonly cyclesTotal = new Counter({ name: `${P}reconcile_cycles_total`, help: 'Reconcile cycles, by outcome', labelNames: ['outcome'] as const, registers: [this.registry] });
  private readonly cniEndpoints = new Gauge({ name: `${P}cni_endpoints_total`, help: 'AWS CNI mode: pod IPs that are endpoints (at the last target sync)', registers: [this.registry] });
  private readonly cniEndpointsMissing = new Gauge({ name: `${P}cni_endpoints_missing`, help: 'AWS CNI mode: 1 while no pod matches the selector (ip target groups are left as they are)', registers: [this.registry] });
  private readonly cniTargetGroups = new Gauge({ name: `${P}cni_target_groups_total`, help: 'AWS CNI mode: ip target groups of the managed stacks', registers: [this.registry] });
  private readonly stacksByPhase = new Gauge({ name: `${P}stacks_by_phase`, help: 'Stack actors per lifecycle phase', labelNames: ['phase'] as const, registers: [this.registry] });
  private readonly throttledCalls = new Counter({ name: `${P}aws_api_throttled_calls_total`, help: 'AWS API calls delayed by the client-side rate limits (--aws-api-throttle), by service and operation', labelNames: ['service', 'operation'] as const, registers: [this.registry] });
  private readonly throttleWait = new Counter({ name: `${P}aws_api_throttle_wait_seconds_total`, help: 'Time AWS API calls waited for the client-side rate limits, by service', labelNames: ['service'] as const, registers: [this.registry] });

  private readonly stackOperations = new Gauge({
    name: `${P}stack_operations`, help: 'Stack operations in progress (in_flight) and waiting for --max-stack-operations (queued)',
    labelNames: ['state'] as const, registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  cycle(summary: CycleSummary): void {
    if (summary.ok) this.lastSync.set(summary.at / 1000);
    this.cyclesTotal.inc({ outcome: summary.ok ? 'ok' : 'problems' });
    this.ingresses.set(summary.ingressCount);
    this.routegroups.set(summary.routeGroupCount);
    this.stacks.set(summary.stackCount);
    this.certificates.set(summary.certificateCount);
    this.alarms.set(summary.alarmCount);
  }

  targets(result: TargetSyncSummary): void {
    this.ownedAsgs.set(result.ownedAutoScalingGroups);
    this.targetedAsgs.set(result.targetedAutoScalingGroups);
    this.instances.set(result.instances);
    this.standaloneInstances.set(result.standaloneInstances);
  }

  cni(status: CniTargetsStatus): void {
    this.cniEndpoints.set(status.endpoints.length);
    this.cniEndpointsMissing.set(status.missingEndpoints ? 1 : 0);
    this.cniTargetGroups.set(status.ipTargetGroups.length);
  }

  change(resourceType: 'stack' | 'ingress' | 'routegroup', operation: 'create' | 'update' | 'delete'): void {
    this.changes.inc({ resource_type: resourceType, operation });
  }

  throttled(delay: ThrottleDelay): void {
    this.throttledCalls.inc({ service: delay.service, operation: delay.operation });
    this.throttleWait.inc({ service: delay.service }, delay.delayMs / 1000);
  }

  transition(phase: string): void {
    this.transitions.inc({ phase });
  }

  private httpDuration: Summary<'handler' | 'scheme' | 'host' | 'path' | 'query' | 'method' | 'status'> | undefined;
  private readonly awsCalls = new Counter({
    name: `${P}aws_calls_total`, help: 'AWS API requests by service, operation and outcome (ok, or the error code, e.g. ThrottlingException)',
    labelNames: ['service', 'operation', 'code'] as const, registers: [this.registry],
  });
  private readonly kubernetesRequests = new Counter({
    name: `${P}kubernetes_requests_total`, help: 'Kubernetes API requests by verb, resource and HTTP status code',
    labelNames: ['verb', 'resource', 'code'] as const, registers: [this.registry],
  });

  /** Upstream's instrumented_http summary, for both clients; absent with --disable-instrumented-http-client. */
  enableHttpDurations(): void {
    this.httpDuration ??= new Summary({
      name: 'http_request_duration_seconds', help: 'The HTTP request latencies in seconds.',
      labelNames: ['handler', 'scheme', 'host', 'path', 'query', 'method', 'status'] as const, registers: [this.registry],
      percentiles: [0.5, 0.9, 0.99], maxAgeSeconds: 600, ageBuckets: 5,
    });
  }

  httpRequest(o: { scheme: string; host: string; path: string; query: string; method: string; status: number; seconds: number }): void {
    this.httpDuration?.observe({ handler: 'instrumented_http', scheme: o.scheme, host: o.host, path: o.path, query: o.query, method: o.method.toLowerCase(), status: String(o.status) }, o.seconds);
  }

  awsCall(o: { service: string; operation: string; code: string }): void {
    this.awsCalls.inc(o);
  }

  kubernetesRequest(o: { verb: string; resource: string; status: number }): void {
    this.kubernetesRequests.inc({ verb: o.verb, resource: o.resource, code: String(o.status) });
  }

  /** Leader election: 1 for the mode this replica is in (leader, standby, single-instance, disabled). */
  leader(mode: () => string): void {
    new Gauge({
      name: `${P}leader_election_mode`, help: 'Leader election mode of this replica (1 for the current mode)', labelNames: ['mode'] as const,
      registers: [this.registry],
      collect() {
        const current = mode();
        for (const m of ['leader', 'standby', 'single-instance', 'disabled']) this.set({ mode: m }, m === current ? 1 : 0);
      },
    });
  }

  /** --max-stack-operations: operations in progress and waiting for a slot. */
  operations(inFlight: number, queued: number): void {
    this.stackOperations.set({ state: 'in_flight' }, inFlight);
    this.stackOperations.set({ state: 'queued' }, queued);
  }

  phases(counts: Record<string, number>): void {
    this.stacksByPhase.reset();
    for (const [phase, n] of Object.entries(counts)) this.stacksByPhase.set({ phase }, n);
  }
}
