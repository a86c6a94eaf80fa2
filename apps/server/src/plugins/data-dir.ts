// The data directory: created or tightened to 0700 (files 0600), and held by one console at a time with an OS lock.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export class DataDirError extends Error {}

/** Creates the folder 0700, or tightens an existing one; returns what it had to change, for the start-up notice. */
export function prepareDataDir(dir: string): string[] {
  const changed: string[] = [];
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700, changed);
  return changed;
}

/** Makes files 0600 (those that exist: SQLite creates its -wal and -shm files on first write). */
export function tightenFiles(files: string[]): string[] {
  const changed: string[] = [];
  for (const file of files) if (existsSync(file)) tighten(file, 0o600, changed);
  return changed;
}

function tighten(path: string, mode: number, changed: string[]): void {
  const stat = statSync(path);
  const current = stat.mode & 0o777;
  if ((current & ~mode) === 0) return;
  try {
    chmodSync(path, mode);
    changed.push(`${path}: mode ${current.toString(8)} -> ${mode.toString(8)}`);
  } catch (err) {
    const uid = process.getuid?.() ?? "?";
    throw new DataDirError(
      `${path} has mode ${current.toString(8)} (readable by others: it holds the password hash and sessions) and ` +
        `cannot be tightened to ${mode.toString(8)} (${(err as NodeJS.ErrnoException).code}; owner uid ${stat.uid}, ` +
        `this process uid ${uid}). Give it to this user (chown -R ${uid} ${path}) or mount a volume this user owns.`,
    );
  }
}

/**
 * Holds an exclusive SQLite lock on `<dir>/console.lock` for the life of the console. The operating system drops
 * it when the process ends, however it ends, so there is no stale pidfile (which breaks where the server is PID 1).
 */
export function lockDataDir(dir: string): { release: () => void } {
  const file = join(dir, "console.lock");
  const db = new DatabaseSync(file);
  try {
    db.exec("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE;");
    db.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at TEXT); DELETE FROM held; COMMIT;");
    db.prepare("INSERT INTO held (at) VALUES (?)").run(new Date().toISOString());
  } catch (err) {
    db.close();
    if (!/locked|busy/i.test((err as Error).message)) throw err;
    throw new DataDirError(
      `the data directory ${dir} is in use by ${lockHolder(file) ?? "another process"}; ` +
        "two consoles must not share one database (give each its own --data DIR)",
    );
  }
  tightenFiles([file]);
  return { release: () => db.close() };
}

/** Names the process holding a POSIX lock on `file`, from /proc/locks (Linux), or undefined. */
export function lockHolder(file: string): string | undefined {
  try {
    const inode = statSync(file).ino;
    for (const line of readFileSync("/proc/locks", "utf8").split("\n")) {
      const fields = line.trim().split(/\s+/);
      const [pid, where] = [fields[4], fields[5]];
      if (!pid || !where || Number(where.split(":")[2]) !== inode) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      return `process ${pid} (${cmd.slice(0, 200) || "command unknown"})`;
    }
  } catch {
    // Not Linux, or /proc is not readable: the caller says "another process".
  }
  return undefined;
}
