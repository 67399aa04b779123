// The read-only HTTP surface: health, readiness, Prometheus metrics and the debug API an on-call engineer uses
// to see what the controller is doing to each stack and why each ingress has (or has no) load balancer.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Controller } from '../machines/controller.ts';
import type { CniTargetsStatus } from '../machines/cni-targets.ts';
import type { PlannedLoadBalancer } from '../machines/reconciler.ts';
import { certificateExpiries } from '../services/planning/model/managed-stack.ts';
import { formatRFC3339 } from '../services/planning/rfc3339.ts';
import { StackOutput, StackTag } from '../services/planning/stack-contract.ts';
import type { ControllerMetrics } from './metrics.ts';
import type { LeaderStatus } from '../services/kubernetes/leader-election.ts';
import { DELETE_ATTEMPTS_BEFORE_ATTENTION } from '../machines/load-balancer-events.ts';

export interface HealthView {
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly string[];
  readonly [detail: string]: unknown;
}

/** What /api/leader shows: the elector's status, or only the mode when election is off. */
export type LeaderView = LeaderStatus | { readonly mode: 'disabled' };

export interface ServerOptions {
  /** undefined while the controller is still starting (the server listens before, so probes are answered). */
  readonly controller: () => Controller | undefined;
  readonly metrics: ControllerMetrics;
  /** Readiness: the controller has completed its start-up (caches synced, first cycle done). */
  readonly ready: () => boolean;
  readonly configView?: () => unknown;
  /** AWS CNI mode: the endpoint set and the ip target groups at the last target sync (undefined in other modes). */
  readonly cni?: () => CniTargetsStatus | undefined;
  /** Access and freshness: RBAC refusals, reachability and the age of the last clean sync of each side. */
  readonly health?: () => HealthView;
  /** Who leads (leader election); read-only. */
  readonly leader?: () => LeaderView;
}

/** DeleteStack failures after which a stack is flagged for an operator (it is still retried with backoff). */

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  // Routes that need the controller answer 503 until it exists.
  const starting = { error: 'the controller is starting' };

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const leader = options.leader?.().mode;
    const health = options.health?.();
    const detail = { ...(leader ? { leader } : {}), ...(health && health.status !== 'ok' ? { degraded: health.problems } : {}) };
    if (!options.ready()) return reply.code(503).send({ status: 'not ready', ...detail });
    return { status: 'ready', ...detail };
  });
  app.get('/api/health', async () => options.health?.() ?? { status: 'ok', problems: [] });
  app.get('/api/leader', async () => {
    const view = options.leader?.() ?? { mode: 'disabled' as const };
    return { ...view, ...('lastRenewal' in view ? { lastRenewal: iso(view.lastRenewal) } : {}) };
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  const stackView = (controller: Controller, name: string, withHistory: boolean) => {
    const actor = controller.registry.get(name);
    const planned = plannedByName(controller).get(name);
    if (!actor && !planned) return undefined;
    const ctx = actor?.context;
    const live = controller.observedStack(name);
    const tags = ctx?.inFlight?.tags ?? ctx?.applied?.tags ?? planned?.document.tags ?? {};
    // The planner's reading of the tags, so this view and the drain decision cannot disagree.
    const certificates = Object.entries(certificateExpiries(tags))
      .map(([arn, expiry]) => ({ arn, expiry: expiry === null ? null : formatRFC3339(expiry), inUse: expiry === null }));
    return {
      name,
      state: actor?.phase ?? 'planned',
      // Waiting for one of the --max-stack-operations slots before its submit goes out.
      queued: controller.gate.isQueued(name),
      detailedState: actor?.state ?? null,
      plannedAction: planned?.action ?? null,
      owner: tags[StackTag.owner] ?? null,
      ingresses: planned?.spec.ingresses ?? [],
      certificates,
      drainDeadline: iso(ctx?.drainDeadline),
      cloudFormation: { status: ctx?.status || null, reason: ctx?.statusReason || null },
      dnsName: ctx?.outputs[StackOutput.dnsName] ?? null,
      lastError: ctx?.lastError ?? null,
      retryAt: iso(ctx?.retryAt),
      attempts: ctx?.attempts ?? 0,
      failedOperation: ctx?.failedOperation ?? null,
      // A deletion that keeps failing needs a person (a resource CloudFormation cannot remove): upstream retries forever.
      needsAttention: ctx?.failedOperation === 'delete' && ctx.attempts >= DELETE_ATTEMPTS_BEFORE_ATTENTION
        ? `DeleteStack failed ${ctx.attempts} times: ${ctx.lastError ?? ''}`.trim() : null,
      terminationProtection: live?.terminationProtection ?? null,
      ...(withHistory ? {
        history: controller.registry.history(name, 200).map((t) => ({ at: iso(t.at), from: t.from, to: t.to, event: t.event, detail: t.detail ?? null })),
      } : {}),
    };
  };

  app.get('/api/stacks', async (_req, reply) => {
    const controller = options.controller();
    if (!controller) return reply.code(503).send(starting);
    const names = new Set(controller.registry.list().map((a) => a.stackName));
    for (const p of controller.reconciler.last?.planned ?? []) names.add(p.stackName);
    const { gate } = controller;
    return {
      operations: { inFlight: gate.inFlight, queued: gate.queued, limit: gate.capacity },
      stacks: [...names].sort().map((n) => stackView(controller, n, false)),
    };
  });
  app.get<{ Params: { name: string } }>('/api/stacks/:name', async (req, reply) => {
    const controller = options.controller();
    if (!controller) return reply.code(503).send(starting);
    const view = stackView(controller, req.params.name, true);
    if (!view) return reply.code(404).send({ error: `no stack named ${req.params.name}` });
    return view;
  });
  app.get('/api/ingresses', async (_req, reply) => {
    const controller = options.controller();
    if (!controller) return reply.code(503).send(starting);
    const last = controller.reconciler.last;
    return {
      at: iso(last?.at),
      ingresses: (last?.placements ?? []).map((p) => ({ ...p.ref, stack: p.stackName ?? null, hostname: p.hostname ?? null, why: p.reason })),
    };
  });
  app.get('/api/cycle', async (_req, reply) => {
    const controller = options.controller();
    if (!controller) return reply.code(503).send(starting);
    const last = controller.reconciler.last;
    return {
      at: iso(last?.at), ok: last?.ok ?? null, problems: last?.problems ?? [], cycles: controller.cycles,
      error: controller.cycleError,
      planned: (last?.planned ?? []).map((p) => ({ stack: p.stackName, action: p.action, certificates: Object.fromEntries(Object.entries(p.spec.certificateARNs).map(([a, e]) => [a, formatRFC3339(e)])) })),
    };
  });
  app.get('/api/targets/cni', async (_req, reply) => {
    const status = options.cni?.();
    if (!status) return reply.code(404).send({ error: 'AWS CNI mode is not enabled (--target-access-mode=AWSCNI)' });
    return {
      endpoints: status.endpoints, ipTargetGroups: status.ipTargetGroups, lastSyncAt: iso(status.lastSyncAt),
      // Said plainly: an empty endpoint set is treated as missing information, not as "deregister everything".
      missingEndpoints: status.missingEndpoints
        ? 'no pod matches the AWS CNI selector: ip target groups are left as they are until one does' : null,
      registered: status.registered, deregistered: status.deregistered, problems: status.problems,
    };
  });
  if (options.configView) app.get('/api/config', async () => options.configView!());
  return app;
}

const plannedIndex = new WeakMap<object, Map<string, PlannedLoadBalancer>>();

/** The last cycle's plan by stack name, built once per cycle (the debug API must not be quadratic in stacks). */
function plannedByName(controller: Controller): Map<string, PlannedLoadBalancer> {
  const last = controller.reconciler.last;
  if (!last) return new Map();
  let index = plannedIndex.get(last);
  if (!index) {
    index = new Map(last.planned.map((p) => [p.stackName, p]));
    plannedIndex.set(last, index);
  }
  return index;
}

/** Parse Go-style listen addresses (":7979", "127.0.0.1:7979", "[::1]:7979"). */
export function parseListenAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[(.*)\]|([^:]*)):(\d+)$/.exec(address);
  if (!m) throw new Error(`invalid listen address ${address}`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port: Number(m[3]) };
}
