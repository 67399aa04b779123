// The composition root: builds every adapter from the configuration and starts the controller. main.ts, the
// scenario runner and the demo all go through here, so they exercise the same wiring as production.
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { CniTargets } from '../../machines/cni-targets.ts';
import { Controller, DEFAULT_TIMINGS, type ControllerTimings } from '../../machines/controller.ts';
import type { StackPhase } from '../../machines/stack-machine.ts';
import type { AlarmConfiguration, CycleSummary } from '../../machines/reconciler.ts';
import { CloudFormationExecutor } from '../aws/cloudformation-executor.ts';
import { createAwsClients, type AwsClientOptions, type AwsClients } from '../aws/clients.ts';
import { AcmCertificateProvider, CertificateCache, IamCertificateProvider, loadTrustedRoots } from '../aws/certificates/index.ts';
import { discover, discoverNetwork, type Discovery } from '../aws/discovery.ts';
import { DiscoveryRefresher } from '../aws/discovery-refresh.ts';
import { fenceMutations } from '../aws/leader-fence.ts';
import { instrumentAwsClients } from '../aws/instrumentation.ts';
import { setKubernetesRequestObserver } from '../kubernetes/request-options.ts';
import { RepeatLimiter } from '../repeat-limiter.ts';
import { defaultLeaseNamespace, LeaderElector } from '../kubernetes/leader-election.ts';
import { loadBalancerEventOf, ServedObjects } from '../../machines/load-balancer-events.ts';
import { ImdsClient } from '../aws/imds.ts';
import { describeLoadBalancerStates } from '../aws/load-balancer-states.ts';
import { AwsObservation } from '../aws/observation.ts';
import { isManagedStack } from '../planning/model/managed-stack.ts';
import { CniTargetSynchronizer } from '../aws/targets/cni-target-sync.ts';
import { describeTargetGroupTypes } from '../aws/targets/target-groups.ts';
import { TargetSynchronizer } from '../aws/targets/target-sync.ts';
import { ApiThrottle } from '../aws/throttle/api-throttle.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { DEFAULT_ROUTEGROUP_PROBE_INTERVAL_MS, KubernetesAdapter } from '../kubernetes/adapter.ts';
import { kubeConfigFor } from '../kubernetes/kube-config.ts';
import type { Logger } from '../logger.ts';
import { alarmConfigHash, parseAlarmConfig } from '../planning/template/cloudwatch-alarms.ts';
import { randomUUID } from 'node:crypto';
import { buildServer, type HealthView, parseListenAddress } from '../../server/app.ts';
import { ControllerMetrics } from '../../server/metrics.ts';
import { openDatabase, type Db } from '../../storage/database.ts';
import { DEFAULT_RETENTION, StateStore, type TransitionRecord } from '../../storage/state-store.ts';

export interface RuntimeOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Overrides for the AWS clients (the simulations pass endpoint, credentials and a fast retry strategy). */
  readonly aws?: Partial<AwsClientOptions>;
  readonly imdsEndpoint?: string;
  readonly kubeConfig?: KubeConfig;
  readonly uuid?: () => string;
  readonly timings?: Partial<ControllerTimings>;
  /** Leadership lost: by default the process exits (Kubernetes restarts it as a standby). */
  readonly onLostLeadership?: () => void;
  /** AWS CNI mode: delay between a pod event and the target sync (default 250 ms; the scenario runner uses 0). */
  readonly cniDebounceMs?: number;
  /** Start the HTTP server on --metrics-address (or this address). */
  readonly listen?: boolean | string;
  readonly defaultMetrics?: boolean;
  readonly onCycle?: (summary: CycleSummary) => void;
  readonly onTransition?: (t: TransitionRecord & { phase: StackPhase }) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Runtime {
  readonly controller: Controller;
  readonly metrics: ControllerMetrics;
  readonly discovery: Discovery;
  readonly kubernetes: KubernetesAdapter;
  readonly certificates: CertificateCache;
  readonly clients: AwsClients;
  /** AWS CNI mode only: the pod IP target sync. */
  readonly cni: CniTargets | undefined;
  readonly server: FastifyInstance | undefined;
  /** URL of the HTTP server, when listening. */
  readonly url: string | undefined;
  ready(): boolean;
  /** Graceful stop: no new work, connections closed, database closed. */
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, clock, logger } = options;
  const env = options.env ?? process.env;
  const imds = new ImdsClient({ ...(options.imdsEndpoint ? { endpoint: options.imdsEndpoint } : {}), clock });
  const region = options.aws?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await imds.region());
  const metrics = new ControllerMetrics({ defaultMetrics: options.defaultMetrics ?? false });
  // Real time even under a virtual clock: AWS counts calls per real second.
  const throttle = new ApiThrottle({ rules: config.awsApiThrottle, clock: systemClock, onDelay: (d) => metrics.throttled(d) });
  const clients = createAwsClients({ throttle, ...options.aws, region });
  // Request metrics (upstream's instrumented_http summary unless disabled) and, with --debug, one line per request.
  if (!config.disableInstrumentedHTTPClient) metrics.enableHttpDurations();
  instrumentAwsClients(clients, { http: (o) => metrics.httpRequest(o), awsCall: (o) => metrics.awsCall(o) }, logger);
  setKubernetesRequestObserver((o) => {
    metrics.httpRequest({ ...o, path: o.pathTemplate, query: '' });
    metrics.kubernetesRequest(o);
    logger.debug({ event: 'kubernetes-request', method: o.method, verb: o.verb, resource: o.resource, status: o.status, ms: Math.round(o.seconds * 1000) }, `Kubernetes ${o.verb} ${o.resource} -> ${o.status}`);
  });
  const closers: (() => Promise<void> | void)[] = [() => clients.destroy()];
  const kubeConfig = options.kubeConfig ?? kubeConfigFor(config);
  // Leader election: a standby watches, reads AWS and serves the debug API, but writes nothing anywhere.
  let leading = false;
  let startLeading: () => void = () => undefined;
  const elector = config.leaderElection.enabled ? new LeaderElector({
    kubeConfig, clock, logger,
    namespace: config.leaderElection.namespace || defaultLeaseNamespace((f) => readFileSync(f, 'utf8')),
    name: config.leaderElection.name,
    leaseDurationMs: config.leaderElection.leaseDurationMs,
    renewDeadlineMs: config.leaderElection.renewDeadlineMs,
    retryPeriodMs: config.leaderElection.retryPeriodMs,
    onStartedLeading: () => {
      leading = true;
      startLeading();
    },
    onStoppedLeading: () => {
      leading = false;
      (options.onLostLeadership ?? (() => process.exit(1)))();
    },
  }) : undefined;
  const isActing = () => elector === undefined || elector.isLeader();
  if (elector) fenceMutations(clients, isActing);
  metrics.leader(() => elector?.status().mode ?? 'disabled');
  let controllerRef: Controller | undefined;
  let cni: CniTargets | undefined;
  let firstCycleDone = false;
  let standbyReady = false;
  let lastCleanCycleAt: number | undefined;
  let kubernetesRef: KubernetesAdapter | undefined;
  let observationRef: AwsObservation | undefined;
  const age = (at: number | undefined) => (at === undefined ? null : Math.round((clock.now() - at) / 1000));
  // What an on-call engineer needs when things look fine but are not: refused permissions, an unreachable
  // API server, and how old the last clean read of each side is.
  const health = (): HealthView => {
    const access = kubernetesRef?.access();
    const problems: string[] = [];
    for (const a of access?.informers ?? []) {
      if (a.forbidden.includes('list')) problems.push(`${a.resource}: list forbidden (objects not reconciled)`);
      else if (a.polling) problems.push(`${a.resource}: watch forbidden, listed every ${config.pollingIntervalMs / 1000} s instead`);
      if (a.failing) problems.push(`${a.resource}: the API server is not answering (cached objects used)`);
    }
    if ((access?.eventsForbidden ?? 0) > 0) problems.push(`events: create forbidden (${access!.eventsForbidden} Events not written)`);
    return {
      status: problems.length === 0 ? 'ok' : 'degraded', problems,
      kubernetes: { informers: access?.informers ?? [], eventsForbidden: access?.eventsForbidden ?? 0 },
      lastCleanSyncAgeSeconds: age(lastCleanCycleAt),
      awsLastScanAgeSeconds: age(observationRef?.scannedAt),
    };
  };
  // A warm standby is ready (a rolling update must be able to finish); a leader once its first cycle is clean.
  const ready = () => (elector !== undefined && !leading ? standbyReady
    : firstCycleDone && controllerRef !== undefined && controllerRef.cycleError === null && (kubernetesRef?.healthy() ?? true));
  try {
    // Listening first: liveness and metrics are answered while caches fill and the first cycle runs.
    let server: FastifyInstance | undefined;
    let url: string | undefined;
    if (options.listen) {
      server = buildServer({
        controller: () => controllerRef, metrics, ready, configView: () => ({ ...config }), cni: () => cni?.status,
        leader: () => elector?.status() ?? { mode: 'disabled' as const },
        health: () => health(),
      });
      const { host, port } = parseListenAddress(typeof options.listen === 'string' ? options.listen : config.metricsAddress);
      url = await server.listen({ host, port });
      closers.push(() => server!.close());
      logger.info({ event: 'listening', url }, `debug API and metrics on ${url}`);
    }

    const discovery = await discover({ clients, config, imds });
    for (const w of discovery.warnings) logger.warn({ event: 'discovery' }, w);
    logger.info({ event: 'discovery', clusterId: discovery.clusterId, vpcId: discovery.vpcId, securityGroup: discovery.securityGroupId, subnets: discovery.subnets.length }, 'AWS environment discovered');

    const network = new DiscoveryRefresher({
      initial: { clusterId: discovery.clusterId, vpcId: discovery.vpcId, securityGroupId: discovery.securityGroupId, subnets: discovery.subnets },
      rediscover: () => discoverNetwork({ clients, config }, discovery.clusterId, discovery.vpcId),
      clock, logger, intervalMs: config.discoveryRefreshIntervalMs,
      onChange: (reason) => controllerRef?.changed(reason),
    });
    network.start();
    closers.push(() => network.stop());

    const trustedRoots = await loadTrustedRoots(config.extraTrustedCAFile);
    const certLogger = logger.child({ component: 'certificates' });
    const certificates = new CertificateCache(
      [
        new AcmCertificateProvider({ acm: clients.acm, trustedRoots, filterTag: config.certFilterTag, logger: certLogger }),
        new IamCertificateProvider({ iam: clients.iam, trustedRoots, filterTag: config.certFilterTag, logger: certLogger }),
      ],
      { blacklist: config.blacklistCertificateARNs, clock, refreshIntervalMs: config.certPollingIntervalMs, logger: certLogger },
    );
    await certificates.start();
    closers.push(() => certificates.stop());

    const kubernetes = new KubernetesAdapter({
      kubeConfig, config, clock, logger, isActing,
      // Upstream lists RouteGroups every cycle, so a CRD installed later is used within one polling interval.
      routeGroupProbeIntervalMs: Math.min(config.pollingIntervalMs, DEFAULT_ROUTEGROUP_PROBE_INTERVAL_MS),
    });
    await kubernetes.start();
    kubernetesRef = kubernetes;
    closers.push(() => kubernetes.stop());

    const db: Db = openDatabase(config.stateDir, (movedTo, cause) => logger.error(
      { event: 'state-recovered', movedTo, err: cause }, 'state database unreadable: moved aside, starting empty (stacks are re-adopted from their tags)'));
    closers.push(() => {
      db.close();
    });
    const store = new StateStore(db, DEFAULT_RETENTION, clock.now());

    // AWS CNI mode registers pod IPs instead of attaching target groups to Auto Scaling groups.
    const targets = config.targetAccessMode === 'AWSCNI' ? undefined
      : new TargetSynchronizer({ clients, config, clusterId: discovery.clusterId, logger });
    const executor = new CloudFormationExecutor(clients.cloudformation, {
      creationTimeoutMinutes: Math.trunc(config.creationTimeoutMs / 60_000),
      terminationProtection: config.stackTerminationProtection,
      ...(targets ? { detachTargetGroups: (arns: readonly string[]) => targets.detach(arns) } : {}),
      onMutated: (operation) => {
        if (operation === 'CreateStack') network.requestSoon();
        metrics.change('stack', operation === 'CreateStack' ? 'create' : operation === 'UpdateStack' ? 'update' : 'delete');
      },
    });

    const timings = { ...DEFAULT_TIMINGS, stackPollIntervalMs: config.stackPollIntervalMs, ...(options.timings ?? {}) };
    const observation = new AwsObservation({
      sources: {
        scanStacks: () => executor.scanStacks(),
        describeStack: (name) => executor.describe(name),
        getTemplate: (name) => executor.getTemplate(name),
        loadBalancerStates: (arns) => describeLoadBalancerStates(clients.elbv2, arns),
      },
      isManaged: (tags) => isManagedStack(tags, config.controllerId, discovery.clusterId),
      clock,
      loadBalancerRecheckMs: timings.stackPollIntervalMs,
    });
    observationRef = observation;

    // AWS CNI mode: pod events and target group changes sync the pod IPs on their own, never a planning cycle.
    const pods = kubernetes.pods;
    if (pods) {
      const cniLogger = logger.child({ component: 'cni' });
      const cniTargets = new CniTargets({
        clock, logger: cniLogger, pollingIntervalMs: config.pollingIntervalMs,
        ...(options.cniDebounceMs === undefined ? {} : { debounceMs: options.cniDebounceMs }),
        endpoints: () => pods.endpoints(),
        targetGroupTypes: () => describeTargetGroupTypes(clients.elbv2),
        synchronizer: new CniTargetSynchronizer({ elbv2: clients.elbv2, logger: cniLogger, isActing }),
        onSynced: (status) => metrics.cni(status),
      });
      cni = cniTargets;
      pods.onChange(() => cniTargets.podsChanged());
      cniTargets.start();
      closers.push(() => cniTargets.stop());
    }

    const alarmsMap = config.cloudwatchAlarmsConfigMap;
    // The ConfigMap is read every cycle: a bad key is logged once, then every 10 minutes.
    const alarmLog = new RepeatLimiter();
    const loadAlarms = async (): Promise<AlarmConfiguration> => {
      if (!alarmsMap) return { alarms: [], hash: '' };
      const data = await kubernetes.readConfigMap(alarmsMap.namespace, alarmsMap.name);
      const parsed = parseAlarmConfig(data);
      for (const w of parsed.warnings) {
        if (alarmLog.admit(`${w.key}\u0000${w.message}`, clock.now()).log) logger.warn({ event: 'alarms', key: w.key }, w.message);
      }
      alarmLog.endRound();
      return { alarms: parsed.alarms, hash: alarmConfigHash(parsed.alarms) };
    };

    const served = new ServedObjects();
    const controller = new Controller({
      config, clock, logger, store,
      environment: () => network.environment,
      cluster: kubernetes,
      observation,
      // The actors poll their stacks through the shared observation: one scan can answer many of them.
      operations: {
        create: (name, document) => executor.create(name, document),
        update: (name, document) => executor.update(name, document),
        delete: (name, targetGroupARNs) => executor.delete(name, targetGroupARNs),
        continueUpdateRollback: (name) => executor.continueUpdateRollback(name),
        describe: (name) => observation.describe(name),
      },
      certificates,
      alarms: loadAlarms,
      writeStatus: (ref, hostname) => kubernetes.writeStatus(ref, hostname),
      warn: (ingress, reason, message) => {
        void kubernetes.events.record(ingress.ref, ingress.uid, 'Warning', reason, message, { resourceVersion: ingress.resourceVersion });
      },
      uuid: options.uuid ?? (() => randomUUID()),
      metrics,
      ...(targets ? { targets } : {}),
      ...(cni ? { cniTargets: cni } : {}),
      timings,
      onCycle: (summary) => {
        firstCycleDone = true;
        if (summary.ok) lastCleanCycleAt = summary.at;
        served.remember(summary.planned);
        const phases: Record<string, number> = {};
        for (const a of controller.registry.list()) phases[a.phase] = (phases[a.phase] ?? 0) + 1;
        metrics.phases(phases);
        metrics.operations(controller.gate.inFlight, controller.gate.queued);
        options.onCycle?.(summary);
      },
      onTransition: (t) => {
        metrics.transition(t.phase);
        const lbEvent = loadBalancerEventOf(t);
        if (lbEvent) {
          const audience = lbEvent.reason === 'LoadBalancerCreated' || lbEvent.reason === 'LoadBalancerUpdated' ? served.untold(t.actorId) : served.of(t.actorId);
          for (const ref of audience) {
            const uid = kubernetes.uidOf(ref);
            if (uid) void kubernetes.events.record(ref, uid, lbEvent.type, lbEvent.reason, lbEvent.message);
          }
          if (lbEvent.reason === 'LoadBalancerDeleted') served.forget(t.actorId);
        }
        options.onTransition?.(t);
      },
    });
    controllerRef = controller;
    closers.push(() => controller.stop());
    if (elector) {
      // The actors are rebuilt from SQLite and the stacks' tags when this replica starts leading, as after a
      // restart, so a drain deadline survives a failover exactly as it survives a restart.
      startLeading = () => {
        kubernetes.reportAllProblems();
        void controller.start();
      };
      standbyReady = true;
      elector.start();
      closers.push(() => elector.stop());
    } else {
      await controller.start();
    }

    return {
      controller, metrics, discovery, kubernetes, certificates, clients, cni, server, url, ready,
      stop: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await close();
    throw err;
  }
}
