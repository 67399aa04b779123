// A subnet tagged for the cluster while the controller runs is picked up by the periodic discovery refresh:
// the stack is updated once to span it, with no restart (upstream needs one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, waitFor, type LiveHarness } from './harness.ts';
import { basicFlags, basicIngress, basicWorld } from './world.ts';

const CLUSTER_TAG = 'kubernetes.io/cluster/aws:123:eu-central-1:kube-1';

describe('discovery refresh', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    h = await startLive({
      aws: {
        ...basicWorld, behaviour: { operationSeconds: 0.2 },
        subnets: [...(basicWorld.subnets ?? []), { id: 'subnet-c1', vpcId: 'vpc-1', availabilityZone: 'eu-central-1c', public: true, tags: {} }],
      },
      objects: [basicIngress],
      flags: [...basicFlags, '--min-load-balancer-age=0s', '--discovery-refresh-interval=1s'],
    });
  });
  afterAll(async () => h?.close());

  it('updates the stack once when a subnet gets the cluster tag', async () => {
    const subnetsOf = () => [...h.aws.world.stacks.values()].map((s) => s.parameters.LoadBalancerSubnetsParameter);
    await waitFor(() => h.runtime.controller.registry.list().find((s) => s.phase === 'active'), 10_000, 'an active stack');
    expect(subnetsOf()).toEqual(['subnet-a1,subnet-b1']);
    const updatesBefore = h.aws.server.calls.filter((c) => c.action === 'UpdateStack').length;

    const c1 = h.aws.world.subnets.get('subnet-c1')!;
    c1.tags = { [CLUSTER_TAG]: 'owned', 'kubernetes.io/role/elb': '' };
    await waitFor(() => subnetsOf()[0]?.includes('subnet-c1') || undefined, 10_000, 'the stack spanning subnet-c1');
    expect(subnetsOf()).toEqual(['subnet-a1,subnet-b1,subnet-c1']);
    // Several refreshes later still one update: an unchanged discovery changes nothing.
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.aws.server.calls.filter((c) => c.action === 'UpdateStack').length).toBe(updatesBefore + 1);
  }, 30_000);
});
