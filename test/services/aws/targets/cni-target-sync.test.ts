// The AWS CNI synchroniser with the real ELBv2 client against the simulation.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CniTargetSynchronizer } from '../../../../services/aws/targets/cni-target-sync.ts';
import { clusterWorld, OURS, start, targetCalls, tgArn, TG_GONE, TG_IP, type Fixture } from './helpers.ts';

const TG_IP2 = tgArn('tg-ours-ip2');
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function fixture(): Promise<{ fx: Fixture; cni: CniTargetSynchronizer }> {
  const world = clusterWorld();
  fx = await start({ ...world, targetGroups: [...(world.targetGroups ?? []), { arn: TG_IP2, targetType: 'ip', tags: OURS }] });
  return { fx, cni: new CniTargetSynchronizer({ elbv2: fx.clients.elbv2, logger: pino({ level: 'silent' }) }) };
}

describe('CniTargetSynchronizer', () => {
  it('registers the endpoints (Id only) and deregisters the extra', async () => {
    const { fx, cni } = await fixture();
    await cni.sync([TG_IP, TG_IP2], ['10.0.0.1', '10.0.0.2']);
    expect(fx.targetsOf(TG_IP)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(targetCalls(fx.calls('RegisterTargets'))).toEqual([[TG_IP, ['10.0.0.1', '10.0.0.2']], [TG_IP2, ['10.0.0.1', '10.0.0.2']]]);
    fx.mark();
    const s = await cni.sync([TG_IP, TG_IP2], ['10.0.0.2', '10.0.0.3']);
    expect(s).toMatchObject({ registered: 2, deregistered: 2, missingEndpoints: false, problems: [] });
    expect(targetCalls(fx.calls('DeregisterTargets'))).toEqual([[TG_IP, ['10.0.0.1']], [TG_IP2, ['10.0.0.1']]]);
    expect(fx.targetsOf(TG_IP2)).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('never empties a group when no endpoint is known', async () => {
    const { fx, cni } = await fixture();
    await cni.sync([TG_IP], ['10.0.0.1']);
    fx.mark();
    const s = await cni.sync([TG_IP], []);
    expect(s.missingEndpoints).toBe(true);
    expect(cni.missingEndpoints).toBe(true);
    expect(fx.calls('DeregisterTargets')).toEqual([]);
    expect(fx.targetsOf(TG_IP)).toEqual(['10.0.0.1']);
  });

  it('skips a target group that no longer exists and goes on with the others', async () => {
    const { fx, cni } = await fixture();
    const s = await cni.sync([TG_GONE, TG_IP], ['10.0.0.1']);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toContain(TG_GONE);
    expect(fx.targetsOf(TG_IP)).toEqual(['10.0.0.1']);
  });

  it('does nothing while not acting (not the leader)', async () => {
    const { fx } = await fixture();
    const cni = new CniTargetSynchronizer({ elbv2: fx.clients.elbv2, logger: pino({ level: 'silent' }), isActing: () => false });
    await cni.sync([TG_IP], ['10.0.0.1']);
    expect(fx.calls('DescribeTargetHealth')).toEqual([]);
  });
});
