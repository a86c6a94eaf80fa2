// Objects and their change log in the shared datastore: one global resourceVersion, compaction, raw reads and writes.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { KubeObject } from "../meta.js";
import { immediate, openDatabase, snapshot } from "./db.js";

export interface ObjectKey {
  group: string;
  resource: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface Change {
  rv: number;
  group: string;
  resource: string;
  namespace: string;
  name: string;
  type: ChangeType;
  object: KubeObject;
  /** The object before this change (absent for ADDED). */
  prev?: KubeObject;
}

interface ChangeRow {
  rv: number;
  grp: string;
  resource: string;
  namespace: string;
  name: string;
  type: ChangeType;
  data: string;
  prev: string | null;
}

const parse = (text: string) => JSON.parse(text) as KubeObject;

/** Raw persistence: no validation, no defaulting; every write must run inside `write()`. */
export class KubeStore {
  readonly db: DatabaseSync;
  private readonly stmts: Record<string, StatementSync> = {};
  private depth = 0;
  private readonly commitListeners = new Set<() => void>();
  private wrote = false;

  constructor(
    readonly file: string,
    busyTimeoutMs?: number,
  ) {
    this.db = openDatabase(file, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  }

  private stmt(sql: string): StatementSync {
    let s = this.stmts[sql];
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts[sql] = s;
    }
    return s;
  }

  /** A write transaction (nested calls join the outer one); listeners hear about it after COMMIT. */
  write<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    this.wrote = false;
    let committed = false;
    try {
      const out = immediate(this.db, fn);
      committed = true;
      return out;
    } finally {
      this.depth--;
      if (committed && this.wrote) for (const l of this.commitListeners) l();
    }
  }

  /** A consistent read snapshot (joins a surrounding transaction). */
  read<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    try {
      return snapshot(this.db, fn);
    } finally {
      this.depth--;
    }
  }

  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  currentRv(): number {
    const row = this.stmt("SELECT value FROM meta WHERE key = 'rv'").get() as { value: number };
    return row.value;
  }

  compactedRv(): number {
    const row = this.stmt("SELECT value FROM meta WHERE key = 'compacted'").get() as { value: number };
    return row.value;
  }

  /** The resourceVersion of the last write to one resource (used to notice CRD changes cheaply). */
  resourceRv(group: string, resource: string): number {
    const row = this.stmt("SELECT rv FROM resource_rv WHERE grp = ? AND resource = ?").get(group, resource) as
      | { rv: number }
      | undefined;
    return row?.rv ?? 0;
  }

  get(key: ObjectKey): KubeObject | undefined {
    const row = this.stmt(
      "SELECT data FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?",
    ).get(key.group, key.resource, key.namespace, key.name) as { data: string } | undefined;
    return row ? parse(row.data) : undefined;
  }

  /** Objects of one resource, in (namespace, name) order; all namespaces when namespace is undefined. */
  list(group: string, resource: string, namespace?: string): KubeObject[] {
    const rows = (
      namespace === undefined
        ? this.stmt("SELECT data FROM objects WHERE grp = ? AND resource = ? ORDER BY namespace, name").all(
            group,
            resource,
          )
        : this.stmt(
            "SELECT data FROM objects WHERE grp = ? AND resource = ? AND namespace = ? ORDER BY name",
          ).all(group, resource, namespace)
    ) as { data: string }[];
    return rows.map((r) => parse(r.data));
  }

  /** Objects (in one namespace, or anywhere) whose text mentions `needle`: a cheap pre-filter for owner references. */
  findMentioning(
    namespace: string | undefined,
    needle: string,
  ): Array<{ key: ObjectKey; object: KubeObject }> {
    const rows = (
      namespace === undefined
        ? this.stmt("SELECT grp, resource, namespace, name, data FROM objects WHERE instr(data, ?) > 0").all(
            needle,
          )
        : this.stmt(
            "SELECT grp, resource, namespace, name, data FROM objects WHERE namespace = ? AND instr(data, ?) > 0",
          ).all(namespace, needle)
    ) as { grp: string; resource: string; namespace: string; name: string; data: string }[];
    return rows.map((r) => ({
      key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
      object: parse(r.data),
    }));
  }

  countInNamespace(namespace: string): number {
    const row = this.stmt("SELECT count(*) AS n FROM objects WHERE namespace = ?").get(namespace) as {
      n: number;
    };
    return row.n;
  }

  private nextRv(key: ObjectKey): number {
    if (this.depth === 0) throw new Error("store writes must run inside write()");
    const row = this.stmt("UPDATE meta SET value = value + 1 WHERE key = 'rv' RETURNING value").get() as {
      value: number;
    };
    this.stmt(
      "INSERT INTO resource_rv (grp, resource, rv) VALUES (?, ?, ?) ON CONFLICT (grp, resource) DO UPDATE SET rv = excluded.rv",
    ).run(key.group, key.resource, row.value);
    this.wrote = true;
    return row.value;
  }

  private logChange(
    key: ObjectKey,
    rv: number,
    type: ChangeType,
    object: KubeObject,
    prev?: KubeObject,
  ): void {
    this.stmt(
      "INSERT INTO changes (rv, grp, resource, namespace, name, type, data, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      rv,
      key.group,
      key.resource,
      key.namespace,
      key.name,
      type,
      JSON.stringify(object),
      prev ? JSON.stringify(prev) : null,
    );
  }

  /** Writes an object with a fresh resourceVersion (set in metadata) and logs ADDED or MODIFIED. */
  put(key: ObjectKey, object: KubeObject, prev?: KubeObject): KubeObject {
    const rv = this.nextRv(key);
    const stored: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
    const data = JSON.stringify(stored);
    this.stmt(
      "INSERT INTO objects (grp, resource, namespace, name, rv, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (grp, resource, namespace, name) DO UPDATE SET rv = excluded.rv, data = excluded.data",
    ).run(key.group, key.resource, key.namespace, key.name, rv, data);
    this.logChange(key, rv, prev ? "MODIFIED" : "ADDED", stored, prev);
    return stored;
  }

  /** Removes an object; the DELETED change carries its last state with the deletion's resourceVersion. */
  remove(key: ObjectKey, last: KubeObject): KubeObject {
    const rv = this.nextRv(key);
    this.stmt("DELETE FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?").run(
      key.group,
      key.resource,
      key.namespace,
      key.name,
    );
    const gone: KubeObject = { ...last, metadata: { ...last.metadata, resourceVersion: String(rv) } };
    this.logChange(key, rv, "DELETED", gone, last);
    return gone;
  }

  /** Changes after `rv`, oldest first. */
  changesSince(rv: number, limit = 1000): Change[] {
    const rows = this.stmt("SELECT * FROM changes WHERE rv > ? ORDER BY rv LIMIT ?").all(
      rv,
      limit,
    ) as unknown as ChangeRow[];
    return rows.map((r) => ({
      rv: r.rv,
      group: r.grp,
      resource: r.resource,
      namespace: r.namespace,
      name: r.name,
      type: r.type,
      object: parse(r.data),
      ...(r.prev ? { prev: parse(r.prev) } : {}),
    }));
  }

  /** Forgets changes up to and including `rv`: watches from older resourceVersions then get 410 Gone. */
  compact(rv: number): void {
    this.write(() => {
      const target = Math.min(rv, this.currentRv());
      if (target <= this.compactedRv()) return;
      this.stmt("DELETE FROM changes WHERE rv <= ?").run(target);
      this.stmt("UPDATE meta SET value = ? WHERE key = 'compacted'").run(target);
    });
  }

  /** Keeps the newest `keep` changes, as kine's compactor keeps a window of revisions. */
  compactKeeping(keep: number): void {
    this.compact(this.currentRv() - keep);
  }

  // ---- small TTL'd keys outside the API (the apiserver lease reconciler's /masterleases) ----

  setKey(key: string, value: string, ttlMs: number): void {
    this.write(() => {
      this.stmt(
        "INSERT INTO kv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
      ).run(key, value, Date.now() + ttlMs);
    });
  }

  deleteKey(key: string): void {
    this.write(() => {
      this.stmt("DELETE FROM kv WHERE key = ?").run(key);
    });
  }

  /** Live (unexpired) keys under a prefix. */
  liveKeys(prefix: string): Array<{ key: string; value: string }> {
    return this.stmt("SELECT key, value FROM kv WHERE key >= ? AND key < ? AND expires > ? ORDER BY key").all(
      prefix,
      `${prefix}\uffff`,
      Date.now(),
    ) as Array<{ key: string; value: string }>;
  }

  close(): void {
    this.commitListeners.clear();
    if (this.db.isOpen) this.db.close();
  }
}
