// HostPort and AWS CNI side by side in plan mode: the same ingress, one stack made by each mode, and the plan
// of the other mode for it. Only the target group's TargetType differs; pods are never a planning input.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StackInput } from '../../../../tools/sim/aws/world.ts';
import { exampleIngress, provisionStacks, startPlanWorld, type PlanWorld } from './plan-world.ts';

const AWSCNI = ['--target-access-mode=AWSCNI', '--target-cni-namespace=kube-system', '--target-cni-pod-labelselector=application=skipper-ingress'];
const HOSTPORT = ['--target-access-mode=HostPort'];
const routerPod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'skipper-1', namespace: 'kube-system', labels: { application: 'skipper-ingress' } },
  spec: { containers: [{ name: 'skipper', image: 'skipper' }] },
  status: { phase: 'Running', podIP: '10.2.0.11', containerStatuses: [{ name: 'skipper', state: { running: {} } }] },
};

let world: PlanWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('plan mode: HostPort and AWSCNI side by side', () => {
  let hostPortStacks: StackInput[];
  let cniStacks: StackInput[];
  beforeAll(async () => {
    hostPortStacks = await provisionStacks({ flags: HOSTPORT });
    cniStacks = await provisionStacks({ flags: AWSCNI, objects: [exampleIngress, routerPod] });
  });

  it('each mode finds its own stack unchanged', async () => {
    world = await startPlanWorld({ stacks: hostPortStacks, objects: [exampleIngress, routerPod] });
    expect((await world.plan(HOSTPORT)).out).toContain(`unchanged ${hostPortStacks[0]!.name} (CREATE_COMPLETE)`);
    await world.close();
    world = await startPlanWorld({ stacks: cniStacks, objects: [exampleIngress, routerPod] });
    expect((await world.plan(AWSCNI)).out).toContain(`unchanged ${cniStacks[0]!.name} (CREATE_COMPLETE)`);
  });

  it('switching a HostPort stack to AWSCNI updates only the target type, and the other way round', async () => {
    world = await startPlanWorld({ stacks: hostPortStacks, objects: [exampleIngress, routerPod] });
    const toCni = await world.plan(AWSCNI);
    expect(toCni.code).toBe(0);
    expect(toCni.out).toContain(`update ${hostPortStacks[0]!.name} (CREATE_COMPLETE)`);
    expect(toCni.text.split('\n').filter((l) => /^\s+[~+-] /.test(l))).toEqual(['    ~ Resources.TG.Properties.TargetType: "instance" -> "ip"']);
    await world.close();
    world = await startPlanWorld({ stacks: cniStacks, objects: [exampleIngress, routerPod] });
    const toHostPort = await world.plan(HOSTPORT);
    expect(toHostPort.text.split('\n').filter((l) => /^\s+[~+-] /.test(l))).toEqual(['    ~ Resources.TG.Properties.TargetType: "ip" -> "instance"']);
    // Read-only: no targets registered, no pods read.
    expect(world.mutations().aws).toEqual([]);
    expect(Object.keys(world.kube.readCounts()).some((k) => k.includes('/pods'))).toBe(false);
  });
});
