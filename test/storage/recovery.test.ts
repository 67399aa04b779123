// State that cannot be used is dropped, never fatal: the stacks' AWS tags are the source to rebuild from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../tools/support/virtual-clock.ts';
import type { StackOperations } from '../../services/aws/stack-operations.ts';
import { DATABASE_FILE, openDatabase } from '../../storage/database.ts';
import { StateStore } from '../../storage/state-store.ts';
import { StackActorRegistry } from '../../machines/stack-registry.ts';
import { STACK_ACTOR_KIND } from '../../machines/stack-actor.ts';
import { STACK_MACHINE_VERSION } from '../../machines/stack-machine.ts';

describe('state recovery', () => {
  it('moves an unreadable database file aside and starts with an empty one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-db-'));
    try {
      fs.writeFileSync(path.join(dir, DATABASE_FILE), 'this is not an SQLite database, just garbage '.repeat(200));
      const moved: string[] = [];
      const db = openDatabase(dir, (to) => moved.push(to));
      const store = new StateStore(db);
      store.saveSnapshot('s', STACK_ACTOR_KIND, { value: 'active' }, 1, STACK_MACHINE_VERSION);
      expect(store.loadSnapshots(STACK_ACTOR_KIND)).toHaveLength(1);
      db.close();
      expect(moved).toHaveLength(1);
      expect(fs.existsSync(moved[0]!)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops a persisted actor whose state this version does not know, instead of crashing', async () => {
    const store = new StateStore(openDatabase(':memory:'));
    store.saveSnapshot('stack-old', STACK_ACTOR_KIND, { status: 'active', value: 'retiring', context: {}, children: {}, historyValue: {} }, 1, STACK_MACHINE_VERSION);
    store.saveSnapshot('stack-nested', STACK_ACTOR_KIND, { status: 'active', value: { updating: 'verifying' }, context: {}, children: {}, historyValue: {} }, 1, STACK_MACHINE_VERSION);
    const registry = new StackActorRegistry({
      operations: {} as StackOperations, store, clock: new VirtualClock(), logger: pino({ level: 'silent' }),
      pollIntervalMs: 1000, retryBaseMs: 1000, maxRetryDelayMs: 1000, wake: () => {},
    });
    expect(await registry.restore()).toBe(0);
    expect(store.loadSnapshots(STACK_ACTOR_KIND)).toEqual([]);
  });
});
