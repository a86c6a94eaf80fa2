// One persistent SSH connection to one host (ssh2): exec channels multiplexed on it, at most N at a time, each with
// its own timeout and output cap; keepalives; reconnect with exponential backoff and jitter; the host key checked
// against the pinned one; every library error translated into a stable code.
import { createHash } from "node:crypto";
import { Client, type ClientChannel } from "ssh2";

export const sshErrorCodes = [
  "HOST_UNREACHABLE",
  "AUTH_FAILED",
  "HOST_KEY_UNKNOWN",
  "HOST_KEY_CHANGED",
  "COMMAND_TIMEOUT",
  "COMMAND_FAILED",
] as const;
export type SshErrorCode = (typeof sshErrorCodes)[number];

export class SshError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
    /** For host key errors: the fingerprint the host offered (and the one expected), and the offered key itself. */
    readonly details: { offered?: string; expected?: string; offeredKey?: string } = {},
  ) {
    super(message);
  }
}

export interface SshHostConfig {
  /** `router` or a node name (for messages). */
  name: string;
  host: string;
  port: number;
  user: string;
  privateKey: string | Buffer;
  /**
   * The key the host must present, "ssh-ed25519 AAAA…" — or the keys a known_hosts file lists for it (any of them);
   * undefined or empty: none pinned (never connect blindly).
   */
  hostKey?: string | string[];
  /** Keys a known_hosts file marks @revoked for the host: refused even if listed. */
  revokedKeys?: string[];
}

export interface ConnectionOptions {
  maxConcurrent?: number;
  keepaliveMs?: number;
  readyTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  now?: () => number;
}

export interface ExecOptions {
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** OpenSSH's SHA256 fingerprint of a public key blob: `SHA256:<base64 without padding>`. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** An OpenSSH public key line from a key blob (its first field is the key type). */
export function keyLine(blob: Buffer): string {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob.subarray(4, 4 + len).toString("latin1");
  return `${/^[a-z0-9@.-]+$/.test(type) ? type : "unknown"} ${blob.toString("base64")}`;
}

/** The key blob of an OpenSSH public key line ("ssh-ed25519 AAAA… comment"). */
export function keyBlob(line: string): Buffer {
  return Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64");
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EADDRNOTAVAIL",
]);

export class HostConnection {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private failures = 0;
  private retryAt = 0;
  private lastError: SshError | undefined;
  private hostKeyError: SshError | undefined;
  /** TCP connections opened so far (tests: one per host, however many commands). */
  connectionsOpened = 0;
  private readonly o: Required<ConnectionOptions>;

  constructor(
    readonly config: SshHostConfig,
    options: ConnectionOptions = {},
  ) {
    this.o = {
      maxConcurrent: 4,
      keepaliveMs: 5_000,
      readyTimeoutMs: 8_000,
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  /** Runs `line` on the host; rejects with an SshError whose code says what went wrong. */
  async exec(line: string, options: ExecOptions): Promise<ExecResult> {
    await this.slot(options.signal);
    try {
      const client = await this.connect();
      return await this.run(client, line, options);
    } finally {
      this.release();
    }
  }

  close(): void {
    this.client?.end();
    this.client = undefined;
    this.connecting = undefined;
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    if (this.active < this.o.maxConcurrent) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener("abort", abort);
        this.active++;
        resolve();
      };
      const abort = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new SshError("COMMAND_TIMEOUT", `${this.config.name}: gave up waiting for a free channel`));
      };
      signal?.addEventListener("abort", abort, { once: true });
      this.waiting.push(go);
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  private connect(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    if (this.lastError && this.o.now() < this.retryAt) {
      const inMs = this.retryAt - this.o.now();
      const e = this.lastError;
      return Promise.reject(
        new SshError(e.code, `${e.message} (next attempt in ${Math.ceil(inMs / 1000)} s)`, e.details),
      );
    }
    this.connecting = new Promise<Client>((resolve, reject) => {
      const client = new Client();
      this.hostKeyError = undefined;
      this.connectionsOpened++;
      client.on("ready", () => {
        this.client = client;
        this.connecting = undefined;
        this.failures = 0;
        this.lastError = undefined;
        resolve(client);
      });
      client.on("error", (err: Error & { level?: string; code?: string }) => {
        const e = this.translate(err);
        if (this.client === client) this.client = undefined;
        if (this.connecting) {
          this.connecting = undefined;
          this.backoff(e);
          reject(e);
        }
      });
      client.on("close", () => {
        if (this.client === client) this.client = undefined;
      });
      try {
        client.connect({
          host: this.config.host,
          port: this.config.port,
          username: this.config.user,
          privateKey: this.config.privateKey,
          readyTimeout: this.o.readyTimeoutMs,
          keepaliveInterval: this.o.keepaliveMs,
          keepaliveCountMax: 3,
          hostVerifier: (key: Buffer) => this.verify(key),
        });
      } catch (err) {
        // ssh2 throws synchronously for a key it cannot read: say so, never with the key's text.
        const why = /privateKey/i.test((err as Error).message)
          ? "the private key file is not a key ssh2 can read"
          : (err as Error).message;
        const e = new SshError("AUTH_FAILED", `${this.config.name}: ${why}`);
        this.connecting = undefined;
        this.backoff(e);
        reject(e);
      }
    });
    return this.connecting;
  }

  private verify(key: Buffer): boolean {
    const offered = fingerprint(key);
    if ((this.config.revokedKeys ?? []).some((r) => key.equals(keyBlob(r)))) {
      this.hostKeyError = new SshError(
        "HOST_KEY_CHANGED",
        `${this.config.name} offered host key ${offered}, which its known_hosts file marks @revoked`,
        { offered },
      );
      return false;
    }
    const pins = [this.config.hostKey ?? []].flat();
    if (pins.length === 0) {
      this.hostKeyError = new SshError(
        "HOST_KEY_UNKNOWN",
        `${this.config.name} offered host key ${offered}, which is not pinned: approve it, or pin it in the plan`,
        { offered, offeredKey: keyLine(key) },
      );
      return false;
    }
    const blobs = pins.map(keyBlob);
    if (blobs.some((b) => key.equals(b))) return true;
    const expected = blobs.map(fingerprint).join(" or ");
    this.hostKeyError = new SshError(
      "HOST_KEY_CHANGED",
      `${this.config.name} offered host key ${offered}, not the pinned ${expected}: a reinstalled host, or someone in between`,
      { offered, expected, offeredKey: keyLine(key) },
    );
    return false;
  }

  private translate(err: Error & { level?: string; code?: string }): SshError {
    if (this.hostKeyError) return this.hostKeyError;
    const where = `${this.config.name} ([${this.config.host}]:${this.config.port})`;
    if (err.level === "client-authentication")
      return new SshError("AUTH_FAILED", `${where} refused the key for user ${this.config.user}`);
    if (err.level === "client-timeout")
      return new SshError("HOST_UNREACHABLE", `${where} did not answer within ${this.o.readyTimeoutMs} ms`);
    if (err.code && UNREACHABLE.has(err.code))
      return new SshError(
        "HOST_UNREACHABLE",
        `${where}: ${err.code === "ECONNREFUSED" ? "connection refused" : err.code}`,
      );
    return new SshError("HOST_UNREACHABLE", `${where}: ${err.message}`);
  }

  private backoff(e: SshError): void {
    this.failures++;
    const base = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** (this.failures - 1));
    const jitter = base * 0.2 * (this.o.random() * 2 - 1);
    this.retryAt = this.o.now() + Math.max(0, base + jitter);
    this.lastError = e;
  }

  private run(client: Client, line: string, options: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let bytes = 0;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        fn();
      };
      const fail = (e: SshError) =>
        finish(() => {
          channel?.close();
          reject(e);
        });
      const timer = setTimeout(
        () =>
          fail(
            new SshError("COMMAND_TIMEOUT", `${this.config.name}: no answer within ${options.timeoutMs} ms`),
          ),
        options.timeoutMs,
      );
      const onAbort = () => fail(new SshError("COMMAND_TIMEOUT", `${this.config.name}: aborted`));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const take = (into: Buffer[]) => (d: Buffer) => {
        bytes += d.length;
        if (bytes > options.maxOutputBytes)
          return fail(
            new SshError(
              "COMMAND_FAILED",
              `${this.config.name}: output exceeded ${options.maxOutputBytes} bytes`,
            ),
          );
        into.push(d);
      };
      client.exec(line, (err, ch) => {
        if (err) return fail(new SshError("COMMAND_FAILED", `${this.config.name}: ${err.message}`));
        channel = ch;
        if (settled) return ch.close();
        ch.on("data", take(stdout));
        ch.stderr.on("data", take(stderr));
        let exit: number | undefined;
        ch.on("exit", (code: number | null, signal?: string) => {
          exit = code ?? (signal ? 128 : 255);
        });
        ch.on("close", () => {
          if (exit === undefined)
            return fail(
              new SshError(
                "HOST_UNREACHABLE",
                `${this.config.name}: the connection dropped while the command ran`,
              ),
            );
          const code = exit;
          finish(() =>
            resolve({
              code,
              stdout: Buffer.concat(stdout).toString("utf8"),
              stderr: Buffer.concat(stderr).toString("utf8"),
            }),
          );
        });
      });
    });
  }
}
