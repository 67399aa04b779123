// When the AWS CNI sync runs: debounced pod events, an immediate sync when the stacks' target groups change,
// the periodic resync, and never two syncs at once. The synchroniser is a recorder of what it was asked to do
// (the AWS side of it is tested against the simulation in cni-target-sync.test.ts).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CniTargets } from '../../machines/cni-targets.ts';
import type { CniSyncSummary } from '../../services/aws/targets/cni-target-sync.ts';
import { VirtualClock } from '../../tools/support/virtual-clock.ts';

const TG_IP = 'arn:tg/ip';
const TG_INSTANCE = 'arn:tg/instance';
const TG_NEW = 'arn:tg/new';

function fixture(options: { debounceMs?: number; failTypes?: () => boolean } = {}) {
  const clock = new VirtualClock(0);
  const syncs: { at: number; arns: string[]; endpoints: string[] }[] = [];
  let describes = 0;
  let endpoints = ['10.0.0.1'];
  let release: (() => void) | undefined;
  let hold = false;
  const loop = new CniTargets({
    clock,
    logger: pino({ level: 'silent' }),
    pollingIntervalMs: 30_000,
    debounceMs: options.debounceMs ?? 250,
    endpoints: () => endpoints,
    targetGroupTypes: async () => {
      describes++;
      if (options.failTypes?.()) throw new Error('Throttling');
      return new Map([[TG_IP, 'ip'], [TG_INSTANCE, 'instance'], [TG_NEW, 'ip']]);
    },
    synchronizer: {
      sync: async (arns, eps): Promise<CniSyncSummary> => {
        syncs.push({ at: clock.now(), arns: [...arns], endpoints: [...eps] });
        if (hold) await new Promise<void>((resolve) => (release = resolve));
        return { registered: 0, deregistered: 0, missingEndpoints: eps.length === 0, problems: [] };
      },
    },
  });
  return {
    clock, loop, syncs,
    describes: () => describes,
    setEndpoints: (e: string[]) => (endpoints = e),
    hold: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
  };
}

describe('CniTargets', () => {
  it('does nothing before the first cycle names the target groups; then syncs the ip ones at once', async () => {
    const f = fixture();
    f.loop.podsChanged();
    f.clock.advance(1000);
    await f.loop.settled();
    expect(f.syncs).toEqual([]);
    f.loop.targetGroups([TG_INSTANCE, TG_IP]);
    await f.loop.settled();
    expect(f.syncs).toEqual([{ at: 0 + 1000, arns: [TG_IP], endpoints: ['10.0.0.1'] }]);
    expect(f.loop.status).toMatchObject({ ipTargetGroups: [TG_IP], endpoints: ['10.0.0.1'], missingEndpoints: false });
  });

  it('coalesces a burst of pod events into one sync after the debounce, without reading the types again', async () => {
    const f = fixture();
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    f.setEndpoints(['10.0.0.1', '10.0.0.2']);
    for (let i = 0; i < 5; i++) {
      f.loop.podsChanged();
      f.clock.advance(100);
    }
    await f.loop.settled();
    expect(f.syncs).toHaveLength(1);
    f.clock.advance(150);
    await f.loop.settled();
    expect(f.syncs.map((s) => s.endpoints)).toEqual([['10.0.0.1'], ['10.0.0.1', '10.0.0.2']]);
    expect(f.syncs[1]!.at).toBe(650);
    expect(f.describes()).toBe(1);
  });

  it('re-reads the types and syncs when the set of target groups changes, and not when it stays', async () => {
    const f = fixture();
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    expect(f.syncs).toHaveLength(1);
    f.loop.targetGroups([TG_NEW, TG_IP]);
    await f.loop.settled();
    expect(f.syncs.map((s) => s.arns)).toEqual([[TG_IP], [TG_IP, TG_NEW]]);
    expect(f.describes()).toBe(2);
  });

  it('resyncs once per polling interval and stops when stopped', async () => {
    const f = fixture();
    f.loop.start();
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    f.clock.advance(30_000);
    await f.loop.settled();
    f.clock.advance(30_000);
    await f.loop.settled();
    expect(f.syncs.map((s) => s.at)).toEqual([0, 30_000, 60_000]);
    f.loop.stop();
    f.clock.advance(60_000);
    await f.loop.settled();
    expect(f.syncs).toHaveLength(3);
    expect(f.clock.pendingTimers()).toBe(0);
  });

  it('never runs two syncs at once: a request during a sync runs one more afterwards', async () => {
    const f = fixture({ debounceMs: 0 });
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    f.hold();
    f.loop.podsChanged();
    f.clock.advance(0);
    await Promise.resolve();
    expect(f.loop.busy).toBe(true);
    f.setEndpoints(['10.0.0.9']);
    f.loop.podsChanged();
    f.clock.advance(0);
    f.loop.podsChanged();
    f.clock.advance(0);
    expect(f.syncs).toHaveLength(2);
    f.release();
    await f.loop.settled();
    expect(f.syncs.map((s) => s.endpoints)).toEqual([['10.0.0.1'], ['10.0.0.1'], ['10.0.0.9']]);
  });

  it('keeps the last known ip target groups when DescribeTargetGroups fails', async () => {
    let fail = false;
    const f = fixture({ failTypes: () => fail });
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    fail = true;
    f.loop.targetGroups([TG_IP, TG_NEW]);
    await f.loop.settled();
    expect(f.syncs.map((s) => s.arns)).toEqual([[TG_IP], [TG_IP]]);
    expect(f.loop.status.problems[0]).toContain('DescribeTargetGroups failed');
    fail = false;
    f.loop.podsChanged();
    f.clock.advance(250);
    await f.loop.settled();
    expect(f.syncs.at(-1)!.arns).toEqual([TG_IP, TG_NEW]);
  });

  it('hands an empty endpoint set to the synchroniser (its guard leaves the groups alone) and reports it', async () => {
    const f = fixture();
    f.setEndpoints([]);
    f.loop.targetGroups([TG_IP]);
    await f.loop.settled();
    expect(f.syncs).toEqual([{ at: 0, arns: [TG_IP], endpoints: [] }]);
    expect(f.loop.status.missingEndpoints).toBe(true);
  });
});
