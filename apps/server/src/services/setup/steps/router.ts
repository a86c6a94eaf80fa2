// The `router` step: short BGP keepalive/hold timers toward the nodes (Calico has no BFD, so the hold timer bounds a
// hard failure) and IPv6 multipath for the VIP. On a Linux FRR through vtysh, saved, each session then reset one at
// a time so the new hold time is negotiated; on pfSense, whose package regenerates FRR's configuration from its GUI,
// the exact GUI settings to change, then Verify reads what is live. Never a silent vtysh write on pfSense.
import {
  canonicalIp,
  commands,
  type FrrBgpConfig,
  lineDiff,
  neighborTimers,
  type SetupChange,
  type SetupCheck,
} from "@k3s-ha/shared";
import { SshError } from "../../../plugins/ssh.js";
import { check, type StepContext, type StepDriver, StepError, type StepPlan } from "../driver.js";
import { auditChecks } from "./calico.js";

export const DEFAULT_TIMERS = { keepaliveS: 3, holdS: 9 } as const;

const timersOf = (ctx: StepContext) => ctx.plan.bgp.timers ?? DEFAULT_TIMERS;
const nodes = (ctx: StepContext) =>
  ctx.plan.nodes.map((n) => ({ name: n.name, address: canonicalIp(n.address) ?? n.address }));
const servers = (ctx: StepContext) => ctx.plan.nodes.filter((n) => n.role === "server").length;

async function runningBgp(ctx: StepContext): Promise<FrrBgpConfig> {
  let stdout: string;
  try {
    const r = await ctx.ssh.exec("router", "frr-show-running-config", {}, ctx.signal);
    if (r.code !== 0)
      throw new StepError(
        `show running-config on the router failed (exit ${r.code}): ${r.stderr.trim().slice(0, 200)}`,
      );
    stdout = r.stdout;
  } catch (err) {
    if (err instanceof StepError) throw err;
    throw new StepError(
      `reading the router's configuration: ${err instanceof SshError ? `${err.code}: ${err.message}` : String(err)}`,
    );
  }
  const parsed = commands["frr-show-running-config"].parse(stdout);
  if (!parsed.ok) throw new StepError(`the router's running configuration: ${parsed.error.message}`);
  if (!parsed.value.bgp) throw new StepError("the router has no `router bgp` instance");
  return parsed.value.bgp;
}

/** The node sessions whose negotiated hold time is not the planned one (they need a reset once configured). */
function sessionsToReset(ctx: StepContext): string[] {
  const { holdS } = timersOf(ctx);
  const peers = ctx.router()?.peers.filter((p) => p.source === "router") ?? [];
  return nodes(ctx)
    .filter((n) => {
      const p = peers.find((x) => (canonicalIp(x.address) ?? x.address) === n.address);
      return p?.state === "Established" && p.holdTimeMs !== holdS * 1000;
    })
    .map((n) => n.address);
}

function pfsenseInstructions(ctx: StepContext): string[] {
  const { keepaliveS, holdS } = timersOf(ctx);
  const policy = ctx.router()?.peers.some((p) => p.source === "router" && p.peerState === "Policy");
  return [
    `pfSense: Services > FRR > BGP > Neighbors: for each node (${ctx.plan.nodes.map((n) => n.name).join(", ")}), edit the neighbour and set its timers: Keep Alive ${keepaliveS} s and Hold Time ${holdS} s (fields timers_keepalive and timers_holdtime); Save.`,
    ...(policy
      ? [
          "Services > FRR > BGP > Settings: tick “Disable eBGP Require Policy” (disableebgprequirepolicy): a session sits in Policy and exchanges no routes; Save.",
        ]
      : []),
    "The package's GUI has no maximum-paths setting; only its raw-config mode can set one, and that replaces the whole generated configuration — an expert's choice, not a step. Without the line FRR uses its built-in limit (every equal path, unless it was built with fewer), so whether this router shares the VIP's traffic over the servers is read live: see the “VIP load-shared” check. A router that sends it all to one server still fails over.",
    "Anything typed into vtysh on pfSense is lost at the next save, reload or reboot (the package regenerates frr.conf), so the console does not write there. Saving resets the sessions, so the new hold time is negotiated; then run Verify.",
  ];
}

async function planLinux(ctx: StepContext): Promise<StepPlan> {
  const bgp = await runningBgp(ctx);
  const { keepaliveS, holdS } = timersOf(ctx);
  const neighbors = nodes(ctx);
  const before: string[] = [];
  const after: string[] = [];
  for (const n of neighbors) {
    const t = neighborTimers(bgp, n.address);
    before.push(
      t
        ? `neighbor ${n.address} timers ${t.keepaliveS} ${t.holdS}`
        : `neighbor ${n.address} (default timers: 60/180 s)`,
    );
    after.push(`neighbor ${n.address} timers ${keepaliveS} ${holdS}`);
  }
  const paths = Math.max(bgp.maximumPathsIpv6 ?? 0, servers(ctx));
  before.push(
    bgp.maximumPathsIpv6 === undefined
      ? "address-family ipv6 unicast: maximum-paths not set"
      : `address-family ipv6 unicast: maximum-paths ${bgp.maximumPathsIpv6}`,
  );
  after.push(`address-family ipv6 unicast: maximum-paths ${paths}`);
  const timersOk = neighbors.every((n) => {
    const t = neighborTimers(bgp, n.address);
    return t?.keepaliveS === keepaliveS && t.holdS === holdS;
  });
  const pathsOk = bgp.maximumPathsIpv6 !== undefined && bgp.maximumPathsIpv6 >= servers(ctx);
  const reset = sessionsToReset(ctx);
  const changes: SetupChange[] = [
    {
      kind: "router",
      target: "router",
      object: `router bgp ${bgp.asn}`,
      action: timersOk && pathsOk ? "unchanged" : "update",
      diff: timersOk && pathsOk ? "" : lineDiff(`${before.join("\n")}\n`, `${after.join("\n")}\n`),
      risky: true,
      note: "applied through vtysh and saved (write memory)",
    },
  ];
  if (!timersOk || reset.length)
    changes.push({
      kind: "router",
      target: "router",
      object: `BGP sessions ${timersOk ? reset.join(", ") : "of every node"}`,
      action: "update",
      diff: "",
      risky: true,
      note: "reset one at a time so the new hold time is negotiated; the other servers carry the VIP meanwhile (a reset remaps ECMP flows)",
    });
  return {
    changes,
    satisfied: timersOk && pathsOk && reset.length === 0,
    refusals:
      bgp.asn === ctx.plan.bgp.router.asn
        ? []
        : [`the router runs router bgp ${bgp.asn}, the plan says ${ctx.plan.bgp.router.asn}`],
    internal: { asn: bgp.asn, paths, configure: !timersOk || !pathsOk },
  };
}

async function waitNegotiated(ctx: StepContext, address: string, holdS: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    await ctx.refresh("router");
    const p = ctx
      .router()
      ?.peers.find((x) => x.source === "router" && (canonicalIp(x.address) ?? x.address) === address);
    if (p?.state === "Established" && p.holdTimeMs === holdS * 1000) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StepError(
    `the session with ${address} did not come back with a ${holdS} s hold time within 60 s`,
  );
}

async function vtyshChange<I extends "frr-configure-bgp" | "frr-clear-bgp-neighbor">(
  ctx: StepContext,
  id: I,
  params: Parameters<StepContext["ssh"]["exec"]>[2],
  what: string,
): Promise<void> {
  const r = await ctx.ssh.exec("router", id, params as never, ctx.signal).catch((err: unknown) => {
    throw new StepError(`${what}: ${err instanceof SshError ? `${err.code}: ${err.message}` : String(err)}`);
  });
  const said = `${r.stdout}\n${r.stderr}`.split("\n").find((l) => l.trim().startsWith("%"));
  if (r.code !== 0 || said)
    throw new StepError(`${what} failed${said ? `: ${said.trim()}` : ` (exit ${r.code})`}`);
}

export const routerStep: StepDriver = {
  id: "router",
  async plan(ctx) {
    if (ctx.plan.bgp.router.platform === "pfsense-frr")
      return { changes: [], satisfied: false, refusals: [], instructions: pfsenseInstructions(ctx) };
    return planLinux(ctx);
  },

  async apply(ctx, planned) {
    if (ctx.plan.bgp.router.platform === "pfsense-frr")
      throw new StepError("pfSense's FRR is set in its GUI: follow the instructions, then Verify");
    const { asn, paths, configure } = planned.internal as { asn: number; paths: number; configure: boolean };
    const { keepaliveS, holdS } = timersOf(ctx);
    const done: string[] = [];
    if (configure) {
      await vtyshChange(
        ctx,
        "frr-configure-bgp",
        { asn, neighbors: nodes(ctx).map((n) => n.address), keepaliveS, holdS, maximumPaths: paths },
        "configuring the router",
      );
      done.push(
        `set timers ${keepaliveS}/${holdS} s on every node neighbour and maximum-paths ${paths}; saved`,
      );
      ctx.progress(done.at(-1) ?? "");
    }
    await ctx.refresh("router");
    for (const address of sessionsToReset(ctx)) {
      try {
        await vtyshChange(
          ctx,
          "frr-clear-bgp-neighbor",
          { address },
          `resetting the session with ${address}`,
        );
        await waitNegotiated(ctx, address, holdS);
      } catch (err) {
        throw new StepError((err as Error).message, done, { configured: configure });
      }
      done.push(`reset the session with ${address}: ${holdS} s hold time negotiated`);
      ctx.progress(done.at(-1) ?? "");
    }
    return {
      applied: { configured: configure },
      previous: null,
      message: done.join("; ") || "nothing to change",
    };
  },

  async verify(ctx): Promise<SetupCheck[]> {
    await ctx.refresh("router");
    const { holdS } = timersOf(ctx);
    const peers = ctx.router()?.peers.filter((p) => p.source === "router") ?? [];
    const out = nodes(ctx).map((n) => {
      const p = peers.find((x) => (canonicalIp(x.address) ?? x.address) === n.address);
      return check(
        `hold-time-${n.name}`,
        `${n.name}'s session runs a ${holdS} s hold time`,
        p?.state === "Established" && p.holdTimeMs === holdS * 1000,
        p
          ? `${p.state}${p.holdTimeMs !== undefined ? `, hold ${p.holdTimeMs / 1000} s, keepalive ${(p.keepaliveMs ?? 0) / 1000} s` : ""}`
          : "no session on the router",
      );
    });
    return [...out, ...auditChecks(ctx, ["no-session-in-policy", "vip-load-shared"])];
  },
};
