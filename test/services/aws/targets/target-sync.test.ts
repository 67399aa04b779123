import { afterEach, describe, expect, it } from 'vitest';
import { TargetGroupDetachError, TargetSyncError } from '../../../../services/aws/targets/errors.ts';
import { autoScalingService } from '../../../../tools/sim/aws/autoscaling.ts';
import {
  attachments, clusterWorld, OURS, start, targetCalls, tgArn, TG1, TG2, TG_FOREIGN, TG_GONE, TG_IP, TG_OLD,
  TG_OTHER_CONTROLLER, CLUSTER_TAG, type Fixture,
} from './helpers.ts';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('TargetSynchronizer.sync', () => {
  it('attaches the wanted target groups, detaches stale ones of ours and leaves foreign ones alone', async () => {
    fx = await start();
    const summary = await fx.sync.sync([TG1, TG2, TG_IP]);

    expect(summary).toEqual({
      ownedAutoScalingGroups: 2,
      targetedAutoScalingGroups: 2,
      instances: 5,
      standaloneInstances: 2,
      ipTargetGroups: [TG_IP],
      problems: [],
    });
    // The deleted TG and our old one go in one batch; the foreign and other-controller ones stay.
    expect(attachments(fx.calls('DetachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG_GONE, TG_OLD]]]);
    expect(attachments(fx.calls('AttachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG1, TG2]], ['nodes-b', [TG1, TG2]]]);
    expect(fx.attachedTo('nodes-a')).toEqual([TG1, TG2, TG_FOREIGN, TG_OTHER_CONTROLLER].sort());
    expect(fx.attachedTo('nodes-b')).toEqual([TG1, TG2].sort());
    expect(fx.attachedTo('foreign')).toEqual([TG_FOREIGN]);
    // Tags are read only for attached, existing, unwanted target groups.
    const tagged = fx.calls('DescribeTags').flatMap((c) => (c.input as { ResourceArns: string[] }).ResourceArns);
    expect(tagged.sort()).toEqual([TG_OLD, TG_FOREIGN, TG_OTHER_CONTROLLER].sort());
    // The running single instance is registered by id only, into instance TGs only; the stopped one is not.
    expect(targetCalls(fx.calls('RegisterTargets'))).toEqual([[TG1, ['i-s1']], [TG2, ['i-s1']]]);
    expect(fx.targetsOf(TG1)).toEqual(['i-a1', 'i-a2', 'i-b1', 'i-s1']);
    expect(fx.targetsOf(TG_IP)).toEqual([]);
    // Default EC2 filters.
    expect(fx.calls('DescribeInstances').map((c) => (c.input as { Filter: unknown }).Filter)).toEqual([[
      { Name: `tag:${CLUSTER_TAG}`, Value: ['owned'] },
      { Name: 'tag-key', Value: ['k8s.io/role/node'] },
    ]]);
  });

  it('does not attach again when nothing changed', async () => {
    fx = await start();
    await fx.sync.sync([TG1, TG2]);
    fx.mark();
    const summary = await fx.sync.sync([TG1, TG2]);

    expect(summary.problems).toEqual([]);
    expect(fx.calls().filter((c) => c.mutating).map((c) => c.action)).toEqual(['RegisterTargets', 'RegisterTargets']);
    expect(fx.calls('DescribeLoadBalancerTargetGroups')).toHaveLength(2);
    // nodes-a still holds foreign TGs, which need tags to be recognised as foreign; nodes-b holds only ours.
    expect(fx.calls('DescribeTags')).toHaveLength(1);
  });

  it('detaches a target group of ours that is no longer wanted', async () => {
    fx = await start();
    await fx.sync.sync([TG1, TG2]);
    fx.mark();
    await fx.sync.sync([TG1]);

    expect(attachments(fx.calls('DetachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG2]], ['nodes-b', [TG2]]]);
    expect(fx.calls('AttachLoadBalancerTargetGroups')).toEqual([]);
    expect(fx.attachedTo('nodes-b')).toEqual([TG1]);
    expect(fx.targetsOf(TG2)).toEqual(['i-s1']);
  });

  it('detaches every target group of ours when no stack is left, but nothing foreign', async () => {
    fx = await start();
    await fx.sync.sync([TG1]);
    fx.mark();
    const summary = await fx.sync.sync([]);

    expect(summary.problems).toEqual([]);
    expect(attachments(fx.calls('DetachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG1]], ['nodes-b', [TG1]]]);
    expect(fx.attachedTo('nodes-a')).toEqual([TG_FOREIGN, TG_OTHER_CONTROLLER].sort());
    expect(fx.calls('RegisterTargets')).toEqual([]);
  });

  it('re-attaches a wanted target group whose attachment is being removed', async () => {
    // The simulation reports every attachment InService; this one is on its way out.
    const removing = {
      ...autoScalingService,
      handlers: {
        ...autoScalingService.handlers,
        DescribeLoadBalancerTargetGroups: () => ({ LoadBalancerTargetGroups: [{ LoadBalancerTargetGroupARN: TG1, State: 'Removing' }] }),
      },
    };
    fx = await start(clusterWorld({
      autoScalingGroups: [{ name: 'nodes-a', tags: { [CLUSTER_TAG]: 'owned' }, targetGroupARNs: [TG1] }],
    }), { services: [removing] });

    await fx.sync.sync([TG1]);
    expect(fx.calls('DetachLoadBalancerTargetGroups')).toEqual([]);
    expect(attachments(fx.calls('AttachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG1]]]);
  });

  it('warns about, but neither attaches nor registers into, a target group that does not exist', async () => {
    fx = await start();
    const summary = await fx.sync.sync([TG1, TG_GONE]);

    expect(summary.problems).toEqual([]);
    expect(summary.ipTargetGroups).toEqual([]);
    expect(attachments(fx.calls('AttachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG1]], ['nodes-b', [TG1]]]);
    expect(targetCalls(fx.calls('RegisterTargets'))).toEqual([[TG1, ['i-s1']]]);
  });

  it('works in chunks: 10 per attach or detach, 20 per DescribeTags, and pages through ASGs', async () => {
    const wanted = Array.from({ length: 12 }, (_, i) => tgArn(`tg-new-${i}`));
    const stale = Array.from({ length: 25 }, (_, i) => tgArn(`tg-stale-${i}`));
    fx = await start(clusterWorld({
      instances: [],
      autoScalingGroups: [
        { name: 'nodes-a', tags: { [CLUSTER_TAG]: 'owned' }, targetGroupARNs: stale },
        // More groups than one DescribeAutoScalingGroups page holds (50 by default).
        ...Array.from({ length: 55 }, (_, i) => ({ name: `z-other-${String(i).padStart(2, '0')}`, tags: { team: 'other' } })),
      ],
      targetGroups: [...wanted, ...stale].map((arn) => ({ arn, tags: OURS })),
    }));
    const summary = await fx.sync.sync(wanted);

    expect(summary).toMatchObject({ ownedAutoScalingGroups: 1, targetedAutoScalingGroups: 1, instances: 0, standaloneInstances: 0 });
    expect(fx.calls('DescribeAutoScalingGroups')).toHaveLength(2);
    expect(fx.calls('DescribeTags').map((c) => (c.input as { ResourceArns: string[] }).ResourceArns.length)).toEqual([20, 5]);
    expect(attachments(fx.calls('DetachLoadBalancerTargetGroups')).map(([, arns]) => arns.length)).toEqual([10, 10, 5]);
    expect(attachments(fx.calls('AttachLoadBalancerTargetGroups')).map(([, arns]) => arns.length)).toEqual([10, 2]);
    expect(fx.attachedTo('nodes-a')).toEqual([...wanted].sort());
  });

  it('collects a failing ASG as a problem and carries on with the others', async () => {
    fx = await start();
    // nodes-b disappears between the group listing and its own update.
    fx.sim.server.onCall((c) => {
      if (c.action === 'DescribeAutoScalingGroups') fx!.sim.world.autoScalingGroups.delete('nodes-b');
    });
    const summary = await fx.sync.sync([TG1]);

    expect(summary.targetedAutoScalingGroups).toBe(2);
    expect(summary.problems).toEqual([expect.stringMatching(/^failed to update target groups for autoscaling group "nodes-b": .*not found/)]);
    expect(fx.attachedTo('nodes-a')).toContain(TG1);
    expect(fx.calls('RegisterTargets')).toHaveLength(1);
  });

  it('throws a TargetSyncError when a describe the cycle depends on fails, and changes nothing', async () => {
    fx = await start(clusterWorld({ behaviour: { serverErrors: { 'elasticloadbalancing:DescribeTargetGroups': 1 } } }));
    const error = await fx.sync.sync([TG1]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TargetSyncError);
    expect(error).toMatchObject({ name: 'TargetSyncError', operation: 'DescribeTargetGroups', code: 'InternalFailure' });
    expect(fx.calls().filter((c) => c.mutating)).toEqual([]);
  });
});

describe('TargetSynchronizer.sync with CUSTOM_FILTERS', () => {
  it('targets ASGs by tag and detaches our target groups from owned ASGs that are not targeted', async () => {
    const world = clusterWorld();
    world.autoScalingGroups!.push({ name: 'nodes-c', tags: { pool: 'ingress' }, targetGroupARNs: [] });
    world.autoScalingGroups!.find((g) => g.name === 'nodes-b')!.targetGroupARNs = [TG1, TG_FOREIGN];
    fx = await start(world, {
      customFilters: [{ name: 'tag:pool', values: ['ingress', 'edge'] }, { name: 'tag-key', values: ['k8s.io/role/node', 'pool'] }],
    });
    const summary = await fx.sync.sync([TG1]);

    // nodes-a and nodes-c match; nodes-b is owned but has no pool tag.
    expect(summary).toMatchObject({ ownedAutoScalingGroups: 2, targetedAutoScalingGroups: 2, problems: [] });
    expect(attachments(fx.calls('AttachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG1]], ['nodes-c', [TG1]]]);
    expect(attachments(fx.calls('DetachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG_GONE, TG_OLD]], ['nodes-b', [TG1]]]);
    expect(fx.attachedTo('nodes-b')).toEqual([TG_FOREIGN]);
    // The EC2 filters are sent as given.
    expect(fx.calls('DescribeInstances').map((c) => (c.input as { Filter: unknown }).Filter)).toEqual([[
      { Name: 'tag:pool', Value: ['ingress', 'edge'] },
      { Name: 'tag-key', Value: ['k8s.io/role/node', 'pool'] },
    ]]);
    // No instance carries a pool tag.
    expect(summary.instances).toBe(0);
  });
});

describe('single instances', () => {
  it('deregisters a single instance once it is gone, then forgets it', async () => {
    fx = await start();
    await fx.sync.sync([TG1, TG2]);
    expect(fx.targetsOf(TG1)).toContain('i-s1');

    fx.sim.world.instances.delete('i-s1');
    fx.mark();
    const summary = await fx.sync.sync([TG1, TG2]);
    expect(summary.standaloneInstances).toBe(1);
    expect(targetCalls(fx.calls('DeregisterTargets'))).toEqual([[TG1, ['i-s1']], [TG2, ['i-s1']]]);
    expect(fx.calls('RegisterTargets')).toEqual([]);
    expect(fx.targetsOf(TG1)).not.toContain('i-s1');
    expect(fx.sync.obsoleteInstances).toEqual([]);

    fx.mark();
    await fx.sync.sync([TG1, TG2]);
    expect(fx.calls('DeregisterTargets')).toEqual([]);
  });

  it('keeps a gone instance until its deregistration succeeds', async () => {
    fx = await start();
    await fx.sync.sync([TG1]);
    fx.sim.world.instances.delete('i-s1');
    fx.sim.world.behaviour.serverErrors = { 'elasticloadbalancing:DeregisterTargets': 1 };
    const failed = await fx.sync.sync([TG1]);
    expect(failed.problems).toEqual([expect.stringMatching(/^failed to deregister instances i-s1 from target group /)]);
    expect(fx.sync.obsoleteInstances).toEqual(['i-s1']);

    fx.sim.world.behaviour.serverErrors = {};
    fx.mark();
    const retried = await fx.sync.sync([TG1]);
    expect(retried.problems).toEqual([]);
    expect(targetCalls(fx.calls('DeregisterTargets'))).toEqual([[TG1, ['i-s1']]]);
    expect(fx.sync.obsoleteInstances).toEqual([]);
  });

  it('does not deregister an instance that came back', async () => {
    fx = await start();
    await fx.sync.sync([TG1]);
    const instance = fx.sim.world.instances.get('i-s1')!;
    fx.sim.world.instances.delete('i-s1');
    fx.sim.world.behaviour.serverErrors = { 'elasticloadbalancing:DeregisterTargets': 1 };
    await fx.sync.sync([TG1]);
    expect(fx.sync.obsoleteInstances).toEqual(['i-s1']);

    fx.sim.world.behaviour.serverErrors = {};
    fx.sim.world.instances.set('i-s1', instance);
    fx.mark();
    await fx.sync.sync([TG1]);
    expect(fx.calls('DeregisterTargets')).toEqual([]);
    expect(targetCalls(fx.calls('RegisterTargets'))).toEqual([[TG1, ['i-s1']]]);
    expect(fx.sync.obsoleteInstances).toEqual([]);
  });
});

describe('TargetSynchronizer.detach', () => {
  it('detaches the target groups from the ASGs holding them, and only there', async () => {
    fx = await start();
    await fx.sync.sync([TG1, TG2]);
    fx.sim.world.autoScalingGroups.get('foreign')!.targetGroupARNs.push(TG1);
    fx.mark();
    await fx.sync.detach([TG1, TG_IP]);

    expect(attachments(fx.calls('DetachLoadBalancerTargetGroups'))).toEqual([['nodes-a', [TG1]], ['nodes-b', [TG1]]]);
    expect(fx.attachedTo('nodes-b')).toEqual([TG2]);
    expect(fx.attachedTo('foreign')).toEqual([TG_FOREIGN, TG1].sort());
    expect(fx.targetsOf(TG1)).toEqual(['i-s1']);
  });

  it('makes no call for an empty list and none but the listing when nothing is attached', async () => {
    fx = await start();
    await fx.sync.detach([]);
    expect(fx.calls()).toEqual([]);
    await fx.sync.detach([TG2]);
    expect(fx.calls().map((c) => c.action)).toEqual(['DescribeAutoScalingGroups']);
  });

  it('reports every ASG it could not detach from', async () => {
    fx = await start();
    await fx.sync.sync([TG1]);
    fx.sim.world.behaviour.serverErrors = { 'autoscaling:DetachLoadBalancerTargetGroups': 1 };
    const error = await fx.sync.detach([TG1]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TargetGroupDetachError);
    expect(error).toBeInstanceOf(TargetSyncError);
    expect((error as TargetGroupDetachError).failures.map((f) => f.autoScalingGroup)).toEqual(['nodes-a', 'nodes-b']);
  });
});
