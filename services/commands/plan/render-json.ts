// PLAN_OUTPUT=json: the same report as one JSON document, for scripts and CI gates. Times are RFC 3339 strings;
// the shape is documented in docs/plan-mode.md and only grows.
import type { IngressRef } from '../../planning/types/ingress.ts';
import { isoTime, type PlanReport } from './plan-report.ts';

export const PLAN_JSON_VERSION = 1;

export function renderJson(report: PlanReport): string {
  const ref = (r: IngressRef) => ({ kind: r.kind, namespace: r.namespace, name: r.name });
  const summary = { create: 0, update: 0, delete: 0, unchanged: 0, draining: 0 };
  for (const s of report.stacks) summary[s.change]++;
  return JSON.stringify({
    version: PLAN_JSON_VERSION,
    at: isoTime(report.at),
    environment: report.environment,
    counts: report.counts,
    stopped: report.stopped ?? null,
    summary,
    stacks: report.stacks.map((s) => ({
      name: s.name,
      change: s.change,
      status: s.status,
      reason: s.reason,
      drainingUntil: s.drainingUntil === null ? null : isoTime(s.drainingUntil),
      loadBalancer: { ...s.loadBalancer, ingresses: s.loadBalancer.ingresses.map(ref) },
      diff: s.diff ?? null,
      desired: s.desired ? { template: s.desired.template, parameters: s.desired.parameters, tags: s.desired.tags } : null,
    })),
    unserved: report.unserved.map((u) => ({ ...ref(u.ref), reason: u.reason })),
    clusterLocal: report.clusterLocal.map(ref),
    objectWarnings: report.objectWarnings.map((w) => ({ ...ref(w.ref), message: w.message })),
    untouched: report.untouched,
    notes: report.notes,
  }, null, 2);
}
