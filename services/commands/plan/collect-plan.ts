// The I/O half of plan mode: ask AWS and the cluster what one controller cycle would ask, in the same order
// (discovery, certificates, cluster, stacks, alarms), and hand the answers to the pure report builder. Every
// failure is tagged with the stage it happened in, so the operator learns which side could not be read.
import type { KubeConfig } from '@kubernetes/client-node';
import type { AwsClients } from '../../aws/clients.ts';
import { createCertificateCache } from '../../aws/certificates/index.ts';
import { CloudFormationExecutor } from '../../aws/cloudformation-executor.ts';
import { discover } from '../../aws/discovery.ts';
import { AwsObservation } from '../../aws/observation.ts';
import { isManagedStack } from '../../planning/model/managed-stack.ts';
import type { InstanceMetadata } from '../../aws/imds.ts';
import type { StackObservation } from '../../aws/stack-operations.ts';
import { mapConcurrent } from '../../aws/certificates/provider.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../../logger.ts';
import type { AlarmConfiguration } from '../../planning/cycle-plan.ts';
import { alarmConfigHash, parseAlarmConfig } from '../../planning/template/cloudwatch-alarms.ts';
import type { CertificateSummary } from '../../planning/types/certificate.ts';
import { PlanStageError, ReadOnlyViolationError, type PlanStage } from './plan-errors.ts';
import { buildPlanReport, type PlanReport } from './plan-report.ts';
import { readClusterOnce, readConfigMapOnce } from './read-only-cluster.ts';

export interface CollectPlanDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly clients: AwsClients;
  readonly imds: InstanceMetadata;
  readonly kubeConfig: KubeConfig;
  /** Per-request timeout of the Kubernetes calls. */
  readonly kubernetesTimeoutMs?: number;
}

/** GetTemplate calls in flight at once: enough to be quick, few enough not to invite throttling. */
const TEMPLATE_CONCURRENCY = 4;

export async function collectPlan(deps: CollectPlanDeps): Promise<PlanReport> {
  const { config, clock, logger, clients } = deps;
  const notes: string[] = [];

  const discovery = await stage('discovery', () => discover({ clients, config, imds: deps.imds }));
  notes.push(...discovery.warnings);
  logger.debug({ event: 'plan', clusterId: discovery.clusterId, vpcId: discovery.vpcId }, 'AWS environment discovered');

  const certificates = await stage('certificates', () => loadCertificates(deps, notes));

  const kubernetesTimeout = deps.kubernetesTimeoutMs === undefined ? {} : { timeoutMs: deps.kubernetesTimeoutMs };
  const apiServer = deps.kubeConfig.getCurrentCluster()?.server;
  const cluster = await stage('kubernetes', () => readClusterOnce({ kubeConfig: deps.kubeConfig, config, ...kubernetesTimeout }), apiServer);
  notes.push(...cluster.notes);

  const executor = new CloudFormationExecutor(clients.cloudformation, {
    creationTimeoutMinutes: Math.trunc(config.creationTimeoutMs / 60_000),
    terminationProtection: config.stackTerminationProtection,
    onMutation: (operation) => {
      throw new ReadOnlyViolationError('aws', operation);
    },
  });
  // The controller's own view of AWS, scanned once; load balancer states play no part in a plan.
  const observation = new AwsObservation({
    sources: {
      scanStacks: () => executor.scanStacks(),
      describeStack: (name) => executor.describe(name),
      getTemplate: (name) => executor.getTemplate(name),
      loadBalancerStates: async () => ({ states: new Map(), missing: [] }),
    },
    isManaged: (tags) => isManagedStack(tags, config.controllerId, discovery.clusterId),
    clock,
    loadBalancerRecheckMs: 0,
  });
  await stage('stacks', () => observation.resync());
  const listed = observation.stacks();

  // The zero-certificates stop comes before templates and alarms: the controller would not use them either.
  const stopping = certificates.length === 0;
  const templates = stopping ? new Map<string, string | undefined>() : await stage('stacks', () => readTemplates(observation, listed));
  const alarms = stopping ? { alarms: [], hash: '' } : await stage('alarms', () => loadAlarms(deps, notes), apiServer);

  return buildPlanReport({
    config,
    now: clock.now(),
    region: clients.region,
    environment: { clusterId: discovery.clusterId, vpcId: discovery.vpcId, securityGroupId: discovery.securityGroupId, subnets: discovery.subnets },
    listedStacks: listed,
    templates,
    ingresses: cluster.snapshot.ingresses,
    rejected: cluster.snapshot.rejected,
    objectWarnings: cluster.warnings,
    certificates,
    alarms,
    notes,
  });
}

async function stage<T>(name: PlanStage, work: () => Promise<T>, where?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ReadOnlyViolationError || err instanceof PlanStageError) throw err;
    throw new PlanStageError(name, err, where);
  }
}

async function loadCertificates(deps: CollectPlanDeps, notes: string[]): Promise<readonly CertificateSummary[]> {
  const cache = await createCertificateCache({
    config: deps.config, clients: deps.clients, clock: deps.clock,
    logger: { warn: (_details, message) => notes.push(`certificates: ${message}`) },
  });
  try {
    await cache.start();
    return cache.current() ?? [];
  } finally {
    // start() arms the refresh timer; one load is all a plan needs.
    cache.stop();
  }
}

async function readTemplates(observation: AwsObservation, stacks: readonly StackObservation[]): Promise<Map<string, string | undefined>> {
  const bodies = await mapConcurrent(stacks, TEMPLATE_CONCURRENCY, (s) => observation.template(s.name));
  return new Map(stacks.map((s, i) => [s.name, bodies[i]]));
}

async function loadAlarms(deps: CollectPlanDeps, notes: string[]): Promise<AlarmConfiguration> {
  const where = deps.config.cloudwatchAlarmsConfigMap;
  if (!where) return { alarms: [], hash: '' };
  const data = await readConfigMapOnce(
    { kubeConfig: deps.kubeConfig, ...(deps.kubernetesTimeoutMs === undefined ? {} : { timeoutMs: deps.kubernetesTimeoutMs }) },
    where.namespace, where.name,
  );
  const parsed = parseAlarmConfig(data);
  for (const w of parsed.warnings) notes.push(`alarms ConfigMap ${where.namespace}/${where.name}, key ${w.key}: ${w.message}`);
  return { alarms: parsed.alarms, hash: alarmConfigHash(parsed.alarms) };
}
