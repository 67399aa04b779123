// The registry of stack actors: spawning, what a repeated target costs, pending creations, retirement, and
// stacks that vanish outside the controller.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StackDocumentLike, StackObservation, StackOperations } from '../../services/aws/stack-operations.ts';
import { openDatabase } from '../../storage/database.ts';
import { StateStore } from '../../storage/state-store.ts';
import { StackActorRegistry } from '../../machines/stack-registry.ts';
import type { StackTarget } from '../../machines/stack-machine.ts';
import { VirtualClock } from '../../tools/support/virtual-clock.ts';

const doc = (owner: string, extra: Record<string, string> = {}): StackDocumentLike => ({
  templateBody: '{"Resources":{}}',
  parameters: { LoadBalancerSchemeParameter: 'internet-facing', Type: 'application', ...extra },
  tags: owner ? { 'ingress:owner': owner } : {},
});
const target = (intent: StackTarget['intent'], d: StackDocumentLike): StackTarget => ({ intent, document: d, drainDeadline: null, targetGroupARNs: [] });
const observed = (name: string, d: StackDocumentLike): StackObservation => ({
  name, stackId: name, status: 'CREATE_COMPLETE', statusReason: '', outputs: {}, parameters: d.parameters, tags: d.tags,
  createdAt: 0, lastUpdatedAt: undefined, terminationProtection: false,
});

function setup(failCreate = false) {
  const calls: string[] = [];
  const ops: StackOperations = {
    async create(name) { calls.push(`create ${name}`); if (failCreate) throw new Error('refused'); },
    async update(name) { calls.push(`update ${name}`); return 'no-change'; },
    async delete(name) { calls.push(`delete ${name}`); },
    async continueUpdateRollback(name) { calls.push(`continue ${name}`); },
    async describe() { return undefined; },
  };
  const clock = new VirtualClock();
  const store = new StateStore(openDatabase(':memory:'));
  const wakes: string[] = [];
  const registry = new StackActorRegistry({
    operations: ops, store, clock, logger: pino({ level: 'silent' }), pollIntervalMs: 10_000, retryBaseMs: 30_000, maxRetryDelayMs: 600_000,
    wake: (r) => wakes.push(r),
  });
  return { registry, calls, store, wakes, clock };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('StackActorRegistry', () => {
  it('spawns an actor for a new stack; the same target again is not even delivered', async () => {
    const { registry, calls } = setup();
    const first = target('create', doc(''));
    registry.desire('s1', first);
    await settle();
    expect(calls).toEqual(['create s1']);
    registry.desire('s1', target('create', doc('')));
    expect(registry.get('s1')!.context.target).toBe(first);
    // A different target is.
    const second = target('create', doc('', { HTTP2: 'false' }));
    registry.desire('s1', second);
    expect(registry.get('s1')!.context.target).toBe(second);
  });

  it('finds an actor still creating the same kind of load balancer, and only that kind', async () => {
    const { registry } = setup();
    registry.desire('shared', target('create', doc('')));
    registry.desire('dedicated', target('create', doc('default/a')));
    await settle();
    expect(registry.pendingCreation(new Set(), doc(''))).toBe('shared');
    expect(registry.pendingCreation(new Set(), doc('default/a'))).toBe('dedicated');
    expect(registry.pendingCreation(new Set(['shared']), doc(''))).toBeUndefined();
    expect(registry.pendingCreation(new Set(), doc('', { LoadBalancerSchemeParameter: 'internal' }))).toBeUndefined();
  });

  it('retires an actor whose create failed once no load balancer wants it', async () => {
    const { registry, store } = setup(true);
    registry.desire('s1', target('create', doc('')));
    await settle();
    expect(registry.phaseOf('s1')).toBe('failed');
    registry.retireUnclaimed(new Set(['other']), new Set());
    expect(registry.has('s1')).toBe(false);
    expect(store.loadSnapshots('stack')).toEqual([]);
  });

  it('adopts listed stacks once, and tells an adopted stack that is no longer listed that it is gone', async () => {
    const { registry, wakes } = setup();
    const live = doc('');
    let templates = 0;
    await registry.adopt([observed('s1', live), { ...observed('s2', live), status: 'DELETE_IN_PROGRESS' }], async () => {
      templates++;
      return live.templateBody;
    });
    await registry.adopt([observed('s1', live)], async () => live.templateBody);
    expect(templates).toBe(1);
    expect(registry.list().map((a) => `${a.stackName}:${a.phase}`)).toEqual(['s1:active']);
    registry.noticeMissing(new Set());
    expect(registry.get('s1')!.phase).toBe('failed');
    expect(registry.get('s1')!.context.lastError).toBe('stack was deleted outside the controller');
    expect(wakes).toContain('s1: failed');
  });

  it('puts the polls of stacks in progress on one grid, so they can be answered together', async () => {
    const { registry, clock } = setup();
    clock.advance(1_000);
    registry.desire('s1', target('create', doc('')));
    await settle();
    clock.advance(3_000);
    registry.desire('s2', target('create', doc('', { HTTP2: 'false' })));
    await settle();
    const pollAt = (name: string) => registry.get(name)!.context.pollAt!;
    expect(pollAt('s1')).toBe(pollAt('s2'));
    expect(pollAt('s1') % 10_000).toBe(0);
    expect(pollAt('s2') - clock.now()).toBeGreaterThanOrEqual(5_000);
  });
});
