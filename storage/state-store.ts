// Typed access to the state database: actor snapshots and the transition journal.
import type { Db } from './database.ts';

export interface TransitionRecord {
  readonly seq?: number;
  readonly actorId: string;
  readonly at: number;
  readonly from: string | null;
  readonly to: string;
  readonly event: string;
  readonly detail?: unknown;
}

export interface StoredActor {
  readonly id: string;
  readonly kind: string;
  readonly snapshot: unknown;
  /** The version of the machine that wrote the snapshot. */
  readonly machineVersion: number;
  readonly updatedAt: number;
}

/** Journal retention: per stack the last entries, and nothing older than the age (deleted stacks' rows too). */
export interface JournalRetention {
  readonly perStack: number;
  readonly maxAgeMs: number;
}

export const DEFAULT_RETENTION: JournalRetention = { perStack: 200, maxAgeMs: 30 * 24 * 3600_000 };

/** Age pruning runs once per this many journal entries (and when the store opens), not on every insert. */
const AGE_PRUNE_EVERY = 500;

export class StateStore {
  private readonly upsert;
  private readonly trimActor;
  private readonly trimAge;
  private appended = 0;
  private readonly remove;
  private readonly selectAll;
  private readonly insertTransition;
  private readonly selectHistory;

  constructor(private readonly db: Db, private readonly retention: JournalRetention = DEFAULT_RETENTION, now: number = Date.now()) {
    this.upsert = db.prepare(
      `INSERT INTO actors (id, kind, snapshot, machine_version, updated_at) VALUES (@id, @kind, @snapshot, @machineVersion, @updatedAt)
       ON CONFLICT(id) DO UPDATE SET snapshot = excluded.snapshot, machine_version = excluded.machine_version, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM actors WHERE id = ?');
    this.selectAll = db.prepare('SELECT id, kind, snapshot, machine_version, updated_at FROM actors WHERE kind = ? ORDER BY id');
    this.insertTransition = db.prepare(
      `INSERT INTO transitions (actor_id, at, from_state, to_state, event, detail)
       VALUES (@actorId, @at, @from, @to, @event, @detail)`,
    );
    this.selectHistory = db.prepare(
      `SELECT seq, actor_id, at, from_state, to_state, event, detail FROM transitions
       WHERE actor_id = ? ORDER BY seq DESC LIMIT ?`,
    );
    // Both use an index: (actor_id, seq) for the per-stack trim, (at) for the age cut.
    this.trimActor = db.prepare(
      `DELETE FROM transitions WHERE actor_id = @actorId AND seq <= (
         SELECT seq FROM transitions WHERE actor_id = @actorId ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
    );
    this.trimAge = db.prepare('DELETE FROM transitions WHERE at < ?');
    this.pruneOlderThan(now - retention.maxAgeMs);
  }

  /** Drops journal entries older than `cutoff` (ms); returns how many went. */
  pruneOlderThan(cutoff: number): number {
    return this.trimAge.run(cutoff).changes;
  }

  saveSnapshot(id: string, kind: string, snapshot: unknown, at: number, machineVersion: number): void {
    this.upsert.run({ id, kind, snapshot: JSON.stringify(snapshot), machineVersion, updatedAt: at });
  }

  deleteSnapshot(id: string): void {
    this.remove.run(id);
  }

  loadSnapshots(kind: string): StoredActor[] {
    const rows = this.selectAll.all(kind) as { id: string; kind: string; snapshot: string; machine_version: number; updated_at: number }[];
    const out: StoredActor[] = [];
    for (const r of rows) {
      try {
        out.push({ id: r.id, kind: r.kind, snapshot: JSON.parse(r.snapshot), machineVersion: r.machine_version, updatedAt: r.updated_at });
      } catch {
        // An unreadable snapshot is dropped: the stack is re-adopted from its AWS tags instead.
        this.remove.run(r.id);
      }
    }
    return out;
  }

  /** Persist a snapshot and its journal entry atomically, so history and state never disagree. */
  recordTransition(id: string, kind: string, snapshot: unknown, transition: TransitionRecord, machineVersion: number): void {
    this.db.transaction(() => {
      this.saveSnapshot(id, kind, snapshot, transition.at, machineVersion);
      this.appendTransition(transition);
    })();
  }

  appendTransition(t: TransitionRecord): void {
    this.insertTransition.run({
      actorId: t.actorId, at: t.at, from: t.from, to: t.to, event: t.event,
      detail: t.detail === undefined ? null : JSON.stringify(t.detail),
    });
    this.trimActor.run({ actorId: t.actorId, keep: this.retention.perStack });
    if (++this.appended % AGE_PRUNE_EVERY === 0) this.pruneOlderThan(t.at - this.retention.maxAgeMs);
  }

  /** Most recent transitions first. */
  history(actorId: string, limit = 100): TransitionRecord[] {
    const rows = this.selectHistory.all(actorId, limit) as {
      seq: number; actor_id: string; at: number; from_state: string | null; to_state: string; event: string; detail: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq, actorId: r.actor_id, at: r.at, from: r.from_state, to: r.to_state, event: r.event,
      ...(r.detail ? { detail: JSON.parse(r.detail) as unknown } : {}),
    }));
  }
}
