// Reading and changing a server's k3s configuration over SSH through the registry: the merged configuration as k3s
// reads it, the console's drop-in written or removed, k3s restarted — each failure a StepError naming the server.
import { commands, type K3sConfig, type K3sHaSettings } from "@k3s-ha/shared";
import { SshError } from "../../../plugins/ssh.js";
import type { StepContext } from "../driver.js";
import { StepError } from "../driver.js";

function said(r: { stdout: string; stderr: string }): string {
  return (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ").slice(0, 300);
}

async function run<T>(what: string, node: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof StepError) throw err;
    const why =
      err instanceof SshError
        ? `${err.code}: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    throw new StepError(`${what} on ${node}: ${why}`);
  }
}

export function readK3sConfig(ctx: StepContext, node: string): Promise<K3sConfig> {
  return run("reading the k3s configuration", node, async () => {
    const r = await ctx.ssh.exec(node, "k3s-config-show", {}, ctx.signal);
    // Never quote the output: config.yaml may hold the cluster token.
    if (r.code !== 0) throw new StepError(`reading the k3s configuration on ${node} failed (exit ${r.code})`);
    const parsed = commands["k3s-config-show"].parse(r.stdout);
    if (!parsed.ok) throw new StepError(`reading the k3s configuration on ${node}: ${parsed.error.message}`);
    return parsed.value;
  });
}

export function writeDropIn(ctx: StepContext, node: string, settings: K3sHaSettings): Promise<void> {
  return run("writing the drop-in", node, async () => {
    const r = await ctx.ssh.exec(
      node,
      "k3s-dropin-write",
      { tlsSan: [...settings.tlsSan], authConfig: settings.authConfig },
      ctx.signal,
    );
    if (r.code !== 0)
      throw new StepError(`writing the drop-in on ${node} failed (exit ${r.code}): ${said(r)}`);
  });
}

export function removeDropIn(ctx: StepContext, node: string): Promise<void> {
  return run("removing the drop-in", node, async () => {
    const r = await ctx.ssh.exec(node, "k3s-dropin-remove", {}, ctx.signal);
    if (r.code !== 0)
      throw new StepError(`removing the drop-in on ${node} failed (exit ${r.code}): ${said(r)}`);
  });
}

/** `systemctl restart k3s` (it returns when k3s says it is ready: Type=notify). */
export function restartK3s(ctx: StepContext, node: string): Promise<void> {
  return run("restarting k3s", node, async () => {
    const r = await ctx.ssh.exec(node, "systemctl-k3s", { verb: "restart" }, ctx.signal);
    if (r.code !== 0)
      throw new StepError(`systemctl restart k3s on ${node} failed (exit ${r.code}): ${said(r)}`);
  });
}
