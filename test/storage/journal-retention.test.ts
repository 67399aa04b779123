// The transition journal is bounded: per stack the last N entries, and nothing older than the retention age,
// including the rows of stacks deleted long ago.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/database.ts';
import { StateStore } from '../../storage/state-store.ts';

const DAY = 24 * 3600_000;
const t0 = Date.UTC(2026, 0, 1);
const entry = (actorId: string, at: number, to: string) => ({ actorId, at, from: null, to, event: 'x' });

describe('journal retention', () => {
  it('keeps the last N transitions per stack, newest first, and leaves other stacks alone', () => {
    const store = new StateStore(openDatabase(':memory:'), { perStack: 3, maxAgeMs: 30 * DAY }, t0);
    for (let i = 0; i < 10; i++) store.appendTransition(entry('a', t0 + i, `s${i}`));
    store.appendTransition(entry('b', t0, 'only'));
    expect(store.history('a', 100).map((t) => t.to)).toEqual(['s9', 's8', 's7']);
    expect(store.history('b', 100).map((t) => t.to)).toEqual(['only']);
  });

  it('drops entries older than the retention age, a deleted stack\'s among them, when the store opens', () => {
    const db = openDatabase(':memory:');
    const first = new StateStore(db, { perStack: 200, maxAgeMs: 30 * DAY }, t0);
    first.appendTransition(entry('gone', t0, 'deleted'));
    first.appendTransition(entry('live', t0 + 20 * DAY, 'active'));
    const reopened = new StateStore(db, { perStack: 200, maxAgeMs: 30 * DAY }, t0 + 40 * DAY);
    expect(reopened.history('gone')).toEqual([]);
    expect(reopened.history('live').map((t) => t.to)).toEqual(['active']);
    expect(reopened.pruneOlderThan(t0 + 60 * DAY)).toBe(1);
  });

  it('prunes by age while running, every few hundred entries', () => {
    const store = new StateStore(openDatabase(':memory:'), { perStack: 1000, maxAgeMs: DAY }, t0);
    store.appendTransition(entry('old', t0, 'active'));
    for (let i = 0; i < 500; i++) store.appendTransition(entry(`s${i % 7}`, t0 + 2 * DAY + i, 'active'));
    expect(store.history('old')).toEqual([]);
  });
});
