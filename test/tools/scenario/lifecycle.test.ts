// Lifecycle acceptance through the scenario runner: draining with a deadline, and deletion at that deadline even
// across a crash (with the state directory kept, and with it lost).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../tools/scenario/scenario-file.ts';
import { runScenario as runOnly, type ScenarioResult } from '../../../tools/scenario/runner.ts';
import { checkProducedTemplates } from './template-checks.ts';
import { loadResourceSpec } from '../../helpers/resource-spec.ts';
import type { Scenario } from '../../../tools/scenario/scenario-file.ts';
import { PUBLIC_CONFORMANCE } from '../../helpers/fixtures.ts';

const spec = loadResourceSpec();

/** Every run here also proves that each template it produced is one CloudFormation accepts. */
async function runScenario(s: Scenario): Promise<ScenarioResult> {
  const result = await runOnly(s);
  expect(checkProducedTemplates(result, s, await spec)).toEqual([]);
  return result;
}

const base = YAML.parse(fs.readFileSync(path.join(PUBLIC_CONFORMANCE, '01-alb-basic/scenario.yaml'), 'utf8')) as Record<string, unknown>;
const ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'app' };

function scenario(steps: unknown[]) {
  return parseScenario(YAML.stringify({ ...base, name: 'lifecycle', steps }));
}

const cfnCalls = (r: ScenarioResult, action: string) => r.calls.filter((c) => c.service === 'cloudformation' && c.action === action);

describe('stack lifecycle', () => {
  // Ingress deleted at 00:07:00 -> certificate TTL (1h) gives the drain deadline T = 01:07:00.
  const T = '2026-01-01T01:07:00Z';

  it('drains for --cert-ttl-timeout with one UpdateStack, then deletes at the deadline', async () => {
    const r = await runScenario(scenario([{ run: {} }, { advance: '7m' }, { delete: [ingressRef] }, { advance: '61m' }]));
    const updates = cfnCalls(r, 'UpdateStack');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.at).toBe('2026-01-01T00:07:00Z');
    const tags = (updates[0]!.input as { Tags: { Key: string; Value: string }[] }).Tags;
    expect(tags).toContainEqual({ Key: 'ingress:certificate-arn/arn:aws:acm:eu-central-1:123456789012:certificate/foo', Value: T });
    expect(cfnCalls(r, 'DeleteStack').map((c) => c.at)).toEqual([T]);
    expect(r.stacks).toEqual([]);
    // The target group is attached to the Auto Scaling group once the stack exists, and detached before deletion.
    const order = r.calls.filter((c) => c.service !== 'kubernetes' && c.action !== 'UpdateTerminationProtection').map((c) => `${c.action}@${c.at}`);
    expect(order).toEqual([
      'CreateStack@2026-01-01T00:00:00Z', 'AttachLoadBalancerTargetGroups@2026-01-01T00:01:00Z', 'UpdateStack@2026-01-01T00:07:00Z',
      `DetachLoadBalancerTargetGroups@${T}`, `DeleteStack@${T}`,
    ]);
  }, 60_000);

  it('an ingress that comes back during the drain keeps the load balancer', async () => {
    const ingress = (base.kubernetes as { objects: unknown[] }).objects[0];
    const r = await runScenario(scenario([{ run: {} }, { advance: '7m' }, { delete: [ingressRef] }, { advance: '20m' }, { apply: [ingress] }, { advance: '60m' }]));
    expect(cfnCalls(r, 'DeleteStack')).toEqual([]);
    expect(cfnCalls(r, 'UpdateStack')).toHaveLength(2);
    expect(r.stacks).toHaveLength(1);
    expect(Object.values(r.stacks[0]!.tags)).toContain('0001-01-01T00:00:00Z');
  }, 60_000);

  for (const wipeState of [false, true]) {
    it(`a crash at T-10m still deletes at T, not earlier or later (state ${wipeState ? 'lost: deadline read from tags' : 'kept'})`, async () => {
      const r = await runScenario(scenario([
        { run: {} }, { advance: '7m' }, { delete: [ingressRef] }, { advance: '50m' },
        { restart: { wipeState } }, { advance: '9m59s' },
      ]));
      expect(cfnCalls(r, 'DeleteStack')).toEqual([]);
      expect(r.stacks).toHaveLength(1);
      // A restart with nothing changed sends no UpdateStack: only the drain's own update at 00:07.
      expect(cfnCalls(r, 'UpdateStack').map((c) => c.at)).toEqual(['2026-01-01T00:07:00Z']);

      const full = await runScenario(scenario([
        { run: {} }, { advance: '7m' }, { delete: [ingressRef] }, { advance: '50m' },
        { restart: { wipeState } }, { advance: '11m' },
      ]));
      expect(cfnCalls(full, 'DeleteStack').map((c) => c.at)).toEqual([T]);
      expect(full.stacks).toEqual([]);
    }, 90_000);
  }

  it('is deterministic: the same scenario gives the same JSON byte for byte', async () => {
    const s = scenario([{ run: {} }, { advance: '7m' }]);
    const a = JSON.stringify(await runScenario(s));
    const b = JSON.stringify(await runScenario(s));
    expect(a).toBe(b);
  }, 60_000);
});
