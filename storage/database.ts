// SQLite holds the controller's durable memory: one persisted snapshot per stack actor and an append-only
// journal of transitions. better-sqlite3 is synchronous, which keeps "persist, then act" ordering trivial.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const SCHEMA_VERSION = 1;

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
};

/** Open (creating if needed) the state database in `stateDir`; ':memory:' gives a private in-memory one. */
export function openDatabase(stateDir: string): Db {
  let file = ':memory:';
  if (stateDir !== ':memory:') {
    fs.mkdirSync(stateDir, { recursive: true });
    file = path.join(stateDir, 'controller.sqlite');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A crash may lose the last transaction but never corrupts the file; the actors' effects are idempotent.
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
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
