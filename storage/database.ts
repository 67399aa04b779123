// SQLite holds the controller's durable memory: one persisted snapshot per stack actor and an append-only
// journal of transitions. better-sqlite3 is synchronous, which keeps "persist, then act" ordering trivial.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const SCHEMA_VERSION = 3;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE actors (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      snapshot TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE transitions (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      actor_id TEXT NOT NULL,
      at INTEGER NOT NULL,
      from_state TEXT,
      to_state TEXT NOT NULL,
      event TEXT NOT NULL,
      detail TEXT
    );
    CREATE INDEX transitions_by_actor ON transitions (actor_id, seq);
  `,
  // The version of the machine that wrote each snapshot; rows from before it existed were written by version 1.
  2: `
    ALTER TABLE actors ADD COLUMN machine_version INTEGER NOT NULL DEFAULT 1;
  `,
  // Journal retention deletes by age.
  3: `
    CREATE INDEX IF NOT EXISTS transitions_by_time ON transitions (at);
  `,
};

export const DATABASE_FILE = 'controller.sqlite';

/**
 * Open (creating if needed) the state database in `stateDir`; ':memory:' gives a private in-memory one. A file
 * that is not a usable database is moved aside and replaced by an empty one: the state is a cache of what the
 * stacks' AWS tags also say, so losing it costs re-adoption, while refusing to start would cost the cluster.
 */
export function openDatabase(stateDir: string, onRecovered?: (movedTo: string, cause: unknown) => void): Db {
  if (stateDir === ':memory:') return prepare(new Database(':memory:'));
  fs.mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, DATABASE_FILE);
  try {
    return prepare(new Database(file));
  } catch (err) {
    const movedTo = `${file}.unreadable-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, movedTo + suffix);
    }
    onRecovered?.(movedTo, err);
    return prepare(new Database(file));
  }
}

function prepare(db: Db): Db {
  try {
    db.pragma('journal_mode = WAL');
    // A crash may lose the last transaction but never corrupts the file; the actors' effects are idempotent.
    db.pragma('synchronous = NORMAL');
    db.pragma('quick_check');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
    const sql = MIGRATIONS[v];
    if (!sql) throw new Error(`missing migration ${v}`);
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v}`);
    })();
  }
}
