// The embedded SQLite store (node:sqlite): migrations, users, sessions and the audit log.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { AuditEntry } from "@k3s-ha/shared";
import fp from "fastify-plugin";
import { lockDataDir, prepareDataDir, tightenFiles } from "./data-dir.js";

const MIGRATIONS: string[] = [
  `CREATE TABLE users (
     name TEXT PRIMARY KEY,
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
     csrf_token TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT,
     outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
     detail TEXT
   );
   CREATE INDEX audit_at ON audit(at);`,
  // CSRF tokens are derived from the session token (never stored); sessions from before are signed out.
  `DELETE FROM sessions;
   ALTER TABLE sessions DROP COLUMN csrf_token;
   CREATE INDEX sessions_user ON sessions(user);`,
  // Host keys an admin approved in the console for hosts the plan pins no key for.
  `CREATE TABLE host_key_approvals (
     host TEXT PRIMARY KEY,
     key TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     approved_by TEXT NOT NULL,
     approved_at TEXT NOT NULL
   );`,
  // Failover runs: the run, every sample (batched writes), and the events on its time axis.
  `CREATE TABLE failover_runs (
     id TEXT PRIMARY KEY,
     scenario TEXT NOT NULL,
     node TEXT,
     state TEXT NOT NULL,
     started_by TEXT NOT NULL,
     started_at TEXT NOT NULL,
     ended_at TEXT,
     request TEXT NOT NULL,
     action_at_ms REAL,
     steps_ran INTEGER NOT NULL DEFAULT 0,
     restore TEXT NOT NULL,
     error TEXT,
     probe_stats TEXT
   );
   CREATE INDEX failover_runs_started ON failover_runs(started_at);
   CREATE TABLE failover_samples (
     run_id TEXT NOT NULL REFERENCES failover_runs(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     endpoint TEXT NOT NULL,
     mode TEXT NOT NULL,
     address TEXT,
     started_at_ms REAL NOT NULL,
     duration_ms REAL NOT NULL,
     outcome TEXT NOT NULL,
     error TEXT,
     PRIMARY KEY (run_id, seq)
   ) WITHOUT ROWID;
   CREATE TABLE failover_events (
     run_id TEXT NOT NULL REFERENCES failover_runs(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     at_ms REAL NOT NULL,
     kind TEXT NOT NULL,
     summary TEXT NOT NULL,
     detail TEXT,
     PRIMARY KEY (run_id, seq)
   ) WITHOUT ROWID;`,
  // What a run's predictions rest on (the router's timers, Calico, the grace period), taken at its start.
  "ALTER TABLE failover_runs ADD COLUMN facts TEXT;",
  // Guided setup: per step what it last wrote (for drift and undo) and what was there before, its last action
  // and checks; state is 'applying' or 'undoing' while one runs, so a restart finds an interrupted one.
  `CREATE TABLE setup_steps (
     step TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     applied TEXT,
     previous TEXT,
     checks TEXT,
     progress TEXT,
     last_action TEXT,
     last_at TEXT,
     last_by TEXT,
     last_ok INTEGER,
     last_message TEXT
   );`,
];

export interface SessionRow {
  user: string;
  expiresAt: string;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  outcome?: AuditEntry["outcome"];
}

export interface AuditRecord {
  actor: string;
  action: string;
  target?: string | null;
  outcome: AuditEntry["outcome"];
  detail?: string | null;
}

export class Store {
  readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
    this.migrate();
  }

  private migrate(): void {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    );
    const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as {
      v: number | null;
    };
    const current = row.v ?? 0;
    MIGRATIONS.slice(current).forEach((sql, i) => {
      this.db.exec("BEGIN");
      try {
        this.db.exec(sql);
        this.db
          .prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
          .run(current + i + 1, new Date().toISOString());
        this.db.exec("COMMIT");
      } catch (err) {
        this.db.exec("ROLLBACK");
        throw err;
      }
    });
  }

  schemaVersion(): number {
    return (this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number }).v;
  }

  userPasswordHash(name: string): string | undefined {
    const row = this.db.prepare("SELECT password_hash FROM users WHERE name = ?").get(name) as
      | { password_hash: string }
      | undefined;
    return row?.password_hash;
  }

  setUserPassword(name: string, hash: string): void {
    this.db
      .prepare(
        `INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash`,
      )
      .run(name, hash, new Date().toISOString());
  }

  createSession(tokenHash: string, user: string, ttlMs: number): SessionRow {
    const now = Date.now();
    this.db.prepare("DELETE FROM sessions WHERE expires_at < ?").run(new Date(now).toISOString());
    const expiresAt = new Date(now + ttlMs).toISOString();
    this.db
      .prepare("INSERT INTO sessions (token_hash, user, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .run(tokenHash, user, new Date(now).toISOString(), expiresAt);
    return { user, expiresAt };
  }

  session(tokenHash: string): SessionRow | undefined {
    const row = this.db
      .prepare("SELECT user, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?")
      .get(tokenHash, new Date().toISOString()) as { user: string; expires_at: string } | undefined;
    return row && { user: row.user, expiresAt: row.expires_at };
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash);
  }

  /** Ends every session of a user; returns how many there were. */
  deleteSessionsOf(user: string): number {
    const live = this.db
      .prepare("SELECT COUNT(*) AS n FROM sessions WHERE user = ? AND expires_at > ?")
      .get(user, new Date().toISOString()) as { n: number };
    this.db.prepare("DELETE FROM sessions WHERE user = ?").run(user);
    return live.n;
  }

  audit(record: AuditRecord): AuditEntry {
    const at = new Date().toISOString();
    const result = this.db
      .prepare("INSERT INTO audit (at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")
      .run(at, record.actor, record.action, record.target ?? null, record.outcome, record.detail ?? null);
    return {
      id: Number(result.lastInsertRowid),
      at,
      actor: record.actor,
      action: record.action,
      target: record.target ?? null,
      outcome: record.outcome,
      detail: record.detail ?? null,
    };
  }

  /** Rewrites the detail of an aggregated entry (repeated denied sign-ins keep one row per client and window). */
  updateAuditDetail(id: number, actor: string, detail: string): void {
    this.db.prepare("UPDATE audit SET actor = ?, detail = ? WHERE id = ?").run(actor, detail, id);
  }

  /** A page of audit entries, newest first, filtered; `action` ending in `*` matches by prefix. */
  auditEntries(limit: number, beforeId?: number, filter: AuditFilter = {}): AuditEntry[] {
    const where = ["id < ?"];
    const params: (string | number)[] = [beforeId ?? Number.MAX_SAFE_INTEGER];
    if (filter.actor !== undefined) {
      where.push("actor = ?");
      params.push(filter.actor);
    }
    if (filter.action !== undefined) {
      if (filter.action.endsWith("*")) {
        where.push("substr(action, 1, ?) = ?");
        params.push(filter.action.length - 1, filter.action.slice(0, -1));
      } else {
        where.push("action = ?");
        params.push(filter.action);
      }
    }
    if (filter.outcome !== undefined) {
      where.push("outcome = ?");
      params.push(filter.outcome);
    }
    return this.db
      .prepare(
        `SELECT id, at, actor, action, target, outcome, detail FROM audit WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, limit) as unknown as AuditEntry[];
  }

  /** The actors and actions that occur, for the audit page's filters (the most frequent first, bounded). */
  auditFacets(max = 100): { actors: string[]; actions: string[] } {
    const column = (name: "actor" | "action") =>
      (
        this.db
          .prepare(`SELECT ${name} AS v FROM audit GROUP BY ${name} ORDER BY COUNT(*) DESC, ${name} LIMIT ?`)
          .all(max) as { v: string }[]
      ).map((r) => r.v);
    return { actors: column("actor"), actions: column("action") };
  }

  hostKeyApproval(host: string): HostKeyApproval | undefined {
    const row = this.db
      .prepare("SELECT key, fingerprint, approved_by, approved_at FROM host_key_approvals WHERE host = ?")
      .get(host) as
      | { key: string; fingerprint: string; approved_by: string; approved_at: string }
      | undefined;
    return row
      ? {
          key: row.key,
          fingerprint: row.fingerprint,
          approvedBy: row.approved_by,
          approvedAt: row.approved_at,
        }
      : undefined;
  }

  approveHostKey(host: string, key: string, fingerprint: string, by: string): HostKeyApproval {
    const at = new Date().toISOString();
    this.db
      .prepare(
        "INSERT INTO host_key_approvals (host, key, fingerprint, approved_by, approved_at) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT(host) DO UPDATE SET key = excluded.key, fingerprint = excluded.fingerprint, " +
          "approved_by = excluded.approved_by, approved_at = excluded.approved_at",
      )
      .run(host, key, fingerprint, by, at);
    return { key, fingerprint, approvedBy: by, approvedAt: at };
  }

  close(): void {
    this.db.close();
  }
}

export interface HostKeyApproval {
  /** The approved public key line, "ssh-ed25519 AAAA…". */
  key: string;
  fingerprint: string;
  approvedBy: string;
  approvedAt: string;
}

declare module "fastify" {
  interface FastifyInstance {
    store: Store;
  }
}

export default fp<{ dataDir: string; announce: (line: string) => void }>(
  async (app, opts) => {
    const changed = prepareDataDir(opts.dataDir);
    const lock = lockDataDir(opts.dataDir);
    const file = join(opts.dataDir, "console.db");
    const files = [file, `${file}-wal`, `${file}-shm`];
    // Files SQLite creates now get this process's umask inside the 0700 folder: tightened without a notice, which is
    // for files that were there, readable by others, before this start.
    const existed = files.filter((f) => existsSync(f));
    let store: Store;
    try {
      store = new Store(file);
      changed.push(...tightenFiles(existed));
      tightenFiles(files.filter((f) => !existed.includes(f)));
    } catch (err) {
      lock.release();
      throw err;
    }
    for (const line of changed)
      opts.announce(`Data directory tightened (it was readable by others): ${line}`);
    app.decorate("store", store);
    app.addHook("onClose", async () => {
      store.close();
      lock.release();
    });
  },
  { name: "store" },
);
