// The planner remembers documents and certificate matches between cycles; what it returns must always be what
// a planner with no memory returns.
import { describe, expect, it } from 'vitest';
import { planCycle, Planner, type CyclePlanInput } from '../../../services/planning/cycle-plan.ts';
import { benchConfig, planningWorld } from '../../../bench/planning-world.ts';

const view = (plan: ReturnType<typeof planCycle>) => ({
  ...plan,
  stacks: plan.stacks.map((s) => ({ name: s.stack?.name, action: s.action, document: s.document, drainDeadline: s.drainDeadline, ingresses: s.spec.ingresses })),
});

describe('Planner', () => {
  it('gives planCycle\'s result cycle after cycle, whatever changed in between', () => {
    const world = planningWorld({ ingresses: 300, certificates: 30, dedicated: 0.1 });
    const planner = new Planner();
    const steps: CyclePlanInput[] = [
      world.input,
      world.changeOne(3),
      world.changeOne(10),
      { ...world.input, ingresses: world.input.ingresses.slice(1) },
      { ...world.input, now: world.input.now + 3_600_000 },
      { ...world.input, config: benchConfig(['--ssl-policy=ELBSecurityPolicy-TLS-1-2-2017-01', '--cert-ttl-timeout=5m']) },
      { ...world.input, alarms: { alarms: [], hash: 'x' } },
      { ...world.input, environment: { ...world.input.environment, vpcId: 'vpc-2' } },
      world.input,
    ];
    for (const input of steps) expect(view(planner.plan(input))).toEqual(view(planCycle(input)));
  });

  it('re-templates only the load balancers a change touched', () => {
    const world = planningWorld({ ingresses: 200, certificates: 20, dedicated: 0.5 });
    const planner = new Planner();
    const before = planner.plan(world.input);
    const after = planner.plan(world.changeOne(0));
    const same = after.stacks.filter((s, i) => s.document === before.stacks[i]?.document).length;
    expect(after.stacks.length).toBe(before.stacks.length);
    // Ingress 0 is dedicated: its own load balancer changes certificate, every other document is reused.
    expect(same).toBe(before.stacks.length - 1);
  });
});
