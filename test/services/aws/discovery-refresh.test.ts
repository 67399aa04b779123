// Subnets and the security group re-read while running: a change reaches the planner once, a failure keeps
// the last good discovery (logged once, and once more when it recovers).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DiscoveryRefresher } from '../../../services/aws/discovery-refresh.ts';
import type { NetworkDiscovery } from '../../../services/aws/discovery.ts';
import { VirtualClock } from '../../../tools/support/virtual-clock.ts';

const subnet = (id: string, az: string) => ({ id, availabilityZone: az, public: true, tags: { 'kubernetes.io/cluster/c': 'owned' } });
const initial = { clusterId: 'c', vpcId: 'vpc-1', securityGroupId: 'sg-1', subnets: [subnet('subnet-a', 'eu-central-1a')] };

function setup(answers: (() => NetworkDiscovery)[]) {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const lines: { event?: string; level: number }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => { lines.push(JSON.parse(String(c))); cb(); } }));
  const changes: string[] = [];
  let calls = 0;
  const refresher = new DiscoveryRefresher({
    initial, clock, logger, intervalMs: 600_000, minGapMs: 60_000,
    rediscover: async () => answers[Math.min(calls++, answers.length - 1)]!(),
    onChange: (reason) => changes.push(reason),
  });
  return { clock, lines, changes, refresher, calls: () => calls };
}

describe('DiscoveryRefresher', () => {
  it('keeps the same environment object while nothing changes, and reports a newly tagged subnet once', async () => {
    const same = (): NetworkDiscovery => ({ securityGroupId: 'sg-1', subnets: [subnet('subnet-a', 'eu-central-1a')], warnings: [] });
    const more = (): NetworkDiscovery => ({ securityGroupId: 'sg-1', subnets: [subnet('subnet-a', 'eu-central-1a'), subnet('subnet-b', 'eu-central-1b')], warnings: [] });
    const t = setup([same, more, more]);
    expect(await t.refresher.refresh('test')).toBe(false);
    expect(t.refresher.environment).toBe(initial);
    expect(await t.refresher.refresh('test')).toBe(true);
    expect(t.refresher.environment.subnets.map((s) => s.id)).toEqual(['subnet-a', 'subnet-b']);
    expect(await t.refresher.refresh('test')).toBe(false);
    expect(t.changes).toEqual(['discovery changed']);
    expect(t.lines.find((l) => l.event === 'discovery-changed')).toMatchObject({ subnetsAdded: ['subnet-b'] });
  });

  it('notices a changed security group', async () => {
    const t = setup([() => ({ securityGroupId: 'sg-2', subnets: initial.subnets, warnings: [] })]);
    expect(await t.refresher.refresh('test')).toBe(true);
    expect(t.refresher.environment.securityGroupId).toBe('sg-2');
  });

  it('keeps the last good discovery when a refresh fails, logging the failure once and the recovery once', async () => {
    const fail = (): NetworkDiscovery => { throw new Error('UnauthorizedOperation'); };
    const t = setup([fail, fail, () => ({ securityGroupId: 'sg-1', subnets: initial.subnets, warnings: [] })]);
    expect(await t.refresher.refresh('test')).toBe(false);
    expect(await t.refresher.refresh('test')).toBe(false);
    expect(t.refresher.environment).toBe(initial);
    expect(await t.refresher.refresh('test')).toBe(false);
    expect(t.lines.filter((l) => l.event === 'discovery-refresh-failed')).toHaveLength(1);
    expect(t.lines.filter((l) => l.event === 'discovery-refresh-recovered')).toHaveLength(1);
  });

  it('refreshes every interval, and soon after a stack create but not more than once per gap', async () => {
    const same = (): NetworkDiscovery => ({ securityGroupId: 'sg-1', subnets: initial.subnets, warnings: [] });
    const t = setup([same]);
    t.refresher.start();
    await t.clock.advance(600_000);
    expect(t.calls()).toBe(1);
    t.refresher.requestSoon();
    t.refresher.requestSoon();
    await t.clock.advance(59_000);
    expect(t.calls()).toBe(1);
    await t.clock.advance(1_000);
    expect(t.calls()).toBe(2);
    t.refresher.stop();
    await t.clock.advance(3_600_000);
    expect(t.calls()).toBe(2);
  });
});
