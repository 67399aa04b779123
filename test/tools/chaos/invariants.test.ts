// The chaos suite's judges on hand-made records: each invariant is shown to catch what it is about, so a clean
// chaos run means something.
import { describe, expect, it } from 'vitest';
import type { LoggedCall, StackView } from '../../../bench/sim-host.ts';
import { drainDeadlineOf, judgeDeletions, judgeDrainTiming, judgeEndState, judgeStatusWrites, judgeSwitches } from '../../../tools/chaos/invariants.ts';

const ZERO = '0001-01-01T00:00:00Z';
const T = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number) => T + s * 1000;
const iso = (s: number) => new Date(at(s)).toISOString().replace('.000', '');
let seq = 0;
const call = (s: number, action: string, certificates?: Record<string, string>, stackName = 'stack-a'): LoggedCall => ({
  seq: seq++, at: at(s), service: 'cloudformation', action, mutating: true, stackName, ...(certificates ? { certificates } : {}),
});
const timing = { pollingMs: 2000, operationMs: 1000, startUpMs: 3000 };
const upAll = [{ from: at(-100), to: at(1000) }];

describe('chaos invariants: drain timing', () => {
  it('reads the drain deadline from a document: the latest expiry, or none while a certificate is in use', () => {
    expect(drainDeadlineOf({ a: iso(10), b: iso(20) })).toBe(at(20));
    expect(drainDeadlineOf({ a: iso(10), b: ZERO })).toBeNull();
    expect(drainDeadlineOf({})).toBeNull();
  });

  it('accepts a deletion between the deadline and deadline + 2 polling intervals + operation time', () => {
    const calls = [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20) }), call(22, 'UpdateTerminationProtection'), call(22, 'DeleteStack')];
    const v = judgeDrainTiming({ calls, up: upAll, timing, end: at(100) });
    expect(v.violations).toEqual([]);
    expect(v.checksBy['drained stack deleted in time']).toBe(1);
  });

  it('flags a deletion before the deadline, of a stack in use, and too late', () => {
    const early = judgeDrainTiming({ calls: [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20) }), call(19, 'DeleteStack')], up: upAll, timing, end: at(100) });
    expect(early.violations.map((v) => v.invariant)).toEqual(['no deletion before the drain deadline']);
    const inUse = judgeDrainTiming({ calls: [call(0, 'CreateStack', { a: ZERO }), call(19, 'DeleteStack')], up: upAll, timing, end: at(100) });
    expect(inUse.violations.map((v) => v.invariant)).toEqual(['no deletion of a stack in use']);
    const late = judgeDrainTiming({ calls: [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20) }), call(26, 'DeleteStack')], up: upAll, timing, end: at(100) });
    expect(late.violations.map((v) => v.invariant)).toEqual(['drained stack deleted in time']);
    const never = judgeDrainTiming({ calls: [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20) })], up: upAll, timing, end: at(100) });
    expect(never.violations.map((v) => v.invariant)).toEqual(['drained stack deleted in time']);
  });

  it('gives a controller that was down at the deadline its start-up time before the bound runs', () => {
    const calls = [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20) }), call(36, 'DeleteStack')];
    const up = [{ from: at(-100), to: at(19) }, { from: at(30), to: at(1000) }];
    expect(judgeDrainTiming({ calls, up, timing, end: at(100) }).violations).toEqual([]);
    const tooLate = [...calls.slice(0, 2), call(39, 'DeleteStack')];
    expect(judgeDrainTiming({ calls: tooLate, up, timing, end: at(100) }).violations).toHaveLength(1);
  });

  it('lets an ingress that comes back before the deadline take the stack out of its drain', () => {
    const calls = [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20) }), call(15, 'UpdateStack', { a: ZERO })];
    expect(judgeDrainTiming({ calls, up: upAll, timing, end: at(100) }).violations).toEqual([]);
  });
});

describe('chaos invariants: switches', () => {
  it('flags a second load balancer while the requirements stay the same, not one after a change', () => {
    const changes = [{ at: at(0), key: 'ns/a', requirements: 'shared x', certificates: [] }];
    const writes = [{ at: at(5), key: 'ns/a', hostname: 'lb-1' }, { at: at(30), key: 'ns/a', hostname: 'lb-2' }];
    expect(judgeSwitches({ changes, writes }).violations.map((v) => v.invariant)).toEqual(['no load balancer switch without a requirement change']);
    const changed = [...changes, { at: at(20), key: 'ns/a', requirements: 'dedicated x', certificates: [] }];
    expect(judgeSwitches({ changes: changed, writes }).violations).toEqual([]);
  });

  it('does not count a late write of the hostname from before the change', () => {
    const changes = [{ at: at(0), key: 'ns/a', requirements: 'shared x', certificates: [] }, { at: at(20), key: 'ns/a', requirements: 'dedicated x', certificates: [] }];
    const writes = [{ at: at(5), key: 'ns/a', hostname: 'lb-1' }, { at: at(20.01), key: 'ns/a', hostname: 'lb-1' }, { at: at(30), key: 'ns/a', hostname: 'lb-2' }];
    expect(judgeSwitches({ changes, writes }).violations).toEqual([]);
  });
});

describe('chaos invariants: end state', () => {
  const stack = (name: string, dns: string, tags: Record<string, string>, status = 'CREATE_COMPLETE'): StackView => ({
    name, stackId: name, status, statusReason: '', tags, parameters: {}, outputs: { LoadBalancerDNSName: dns }, terminationProtection: false, createdAt: T,
  });
  const lb = (dns: string) => ({ arn: dns, dnsName: dns, state: 'active', createdAt: T });
  const cert = 'ingress:certificate-arn/arn:c1';

  it('passes a served ingress and flags an orphan, a duplicate owner and a status naming no load balancer', () => {
    const intents = [{ namespace: 'ns', name: 'a', dedicated: true, hosts: ['a.example'], certificates: ['arn:c1'] }];
    const ok = judgeEndState({ intents, hostnames: new Map([['ns/a', 'lb-1']]), stacks: [stack('s1', 'lb-1', { [cert]: ZERO, 'ingress:owner': 'ns/a' })], loadBalancers: [lb('lb-1')] });
    expect(ok.violations).toEqual([]);
    const bad = judgeEndState({
      intents: [...intents, { namespace: 'ns', name: 'b', dedicated: false, hosts: ['b.nocert'], certificates: [] }],
      hostnames: new Map([['ns/a', 'lb-1'], ['ns/b', 'lb-gone']]),
      stacks: [stack('s1', 'lb-1', { [cert]: ZERO, 'ingress:owner': 'ns/a' }), stack('s2', 'lb-2', { [cert]: ZERO, 'ingress:owner': 'ns/a' })],
      loadBalancers: [lb('lb-1'), lb('lb-2')],
    });
    expect(bad.violations.map((v) => v.invariant).sort()).toEqual([
      'no load balancer without a certificate', 'no orphan stack', 'one stack per owner', 'status names an existing load balancer',
    ]);
  });

  it('flags a status naming a stack that does not carry the certificate yet', () => {
    const intents = [{ namespace: 'ns', name: 'a', dedicated: false, hosts: ['a.example'], certificates: ['arn:c1'] }];
    const v = judgeEndState({ intents, hostnames: new Map([['ns/a', 'lb-1']]), stacks: [stack('s1', 'lb-1', {})], loadBalancers: [lb('lb-1')] });
    expect(v.violations.map((x) => x.invariant)).toEqual(['the serving stack carries the certificate in use']);
  });
});

describe('chaos invariants: status writes', () => {
  const stacks: StackView[] = [{
    name: 's1', stackId: 's1', status: 'UPDATE_COMPLETE', statusReason: '', tags: {}, parameters: {}, outputs: { LoadBalancerDNSName: 'lb-1' }, terminationProtection: false, createdAt: T,
  }];
  const history = [
    { at: at(0), name: 's1', status: 'CREATE_IN_PROGRESS', certificates: ['c1'] },
    { at: at(2), name: 's1', status: 'CREATE_COMPLETE', certificates: ['c1'] },
    { at: at(10), name: 's1', status: 'UPDATE_IN_PROGRESS', certificates: ['c1', 'c2'] },
    { at: at(12), name: 's1', status: 'UPDATE_COMPLETE', certificates: ['c1', 'c2'] },
    { at: at(30), name: 's1', status: 'DELETE_IN_PROGRESS', certificates: ['c1', 'c2'] },
  ];
  const changes = [{ at: at(0), key: 'ns/a', requirements: 'shared a', certificates: ['c1'] }, { at: at(9), key: 'ns/b', requirements: 'shared b', certificates: ['c2'] }];
  const judge = (writes: { at: number; key: string; hostname: string }[]) => judgeStatusWrites({ writes, changes, stacks, history, graceMs: 2000 }).violations.map((v) => v.invariant);

  it('accepts a write once the stack is complete with the certificate on it', () => {
    expect(judge([{ at: at(3), key: 'ns/a', hostname: 'lb-1' }, { at: at(13), key: 'ns/b', hostname: 'lb-1' }, { at: at(11), key: 'ns/a', hostname: 'lb-1' }])).toEqual([]);
  });

  it('flags a write before the create completed, before the update adding the certificate completed, and while deleting', () => {
    expect(judge([{ at: at(1), key: 'ns/a', hostname: 'lb-1' }])).toEqual(['a status write names a stack that serves']);
    expect(judge([{ at: at(11), key: 'ns/b', hostname: 'lb-1' }])).toEqual(['a status write names a stack with the certificates on it']);
    expect(judge([{ at: at(31), key: 'ns/a', hostname: 'lb-1' }])).toEqual(['a status write names a stack that serves']);
    expect(judge([{ at: at(31), key: 'ns/a', hostname: 'lb-unknown' }])).toEqual(['a status write names a stack of the controller']);
  });
});

describe('chaos invariants: deletions against statuses', () => {
  const stacks: StackView[] = [{
    name: 'stack-a', stackId: 'stack-a', status: 'DELETE_COMPLETE', statusReason: '', tags: {}, parameters: {}, outputs: { LoadBalancerDNSName: 'lb-a' }, terminationProtection: false, createdAt: T,
  }];

  it('flags a deletion while an existing ingress still names the load balancer, not after it moved or went', () => {
    const calls = [call(20, 'UpdateTerminationProtection'), call(20, 'DeleteStack')];
    const changes = [{ at: at(0), key: 'ns/a', requirements: 'shared a', certificates: ['c1'] }, { at: at(0), key: 'ns/b', requirements: 'shared b', certificates: ['c1'] }];
    const named = [{ at: at(5), key: 'ns/a', hostname: 'lb-a' }, { at: at(5), key: 'ns/b', hostname: 'lb-a' }, { at: at(8), key: 'ns/b', hostname: 'lb-b' }];
    expect(judgeDeletions({ calls, writes: named, changes, stacks }).violations.map((v) => v.detail)).toEqual([expect.stringContaining('ns/a')]);
    const gone = [...changes, { at: at(9), key: 'ns/a', requirements: null, certificates: [] }];
    expect(judgeDeletions({ calls, writes: named, changes: gone, stacks }).violations).toEqual([]);
  });

  it('does not count the last document as in use when its update rolled back', () => {
    const calls = [call(0, 'CreateStack', { a: ZERO }), call(10, 'UpdateStack', { a: iso(20), b: ZERO }), call(30, 'DeleteStack')];
    const history = [{ at: at(12), name: 'stack-a', status: 'UPDATE_ROLLBACK_COMPLETE', certificates: ['a'] }];
    expect(judgeDrainTiming({ calls, up: upAll, timing, end: at(100), history }).violations).toEqual([]);
    expect(judgeDrainTiming({ calls, up: upAll, timing, end: at(100) }).violations.map((v) => v.invariant)).toEqual(['no deletion of a stack in use']);
  });
});
