// The shared SQLite file (WAL) several API server processes open at once, as k3s shares one datastore through kine.
import { DatabaseSync } from "node:sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('rv', 1), ('compacted', 0);
CREATE TABLE IF NOT EXISTS objects (
  grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  rv INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (grp, resource, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
  rv INTEGER PRIMARY KEY, grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, data TEXT NOT NULL, prev TEXT
);
CREATE TABLE IF NOT EXISTS resource_rv (
  grp TEXT NOT NULL, resource TEXT NOT NULL, rv INTEGER NOT NULL, PRIMARY KEY (grp, resource)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID;
`;

export interface DbOptions {
  /** How long a writer waits for another process's write transaction (default 10 s). */
  busyTimeoutMs?: number;
}

/** Opens (and if needed creates) the datastore; safe when several processes do it at once. */
export function openDatabase(file: string, options: DbOptions = {}): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: options.busyTimeoutMs ?? 10_000 });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = OFF");
  immediate(db, () => db.exec(SCHEMA));
  return db;
}

/** Runs fn in a BEGIN IMMEDIATE transaction: one writer at a time across processes, waiting on busy_timeout. */
export function immediate<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (err) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

/** Runs fn in a read transaction: every query inside sees one snapshot (WAL readers never block writers). */
export function snapshot<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN DEFERRED");
  try {
    return fn();
  } finally {
    if (db.isTransaction) db.exec("COMMIT");
  }
}
