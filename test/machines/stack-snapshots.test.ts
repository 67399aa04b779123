// Snapshots written by an older stack machine are migrated where their meaning is unchanged, and dropped
// (the stack re-adopted from AWS) where it is not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StackDocumentLike, StackObservation, StackOperations } from '../../services/aws/stack-operations.ts';
import { DATABASE_FILE, openDatabase } from '../../storage/database.ts';
import { StateStore } from '../../storage/state-store.ts';
import { STACK_ACTOR_KIND } from '../../machines/stack-actor.ts';
import { createStackMachine, STACK_MACHINE_VERSION } from '../../machines/stack-machine.ts';
import { StackActorRegistry } from '../../machines/stack-registry.ts';
import { restoreStackSnapshot } from '../../machines/stack-snapshots.ts';
import { VirtualClock } from '../../tools/support/virtual-clock.ts';
import { readFixture } from '../helpers/fixtures.ts';

const v1 = JSON.parse(readFixture('snapshots/stack-machine-v1.json')) as { failedResumed: unknown; creating: unknown };

function recordingOperations() {
  const calls: string[] = [];
  const ops: StackOperations = {
    async create(name: string, doc: StackDocumentLike) { calls.push(`create ${name} ${doc.tags.t}`); },
    async update(name: string) { calls.push(`update ${name}`); return 'started'; },
    async delete(name: string) { calls.push(`delete ${name}`); },
    async continueUpdateRollback(name: string) { calls.push(`continue ${name}`); },
    async describe(): Promise<StackObservation | undefined> { return undefined; },
  };
  return { ops, calls };
}

function registry(store: StateStore, clock: VirtualClock, ops: StackOperations, wakes: string[] = []) {
  return new StackActorRegistry({
    operations: ops, store, clock, logger: pino({ level: 'silent' }),
    pollIntervalMs: 10_000, retryBaseMs: 30_000, maxRetryDelayMs: 900_000, wake: (r) => wakes.push(r),
  });
}

const tick = () => new Promise((r) => setImmediate(r));

describe('stack snapshots across machine versions', () => {
  it('migrates version 1 failedResumed to failed without counting another attempt, and keeps its retry time', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const store = new StateStore(openDatabase(':memory:'));
    store.saveSnapshot('s-failed', STACK_ACTOR_KIND, v1.failedResumed, clock.now(), 1);
    const wakes: string[] = [];
    const r = registry(store, clock, recordingOperations().ops, wakes);
    expect(await r.restore()).toBe(1);
    const actor = r.get('s-failed')!;
    expect(actor.phase).toBe('failed');
    expect(actor.context.attempts).toBe(1);
    const retryAt = actor.context.retryAt!;
    clock.advanceTo(retryAt - 1);
    expect(wakes).toEqual([]);
    clock.advanceTo(retryAt);
    expect(wakes).toEqual(['s-failed: retry due']);
    // Saved again under the current version.
    expect(store.loadSnapshots(STACK_ACTOR_KIND)[0]!.machineVersion).toBe(STACK_MACHINE_VERSION);
  });

  it('migrates a version 1 in-flight CreateStack: the create is submitted again with what was in flight', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const store = new StateStore(openDatabase(':memory:'));
    store.saveSnapshot('s-creating', STACK_ACTOR_KIND, v1.creating, clock.now(), 1);
    const { ops, calls } = recordingOperations();
    const r = registry(store, clock, ops);
    expect(await r.restore()).toBe(1);
    for (let i = 0; i < 5; i++) await tick();
    expect(calls).toEqual(['create s-creating a']);
    expect(r.get('s-creating')!.state).toBe('creating.waiting');
  });

  it('drops a snapshot of an unknown machine version; adoption rebuilds the actor from the stack', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const store = new StateStore(openDatabase(':memory:'));
    store.saveSnapshot('s-future', STACK_ACTOR_KIND, { status: 'active', value: 'active', context: {}, children: {}, historyValue: {} }, clock.now(), STACK_MACHINE_VERSION + 1);
    const r = registry(store, clock, recordingOperations().ops);
    expect(await r.restore()).toBe(0);
    expect(store.loadSnapshots(STACK_ACTOR_KIND)).toEqual([]);
    const observed: StackObservation = {
      name: 's-future', stackId: 'id', status: 'CREATE_COMPLETE', statusReason: '', outputs: { LoadBalancerDNSName: 'lb.example' },
      parameters: { P: 'v' }, tags: { t: 'a' }, createdAt: 0, lastUpdatedAt: undefined, terminationProtection: false,
    };
    await r.adopt([observed], async () => '{"Resources":{}}');
    expect(r.get('s-future')!.phase).toBe('active');
    expect(r.get('s-future')!.context.applied?.tags).toEqual({ t: 'a' });
  });

  it('tells restore, migrate and drop apart', () => {
    const machine = createStackMachine({ operations: recordingOperations().ops, clock: new VirtualClock(), pollIntervalMs: 1, retryBaseMs: 1, maxRetryDelayMs: 1, wake: () => {} });
    const current = { status: 'active', value: 'active', context: {}, children: {}, historyValue: {} };
    expect(restoreStackSnapshot(machine, STACK_MACHINE_VERSION, current)).toEqual({ kind: 'restore', snapshot: current });
    expect(restoreStackSnapshot(machine, 1, v1.failedResumed)).toMatchObject({ kind: 'restore', migratedFrom: 1, snapshot: { value: 'failed' } });
    expect(restoreStackSnapshot(machine, 0, current).kind).toBe('drop');
    expect(restoreStackSnapshot(machine, STACK_MACHINE_VERSION, { ...current, value: { updating: 'verifying' } }).kind).toBe('drop');
    expect(restoreStackSnapshot(machine, STACK_MACHINE_VERSION, { ...current, status: 'done' })).toEqual({ kind: 'drop', reason: 'the stack was deleted' });
  });

  it('migrates version 2: a failed update (the drain that rolled back) is remembered as the failed operation', () => {
    const machine = createStackMachine({ operations: recordingOperations().ops, clock: new VirtualClock(), pollIntervalMs: 1, retryBaseMs: 1, maxRetryDelayMs: 1, wake: () => {} });
    const failedUpdate = { status: 'active', value: 'failed', context: { lastError: 'update failed: UPDATE_ROLLBACK_COMPLETE x' }, children: {}, historyValue: {} };
    expect(restoreStackSnapshot(machine, 2, failedUpdate)).toMatchObject({ kind: 'restore', migratedFrom: 2, snapshot: { context: { failedOperation: 'update' } } });
    const active = { ...failedUpdate, value: 'active', context: { lastError: null } };
    expect(restoreStackSnapshot(machine, 2, active)).toMatchObject({ kind: 'restore', snapshot: { context: { failedOperation: null } } });
  });

  it('a database of schema 1 is migrated: its snapshots count as machine version 1', () => {
    const db = openDatabase(':memory:');
    // Rebuild the schema-1 table by hand, as an older controller left it.
    db.exec('DROP TABLE actors; CREATE TABLE actors (id TEXT PRIMARY KEY, kind TEXT NOT NULL, snapshot TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    db.prepare('INSERT INTO actors VALUES (?, ?, ?, ?)').run('old', STACK_ACTOR_KIND, JSON.stringify(v1.failedResumed), 1);
    db.pragma('user_version = 1');
    const file = db.serialize();
    db.close();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-schema-'));
    try {
      fs.writeFileSync(path.join(dir, DATABASE_FILE), file);
      const reopened = openDatabase(dir);
      const rows = new StateStore(reopened).loadSnapshots(STACK_ACTOR_KIND);
      reopened.close();
      expect(rows.map((r) => [r.id, r.machineVersion])).toEqual([['old', 1]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

