// The SSH adapter as a plugin: the plan's router and nodes as hosts, one persistent connection each, and commands run
// only through the registry (validated parameters, the host's platform and sudo). Collectors parse what comes back
// with the same registry entry, so every result is typed by its command.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  type BatchPart,
  buildCommand,
  buildVtyshBatch,
  type CommandParams,
  type CommandTarget,
  type Plan,
  type RegisteredCommandId,
  splitVtyshBatch,
} from "@k3s-ha/shared";
import fp from "fastify-plugin";
import { knownHostKeys } from "./known-hosts.js";
import {
  type ConnectionOptions,
  type ExecResult,
  HostConnection,
  SshError,
  type SshHostConfig,
} from "./ssh-connection.js";
import type { HostKeyApproval } from "./store.js";

export { SshError } from "./ssh-connection.js";

/** Where a host's pin comes from: the plan's hostKey, its known_hosts file, an approval in the console, or nowhere. */
export type PinSource = "plan" | "known-hosts" | "approved" | "none";

export interface PlanHost {
  config: SshHostConfig;
  target: CommandTarget;
  pin: PinSource;
  /** What makes two configurations the same connection (no key material). */
  identity: string;
}

/** The hosts a plan names: `router` and each node by name, with the key file read from beside the plan. */
export function hostsFromPlan(
  plan: Plan,
  planFile: string,
  approval: (host: string) => HostKeyApproval | undefined = () => undefined,
): Map<string, PlanHost | SshError> {
  const dir = dirname(planFile);
  const out = new Map<string, PlanHost | SshError>();
  const add = (
    name: string,
    address: string,
    ssh: Plan["nodes"][number]["ssh"],
    target: CommandTarget,
  ): void => {
    if (!ssh.privateKeyFile) {
      out.set(name, new SshError("AUTH_FAILED", `${name}: the plan names no ssh.privateKeyFile`));
      return;
    }
    const keyFile = resolve(dir, ssh.privateKeyFile);
    let privateKey: Buffer;
    try {
      privateKey = readFileSync(keyFile);
    } catch (err) {
      // The path is the operator's; the reason is the file system's. Never the key.
      const reason = (err as NodeJS.ErrnoException).code ?? "unreadable";
      out.set(
        name,
        new SshError("AUTH_FAILED", `${name}: cannot read ssh.privateKeyFile ${keyFile} (${reason})`),
      );
      return;
    }
    const port = ssh.port ?? 22;
    // A pin in the plan wins; else the known_hosts file's keys for [address]:port.
    let pins: { hostKey?: string | string[]; revokedKeys?: string[] } = ssh.hostKey
      ? { hostKey: ssh.hostKey }
      : {};
    let pin: PinSource = ssh.hostKey ? "plan" : "none";
    if (!ssh.hostKey && ssh.knownHostsFile) {
      const file = resolve(dir, ssh.knownHostsFile);
      try {
        const found = knownHostKeys(readFileSync(file, "utf8"), address, port);
        pins = { hostKey: found.keys, revokedKeys: found.revoked };
        pin = "known-hosts";
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? "unreadable";
        out.set(
          name,
          new SshError("HOST_KEY_UNKNOWN", `${name}: cannot read ssh.knownHostsFile ${file} (${reason})`),
        );
        return;
      }
    }
    // An approval counts only where the plan pins nothing: a pin in the plan wins.
    const approved = pin === "none" ? approval(name) : undefined;
    if (approved) {
      pins = { hostKey: approved.key };
      pin = "approved";
    }
    out.set(name, {
      config: { name, host: address, port, user: ssh.user, privateKey, ...pins },
      target,
      pin,
      identity: JSON.stringify([address, port, ssh.user, pins, keyFile, target]),
    });
  };
  const r = plan.bgp.router;
  add("router", r.address, r.ssh, { kind: "router", platform: r.platform, sudo: r.ssh.sudo === true });
  for (const n of plan.nodes) add(n.name, n.address, n.ssh, { kind: "node", sudo: n.ssh.sudo === true });
  return out;
}

export class SshPool {
  private readonly hosts = new Map<string, { host: PlanHost; conn: HostConnection }>();
  private readonly broken = new Map<string, SshError>();
  /** The key each host offered when it was last refused for its key (what an admin may approve). */
  private readonly offered = new Map<string, { fingerprint: string; key: string }>();
  /** Commands started per host since the start (metrics: 20 viewers must not mean 20 times the commands). */
  readonly commandsRun = new Map<string, number>();

  constructor(private readonly options: ConnectionOptions = {}) {}

  /** Brings the connections in line with `hosts`: unchanged ones stay open, changed or removed ones close. */
  configure(hosts: Map<string, PlanHost | SshError>): void {
    for (const [name, entry] of this.hosts) {
      const next = hosts.get(name);
      if (next instanceof SshError || next?.identity !== entry.host.identity) {
        entry.conn.close();
        this.hosts.delete(name);
      }
    }
    this.broken.clear();
    for (const [name, h] of hosts) {
      if (h instanceof SshError) this.broken.set(name, h);
      else if (!this.hosts.has(name))
        this.hosts.set(name, { host: h, conn: new HostConnection(h.config, this.connectionOptions(h)) });
    }
  }

  /**
   * The router's poll runs its ~10 commands at once (one round trip, not three): 8 channels, below OpenSSH's default
   * MaxSessions of 10, which pfSense keeps; nodes run one or two commands at a time.
   */
  private connectionOptions(h: PlanHost): ConnectionOptions {
    if (h.target.kind !== "router" || this.options.maxConcurrent !== undefined) return this.options;
    return { ...this.options, maxConcurrent: 8 };
  }

  names(): string[] {
    return [...new Set([...this.hosts.keys(), ...this.broken.keys()])].sort();
  }

  /** Runs a registry command on `host` ("router" or a node name); rejects with an SshError. */
  async exec<I extends RegisteredCommandId>(
    host: string,
    id: I,
    params: CommandParams<I>,
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    const broken = this.broken.get(host);
    if (broken) throw broken;
    const entry = this.hosts.get(host);
    if (!entry) throw new SshError("HOST_UNREACHABLE", `no host "${host}" in the plan`);
    const built = buildCommand(id, params, entry.host.target);
    if (!built.ok) throw new SshError("COMMAND_FAILED", built.message);
    return this.run(host, entry.conn, built.command, signal);
  }

  /** One exec channel: counted, and a key the host offered when refused for it remembered (what an admin approves). */
  private async run(
    host: string,
    conn: HostConnection,
    command: { line: string; timeoutMs: number; maxOutputBytes: number },
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    const { line, timeoutMs, maxOutputBytes } = command;
    this.commandsRun.set(host, (this.commandsRun.get(host) ?? 0) + 1);
    try {
      const result = await conn.exec(line, { timeoutMs, maxOutputBytes, ...(signal ? { signal } : {}) });
      this.offered.delete(host);
      return result;
    } catch (err) {
      if (err instanceof SshError && err.details.offered && err.details.offeredKey)
        this.offered.set(host, { fingerprint: err.details.offered, key: err.details.offeredKey });
      throw err;
    }
  }

  /**
   * Several vtysh commands on the router in one channel (`vtysh -c A -c B …`): each part's stdout, or undefined when
   * the batch did not answer every part (vtysh stops at a failing command) — then run the parts one by one.
   */
  async execVtyshBatch(
    host: string,
    parts: readonly BatchPart[],
    signal?: AbortSignal,
  ): Promise<string[] | undefined> {
    const broken = this.broken.get(host);
    if (broken) throw broken;
    const entry = this.hosts.get(host);
    if (!entry) throw new SshError("HOST_UNREACHABLE", `no host "${host}" in the plan`);
    const built = buildVtyshBatch(parts, entry.host.target);
    if (!built.ok) throw new SshError("COMMAND_FAILED", built.message);
    const result = await this.run(host, entry.conn, built.batch, signal);
    if (result.code !== 0) return undefined;
    const split = splitVtyshBatch(result.stdout, parts.length);
    return split.ok ? split.outputs : undefined;
  }

  host(name: string): PlanHost | SshError | undefined {
    return this.hosts.get(name)?.host ?? this.broken.get(name);
  }

  /** TCP connections opened per host so far (one per host while it stays up). */
  connectionsOpened(): Map<string, number> {
    return new Map([...this.hosts].map(([name, e]) => [name, e.conn.connectionsOpened]));
  }

  /** The key `host` offered when it was last refused for its key, if it was. */
  offeredKey(host: string): { fingerprint: string; key: string } | undefined {
    return this.offered.get(host);
  }

  close(): void {
    for (const { conn } of this.hosts.values()) conn.close();
    this.hosts.clear();
  }
}

declare module "fastify" {
  interface FastifyInstance {
    ssh: SshPool;
    /** Re-reads the hosts from the plan and the approvals (after an approval). */
    reloadSshHosts: () => void;
  }
}

export default fp<{ connection?: ConnectionOptions }>(
  async (app, opts) => {
    const pool = new SshPool(opts.connection);
    const sync = () => {
      const plan = app.planSource.plan;
      pool.configure(
        plan
          ? hostsFromPlan(plan, app.planSource.file, (host) => app.store.hostKeyApproval(host))
          : new Map(),
      );
    };
    sync();
    const off = app.hub.subscribe("plan", sync);
    app.decorate("ssh", pool);
    app.decorate("reloadSshHosts", sync);
    app.addHook("onClose", async () => {
      off();
      pool.close();
    });
  },
  { name: "ssh", dependencies: ["hub", "plan", "store"] },
);
